using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Tests.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>Distinctive secrets pushed through every failure: none may reach a message, ToString() or a log line.</summary>
    public class SecretLeakTests
    {
        private const string Password = "S3cr3t-p4ss-X";
        private const string TokenValue = "T0k3n-v4lu3-Q";
        private const string AppSecret = "4pp-S3cr3t-W";
        private static readonly string[] Secrets = { Password, TokenValue, AppSecret };

        /// <summary>Each way Keystone or the network can fail; the 400s quote the secret sent back, as schema errors can.</summary>
        public static IEnumerable<object[]> Failures()
        {
            yield return new object[] { "401", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized)) };
            yield return new object[] { "400 quoting input", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Respond(400, "{\"error\": {\"code\": 400, \"title\": \"Bad Request\", \"message\": \"Invalid input for field 'identity/password/user/password': '" + sent + "' is too short\"}}")) };
            yield return new object[] { "400 plain text", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(400, "bad " + sent)) };
            yield return new object[] { "403", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(403, "{\"error\": {\"code\": 403, \"message\": \"You are not authorized\"}}")) };
            yield return new object[] { "404", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(404, "")) };
            yield return new object[] { "500", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(500, "<html>Internal Server Error</html>")) };
            yield return new object[] { "503", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(503, "")) };
            yield return new object[] { "redirect", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(302, "").WithHeader("Location", "https://elsewhere/")) };
            yield return new object[] { "no subject token", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(201, KeystoneFixtures.ProjectScopedToken)) };
            yield return new object[] { "not json", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(201, "{{{").WithHeader("X-Subject-Token", "x")) };
            yield return new object[] { "refused", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Fail(() => new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)))) };
            yield return new object[] { "tls", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Fail(() => new HttpRequestException("SSL", new AuthenticationException("UntrustedRoot")))) };
            yield return new object[] { "timeout", (Action<FakeKeystone, string>)((k, sent) => k.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(201, "").After(TimeSpan.FromSeconds(10))) };
        }

        private static IEnumerable<CloudProfile> Profiles()
        {
            var password = KeystoneFixtures.Password(Password);
            var app = new CloudProfile
            {
                Name = "t", Source = "test", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = AuthMethod.ApplicationCredential,
                ApplicationCredentialName = "mon", Username = "monitor", ApplicationCredentialSecret = new Secret(AppSecret),
            };
            var token = new CloudProfile
            {
                Name = "t", Source = "test", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = AuthMethod.Token,
                Token = new Secret(TokenValue), ProjectName = "admin",
            };
            return new[] { password, app, token };
        }

        [Theory]
        [MemberData(nameof(Failures))]
        public async Task NoFailureRevealsASecret(string what, Action<FakeKeystone, string> script)
        {
            foreach (var profile in Profiles())
            {
                string sent = profile.Password?.Reveal() ?? profile.Token?.Reveal() ?? profile.ApplicationCredentialSecret.Reveal();
                var keystone = new FakeKeystone();
                script(keystone, sent);
                var e = await Assert.ThrowsAsync<OpenStackApiException>(() => KeystoneAuthenticator.AuthenticateAsync(
                    keystone.Http, profile, keystone.Log, keystone.Calls, TimeSpan.FromMilliseconds(200), CancellationToken.None));
                // The request itself did carry the secret: the test would be empty otherwise.
                Assert.Contains(sent, keystone.Handler.Requests[0].Body);
                AssertNoSecret($"{what} / {profile.Method}", e.Message, e.ToString(), e.ServerMessage, string.Join("\n", keystone.Log.Lines));
            }
        }

        [Fact]
        public async Task SuccessLogsAndObjectsRevealNothing()
        {
            var keystone = new FakeKeystone();
            keystone.ExpectToken(subjectToken: TokenValue);
            var token = await KeystoneAuthenticator.AuthenticateAsync(keystone.Http, KeystoneFixtures.Password(Password), keystone.Log, keystone.Calls, CancellationToken.None);
            var manager = new TokenManager(token, null, new FakeClock(DateTimeOffset.Parse("2026-11-23T12:00:00Z")), keystone.Log);
            var expired = await Assert.ThrowsAsync<TokenRenewalException>(() => manager.GetTokenAsync(CancellationToken.None));

            Assert.Equal(TokenValue, token.Value.Reveal());
            AssertNoSecret("success", token.ToString(), token.Value.ToString(), KeystoneFixtures.Password(Password).Password.ToString(),
                string.Join("\n", keystone.Log.Lines), expired.ToString());
        }

        [Fact]
        public void ConfigurationErrorsRevealNothing()
        {
            using var tmp = new TempDirectory();
            string dir = tmp.Dir("cwd");
            var search = new CloudsYamlSearch { Directories = new List<string> { dir }, CurrentDirectory = dir };
            var messages = new List<string>();
            void Capture(Action a)
            {
                var e = Assert.ThrowsAny<ConfigurationException>(a);
                messages.Add(e.ToString());
            }

            tmp.Write("cwd/clouds.yaml", $"clouds:\n  c:\n    auth:\n      username: u\n      password: {Password}\n      token: {TokenValue}\n");
            Capture(() => CloudsYamlLoader.Load("c", search));                 // missing auth_url
            Capture(() => CloudsYamlLoader.Load("nope", search));              // unknown cloud
            File.WriteAllText(Path.Combine(dir, "clouds.yaml"), $"clouds:\n  c:\n    auth_type: saml\n    auth:\n      auth_url: http://k/v3\n      password: {Password}\n");
            Capture(() => CloudsYamlLoader.Load("c", search));                 // unsupported auth type
            File.WriteAllText(Path.Combine(dir, "clouds.yaml"), $"clouds:\n  c:\n    auth:\n      auth_url: http://k/v3\n      password: {Password}\n      user: [\n");
            Capture(() => CloudsYamlLoader.Load("c", search));                 // invalid YAML
            Capture(() => OpenRcEnvironment.FromEnvironment(n => n == "OS_AUTH_URL" ? "http://k/v3" : n == "OS_PASSWORD" ? Password : n == "OS_AUTH_TYPE" ? "v3totp" : null));
            Capture(() => OpenRcEnvironment.FromEnvironment(n => n == "OS_AUTH_URL" ? "http://k/v3" : n == "OS_TOKEN" ? TokenValue : n == "OS_INTERFACE" ? "weird" : null));

            AssertNoSecret("configuration", messages.ToArray());
        }

        private static void AssertNoSecret(string context, params string[] texts)
        {
            foreach (var text in texts)
                foreach (var secret in Secrets)
                    Assert.False(text != null && text.Contains(secret), $"{context}: '{secret}' appears in: {text}");
        }
    }
}
