using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    public class TokenParsingTests
    {
        private static async Task<KeystoneToken> Authenticate(string body, string subject = KeystoneFixtures.SubjectToken)
        {
            var keystone = new FakeKeystone();
            var e = keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(201, body);
            if (subject != null) e.WithHeader("X-Subject-Token", subject);
            return await KeystoneAuthenticator.AuthenticateAsync(keystone.Http, KeystoneFixtures.Password(), keystone.Log, keystone.Calls, CancellationToken.None);
        }

        [Fact]
        public async Task ReadsAProjectScopedToken()
        {
            var token = await Authenticate(KeystoneFixtures.ProjectScopedToken);

            Assert.Equal(KeystoneFixtures.SubjectToken, token.Value.Reveal());
            Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 6, 41, TimeSpan.Zero), token.ExpiresAt);
            Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 6, 41, TimeSpan.Zero), token.IssuedAt);
            Assert.Equal("ee4dfb6e5540447cb3741905149d9b6e", token.UserId);
            Assert.Equal("admin", token.UserName);
            Assert.Equal("default", token.UserDomainId);
            Assert.Equal("a6944d763bf64ee6a275f1263fae0352", token.ProjectId);
            Assert.Equal("admin", token.ProjectName);
            Assert.Equal("default", token.ProjectDomainId);
            Assert.Null(token.DomainId);
            Assert.Equal(new[] { "admin", "member", "reader" }, token.Roles);
            Assert.True(token.IsAdmin);
            Assert.Equal(new[] { "compute", "network", "volumev3", "image", "placement", "identity" }, token.Catalog.Entries.Select(e => e.Type));
            Assert.All(token.Catalog.Entries, e => Assert.Equal(new[] { "public", "internal", "admin" }, e.Endpoints.Select(p => p.Interface)));
            Assert.All(token.Catalog.Entries.SelectMany(e => e.Endpoints), p => Assert.Equal("RegionOne", p.Region));
            Assert.DoesNotContain(KeystoneFixtures.SubjectToken, token.ToString());
        }

        [Fact]
        public async Task ADomainScopedTokenWithoutAdminRole()
        {
            string body = """
                {"token": {"methods": ["password"], "expires_at": "2026-11-23T08:00:00Z", "issued_at": "2026-11-23T07:00:00Z",
                  "user": {"id": "u2", "name": "viewer", "domain": {"id": "d1", "name": "Ops"}},
                  "domain": {"id": "d1", "name": "Ops"},
                  "roles": [{"id": "r", "name": "reader"}]}}
                """;
            var token = await Authenticate(body);
            Assert.Equal("d1", token.DomainId);
            Assert.Equal("Ops", token.DomainName);
            Assert.Null(token.ProjectId);
            Assert.False(token.IsAdmin);
            Assert.Empty(token.Catalog.Entries);
        }

        [Fact]
        public async Task AnAnswerWithoutSubjectTokenIsAnInvalidResponse()
        {
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Authenticate(KeystoneFixtures.ProjectScopedToken, subject: null));
            Assert.Equal(ApiErrorKind.InvalidResponse, e.Kind);
            Assert.Contains("X-Subject-Token", e.Message);
        }

        [Fact]
        public async Task AnAnswerThatIsNotATokenIsAnInvalidResponse()
        {
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Authenticate("<html>proxy login</html>"));
            Assert.Equal(ApiErrorKind.InvalidResponse, e.Kind);
            Assert.Equal("identity", e.Service);
        }
    }
}
