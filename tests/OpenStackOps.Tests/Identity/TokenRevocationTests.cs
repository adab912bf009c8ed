using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Sessions;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>Closing a session revokes the token it obtained: DELETE /v3/auth/tokens, the token authorising itself.</summary>
    public class TokenRevocationTests
    {
        private static async Task<(OpenStackSession session, FakeHttpHandler handler)> Connect(CloudProfile profile)
        {
            var handler = new FakeHttpHandler();
            if (profile.Method == AuthMethod.Token)
                handler.Expect("GET", KeystoneFixtures.TokensPath).Respond(200, KeystoneFixtures.ProjectScopedToken).WithHeader("X-Subject-Token", KeystoneFixtures.SubjectToken);
            else
                handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(201, KeystoneFixtures.ProjectScopedToken).WithHeader("X-Subject-Token", KeystoneFixtures.SubjectToken);
            var session = await OpenStackSession.ConnectAsync(profile, NullApiLog.Instance, CancellationToken.None, handler);
            return (session, handler);
        }

        [Fact]
        public async Task ATokenTheSessionObtainedIsRevokedWithItself()
        {
            var (session, handler) = await Connect(KeystoneFixtures.Password());
            var delete = handler.Expect("DELETE", KeystoneFixtures.TokensPath).Respond(204);

            Assert.Equal(TokenRevocationOutcome.Revoked, await session.RevokeTokenAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

            handler.AssertAllUsed();
            Assert.Equal(KeystoneFixtures.SubjectToken, delete.Request.Header("X-Auth-Token"));
            Assert.Equal(KeystoneFixtures.SubjectToken, delete.Request.Header("X-Subject-Token"));
            Assert.Equal(2, session.ApiCalls);
        }

        [Theory]
        [InlineData(401)] // what Zed's keystone answers: the revoked token no longer authorises anything
        [InlineData(404)]
        public async Task ATokenKeystoneNoLongerAcceptsIsAlreadyInvalid(int status)
        {
            var (session, handler) = await Connect(KeystoneFixtures.Password());
            handler.Expect("DELETE", KeystoneFixtures.TokensPath).Respond(status, """{"error": {"code": 404, "title": "Not Found", "message": "Could not find token."}}""");

            Assert.Equal(TokenRevocationOutcome.AlreadyInvalid, await session.RevokeTokenAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        }

        [Fact]
        public async Task ASuppliedTokenIsLeftValid()
        {
            var profile = new CloudProfile { Name = "t", Source = "test", AuthUrl = new Uri(KeystoneFixtures.AuthUrl), Method = AuthMethod.Token, Token = new Secret(KeystoneFixtures.SubjectToken) };
            var (session, handler) = await Connect(profile);

            Assert.Equal(TokenRevocationOutcome.NotOurs, await session.RevokeTokenAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

            Assert.DoesNotContain(handler.Requests, r => r.Method == "DELETE");
        }

        [Fact]
        public async Task ARefusalSaysWhyAndNeverShowsTheToken()
        {
            var (session, handler) = await Connect(KeystoneFixtures.Password());
            handler.Expect("DELETE", KeystoneFixtures.TokensPath).Respond(503, """{"error": {"code": 503, "title": "Service Unavailable", "message": "The server is currently unavailable."}}""");

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => session.RevokeTokenAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

            Assert.Equal("identity", e.Service);
            Assert.Equal(503, e.StatusCode);
            Assert.Contains("The server is currently unavailable", e.Message);
            Assert.DoesNotContain(KeystoneFixtures.SubjectToken, e.ToString());
        }

        [Fact]
        public async Task AKeystoneThatDoesNotAnswerIsATimeoutNotAHang()
        {
            var (session, handler) = await Connect(KeystoneFixtures.Password());
            handler.Expect("DELETE", KeystoneFixtures.TokensPath).After(TimeSpan.FromSeconds(30)).Respond(204);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => session.RevokeTokenAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));

            Assert.Equal(ApiErrorKind.Timeout, e.Kind);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        }
    }
}
