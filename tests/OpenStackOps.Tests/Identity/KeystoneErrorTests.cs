using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    public class KeystoneErrorTests
    {
        private static async Task<OpenStackApiException> Fails(FakeKeystone keystone, CloudProfile profile, TimeSpan? timeout = null)
        {
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => KeystoneAuthenticator.AuthenticateAsync(
                keystone.Http, profile, keystone.Log, keystone.Calls, timeout ?? TimeSpan.FromSeconds(30), CancellationToken.None));
            keystone.Handler.AssertAllUsed();
            Assert.Equal("identity", e.Service);
            return e;
        }

        [Fact]
        public async Task A401NamesUserProjectAndUrlAndKeystonesMessage()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized, "req-401");

            var e = await Fails(keystone, KeystoneFixtures.Password("wrong-Pa55-Z9q"));

            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(401, e.StatusCode);
            Assert.Equal("req-401", e.RequestId);
            Assert.Equal("The request you have made requires authentication.", e.ServerMessage);
            Assert.Equal(
                "Keystone refused the credentials of user 'admin' (domain Default) for project 'admin' at http://keystone.test:5000/v3/auth/tokens: " +
                "The request you have made requires authentication. (request req-401). Check the user name, password and project (the user needs a role on it).", e.Message);
            Assert.DoesNotContain("wrong-Pa55-Z9q", e.ToString());
            Assert.Equal(1, keystone.Calls.Count); // no second try with a wrong password
        }

        [Fact]
        public async Task A401ForAnApplicationCredentialNamesIt()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized);
            var p = new CloudProfile
            {
                Name = "t", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = AuthMethod.ApplicationCredential,
                ApplicationCredentialId = "ac-123", ApplicationCredentialSecret = new Secret("app-S3cret"),
            };
            var e = await Fails(keystone, p);
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Contains("application credential 'ac-123'", e.Message);
            Assert.Contains("expired", e.Message);
        }

        [Fact]
        public async Task A404PointsAtTheAuthUrl()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(404, """{"error": {"code": 404, "title": "Not Found", "message": "Could not find project: admin."}}""");
            var e = await Fails(keystone, KeystoneFixtures.Password());
            Assert.Equal(ApiErrorKind.NotFound, e.Kind);
            Assert.Contains("Could not find project: admin.", e.Message);
            Assert.Contains("auth URL", e.Message);
            Assert.Equal("Not Found", e.FaultName);
        }

        [Fact]
        public async Task AnUnknownTokenIsAnAuthenticationFailureNotABadUrl()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Respond(404, """{"error": {"code": 404, "title": "Not Found", "message": "Could not recognize Fernet token"}}""");
            var p = new CloudProfile
            {
                Name = "t", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = AuthMethod.Token, Token = new Secret("gAAAA-stale"), ProjectName = "admin",
            };
            var e = await Fails(keystone, p);
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(404, e.StatusCode);
            Assert.Contains("does not recognise the token for project 'admin'", e.Message);
            Assert.Contains("Could not recognize Fernet token", e.Message);
            Assert.Contains("get a new one", e.Message);
        }

        [Fact]
        public async Task A401ForADomainScopeMentionsTheRoleOnTheDomain()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized);
            var p = KeystoneFixtures.Password();
            p.ProjectName = null;
            p.ProjectDomainName = null;
            p.DomainId = "default";
            var e = await Fails(keystone, p);
            Assert.Contains("for domain 'default'", e.Message);
            Assert.Contains("password and domain (the user needs a role on it)", e.Message);
        }

        [Fact]
        public async Task ARedirectIsNotFollowed()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(301, "").WithHeader("Location", "https://keystone.test:5000/v3/auth/tokens");
            var e = await Fails(keystone, KeystoneFixtures.Password());
            Assert.Contains("redirects to https://keystone.test:5000/v3/auth/tokens", e.Message);
        }

        [Fact]
        public async Task AConnectionFailureNamesTheUrl()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Fail(() => new HttpRequestException("Connection refused (keystone.test:5000)", new SocketException((int)SocketError.ConnectionRefused)));
            var e = await Fails(keystone, KeystoneFixtures.Password());
            Assert.Equal(ApiErrorKind.ConnectionFailed, e.Kind);
            Assert.Contains("http://keystone.test:5000", e.Message);
            Assert.Contains("Keystone", e.Message);
            Assert.Contains(keystone.Log.Lines, l => l.Contains("POST http://keystone.test:5000/v3/auth/tokens (identity) -> failed"));
        }

        [Fact]
        public async Task ATlsFailureTellsAboutTheCaBundleOptions()
        {
            var keystone = new FakeKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath)
                .Fail(() => new HttpRequestException("The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid: UntrustedRoot")));
            var e = await Fails(keystone, KeystoneFixtures.Password());
            Assert.Equal(ApiErrorKind.TlsFailure, e.Kind);
            Assert.Contains("-CACertificatePath", e.Message);
            Assert.Contains("-SkipCertificateCheck", e.Message);
        }

        [Fact]
        public async Task NoAnswerInTimeIsATimeout()
        {
            var keystone = new FakeKeystone();
            keystone.ExpectToken().After(TimeSpan.FromSeconds(10));
            var e = await Fails(keystone, KeystoneFixtures.Password(), TimeSpan.FromMilliseconds(100));
            Assert.Equal(ApiErrorKind.Timeout, e.Kind);
            Assert.Contains("http://keystone.test:5000/v3/auth/tokens", e.Message);
        }

        [Fact]
        public async Task CancellationIsNotATimeout()
        {
            var keystone = new FakeKeystone();
            keystone.ExpectToken().After(TimeSpan.FromSeconds(10));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => KeystoneAuthenticator.AuthenticateAsync(
                keystone.Http, KeystoneFixtures.Password(), keystone.Log, keystone.Calls, cts.Token));
        }

        [Fact]
        public async Task AProfileWithoutItsSecretIsAConfigurationError()
        {
            var keystone = new FakeKeystone();
            var p = KeystoneFixtures.Password();
            p.Password = null;
            var e = await Assert.ThrowsAsync<ConfigurationException>(() => KeystoneAuthenticator.AuthenticateAsync(
                keystone.Http, p, keystone.Log, keystone.Calls, CancellationToken.None));
            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Contains("password", e.Message);
            Assert.Empty(keystone.Handler.Requests);
        }
    }
}
