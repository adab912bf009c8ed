using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Identity;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>The bodies of POST /v3/auth/tokens, compared with Keystone's documented request shapes.</summary>
    public class KeystoneRequestTests
    {
        private static void AssertJson(string expected, string actual)
            => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

        private static async Task<string> BodySentFor(CloudProfile profile, string path = KeystoneFixtures.TokensPath)
        {
            var keystone = new FakeKeystone();
            var post = keystone.ExpectToken(path: path);
            await KeystoneAuthenticator.AuthenticateAsync(keystone.Http, profile, keystone.Log, keystone.Calls, CancellationToken.None);
            keystone.Handler.AssertAllUsed();
            Assert.StartsWith("application/json", post.Request.Header("Content-Type"));
            Assert.Null(post.Request.Header("X-Auth-Token"));
            Assert.Equal(1, keystone.Calls.Count);
            return post.Request.Body;
        }

        private static CloudProfile Profile(AuthMethod method = AuthMethod.Password) => new CloudProfile
        {
            Name = "t", Source = "test", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = method,
        };

        [Fact]
        public async Task PasswordByNamesWithDomainNames()
        {
            string body = await BodySentFor(KeystoneFixtures.Password("devstacker"));
            AssertJson("""
                {"auth": {
                  "identity": {"methods": ["password"],
                    "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "devstacker"}}},
                  "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
                """, body);
        }

        [Fact]
        public async Task PasswordByIds()
        {
            var p = Profile();
            p.UserId = "ee4dfb6e5540447cb3741905149d9b6e";
            p.Password = new Secret("devstacker");
            p.ProjectId = "a6944d763bf64ee6a275f1263fae0352";
            string body = await BodySentFor(p);
            AssertJson("""
                {"auth": {
                  "identity": {"methods": ["password"],
                    "password": {"user": {"id": "ee4dfb6e5540447cb3741905149d9b6e", "password": "devstacker"}}},
                  "scope": {"project": {"id": "a6944d763bf64ee6a275f1263fae0352"}}}}
                """, body);
        }

        [Fact]
        public async Task PasswordWithDomainIdsForUserAndProject()
        {
            var p = Profile();
            p.Username = "op";
            p.UserDomainId = "ud-1";
            p.Password = new Secret("x");
            p.ProjectName = "ops";
            p.ProjectDomainId = "pd-1";
            AssertJson("""
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "op", "domain": {"id": "ud-1"}, "password": "x"}}},
                          "scope": {"project": {"name": "ops", "domain": {"id": "pd-1"}}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task WithoutAnyDomainTheDefaultDomainIsUsed()
        {
            var p = Profile();
            p.Username = "admin";
            p.Password = new Secret("x");
            p.ProjectName = "admin";
            AssertJson("""
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "x"}}},
                          "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task DomainNameIsTheDefaultForUserAndProjectWhenAProjectIsGiven()
        {
            // openstacksdk: with a project, domain_name only fills in the user's and project's domains.
            var p = Profile();
            p.Username = "op";
            p.Password = new Secret("x");
            p.ProjectName = "ops";
            p.DomainName = "Ops";
            AssertJson("""
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "op", "domain": {"name": "Ops"}, "password": "x"}}},
                          "scope": {"project": {"name": "ops", "domain": {"name": "Ops"}}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task DomainScope()
        {
            var p = Profile();
            p.Username = "domain-admin";
            p.UserDomainName = "Default";
            p.Password = new Secret("x");
            p.DomainId = "default";
            AssertJson("""
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "domain-admin", "domain": {"name": "Default"}, "password": "x"}}},
                          "scope": {"domain": {"id": "default"}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task Unscoped()
        {
            var p = Profile();
            p.UserId = "u-1";
            p.Password = new Secret("x");
            AssertJson("""{"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "u-1", "password": "x"}}}}}""", await BodySentFor(p));
        }

        [Fact]
        public async Task ApplicationCredentialById()
        {
            var p = Profile(AuthMethod.ApplicationCredential);
            p.ApplicationCredentialId = "423f19a4ac1e4f48bbb4180756e6eb6c";
            p.ApplicationCredentialSecret = new Secret("rEaqvJka48mpv");
            p.ProjectName = "ignored"; // the credential carries its project; keystone refuses a scope
            AssertJson("""
                {"auth": {"identity": {"methods": ["application_credential"],
                  "application_credential": {"id": "423f19a4ac1e4f48bbb4180756e6eb6c", "secret": "rEaqvJka48mpv"}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task ApplicationCredentialByNameAndUser()
        {
            var p = Profile(AuthMethod.ApplicationCredential);
            p.ApplicationCredentialName = "monitoring";
            p.ApplicationCredentialSecret = new Secret("rEaqvJka48mpv");
            p.Username = "monitor";
            p.UserDomainName = "Ops";
            AssertJson("""
                {"auth": {"identity": {"methods": ["application_credential"],
                  "application_credential": {"name": "monitoring", "secret": "rEaqvJka48mpv",
                    "user": {"name": "monitor", "domain": {"name": "Ops"}}}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task TokenRescopedToAProject()
        {
            var p = Profile(AuthMethod.Token);
            p.Token = new Secret("gAAAAAB-existing");
            p.ProjectName = "admin";
            p.ProjectDomainName = "Default";
            AssertJson("""
                {"auth": {"identity": {"methods": ["token"], "token": {"id": "gAAAAAB-existing"}},
                          "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
                """, await BodySentFor(p));
        }

        [Fact]
        public async Task ATokenWithoutScopeIsValidatedNotRescoped()
        {
            var p = Profile(AuthMethod.Token);
            p.Token = new Secret("gAAAAAB-existing");
            var keystone = new FakeKeystone();
            var get = keystone.Handler.Expect("GET", KeystoneFixtures.TokensPath).Respond(200, KeystoneFixtures.ProjectScopedToken)
                .WithHeader("X-Subject-Token", "gAAAAAB-existing");

            var token = await KeystoneAuthenticator.AuthenticateAsync(keystone.Http, p, keystone.Log, keystone.Calls, CancellationToken.None);

            keystone.Handler.AssertAllUsed();
            Assert.Equal("gAAAAAB-existing", get.Request.Header("X-Auth-Token"));
            Assert.Equal("gAAAAAB-existing", get.Request.Header("X-Subject-Token"));
            Assert.Null(get.Request.Body);
            Assert.Equal("gAAAAAB-existing", token.Value.Reveal());
            Assert.Equal("admin", token.ProjectName);
        }

        [Theory]
        [InlineData("http://keystone.test:5000/v3", "/v3/auth/tokens")]
        [InlineData("http://keystone.test:5000/v3/", "/v3/auth/tokens")]
        [InlineData("http://keystone.test:5000", "/v3/auth/tokens")]
        [InlineData("http://keystone.test:5000/", "/v3/auth/tokens")]
        [InlineData("http://keystone.test/identity", "/identity/v3/auth/tokens")]
        [InlineData("http://keystone.test/identity/v3", "/identity/v3/auth/tokens")]
        public async Task AuthUrlsWithAndWithoutVersion(string authUrl, string path)
        {
            var p = KeystoneFixtures.Password();
            p.AuthUrl = new Uri(authUrl);
            await BodySentFor(p, path);
        }

        [Theory]
        [InlineData("http://keystone.test:5000/v2.0")]
        [InlineData("http://keystone.test:5000/v2.0/")]
        public async Task AV2AuthUrlIsAConfigurationError(string authUrl)
        {
            var p = KeystoneFixtures.Password();
            p.AuthUrl = new Uri(authUrl);
            var keystone = new FakeKeystone();
            var e = await Assert.ThrowsAsync<ConfigurationException>(
                () => KeystoneAuthenticator.AuthenticateAsync(keystone.Http, p, keystone.Log, keystone.Calls, CancellationToken.None));
            Assert.Equal(ConfigurationError.UnsupportedIdentityVersion, e.Reason);
            Assert.Contains("http://keystone.test:5000/v3", e.Message);
            Assert.Empty(keystone.Handler.Requests);
        }

        [Fact]
        public async Task LogsOneLineWithStatusAndTimeAndNothingElse()
        {
            var keystone = new FakeKeystone();
            keystone.ExpectToken().Respond(201, KeystoneFixtures.ProjectScopedToken, "req-auth-1");
            await KeystoneAuthenticator.AuthenticateAsync(keystone.Http, KeystoneFixtures.Password("devstacker"), keystone.Log, keystone.Calls, CancellationToken.None);

            var line = Assert.Single(keystone.Log.Lines);
            Assert.Matches(@"^VERBOSE: POST http://keystone\.test:5000/v3/auth/tokens \(identity\) -> 201 in \d+ ms \[req-auth-1\]$", line);
        }
    }
}
