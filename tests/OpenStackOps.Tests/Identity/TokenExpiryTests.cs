using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>
    /// A token that lapses in the middle of work, on a fake clock: due during a poll, refused under a POST (a live
    /// migration must be sent once), a renewal that fails, and a machine whose clock is behind Keystone's.
    /// </summary>
    public class TokenExpiryTests
    {
        private static readonly DateTimeOffset Issued = DateTimeOffset.Parse("2026-11-23T07:00:00Z");
        private static readonly DateTimeOffset Expires = DateTimeOffset.Parse("2026-11-23T08:00:00Z");
        private const string MovePath = "/v2.1/servers/a1/action";
        private static readonly JsonObject LiveMigrate = new JsonObject { ["os-migrateLive"] = new JsonObject { ["host"] = null, ["block_migration"] = "auto" } };

        private static KeystoneToken Token(string value, DateTimeOffset issued, DateTimeOffset expires)
            => new KeystoneToken(new Secret(value), issued, expires, null, new[] { "admin" }) { ProjectName = "admin" };

        /// <summary>A session's pieces: the manager (renewing through the real authenticator) and nova's client, one fake server for both.</summary>
        private static (TokenManager Manager, ServiceClient Nova, FakeKeystone Keystone, FakeClock Clock) Session(string password = "pw")
        {
            var keystone = new FakeKeystone();
            var clock = new FakeClock(Issued.AddMinutes(1));
            var profile = KeystoneFixtures.Password(password);
            var manager = new TokenManager(Token("tok-1", Issued, Expires),
                ct => KeystoneAuthenticator.AuthenticateAsync(keystone.Http, profile, keystone.Log, keystone.Calls, ct), clock, keystone.Log);
            var nova = new ServiceClient("compute", new Uri("http://nova.test:8774/v2.1"), keystone.Http, manager, keystone.Log, keystone.Calls);
            return (manager, nova, keystone, clock);
        }

        [Fact]
        public async Task ATokenThatNeverExpiresIsUsedAsIs()
        {
            // What OpenStackSession.CreateForTests gives Pester runbook tests: expires_at at the end of time.
            var clock = new FakeClock(Issued.AddSeconds(1));
            var manager = new TokenManager(Token("forever", Issued, DateTimeOffset.MaxValue), null, clock, NullApiLog.Instance);
            Assert.Equal("forever", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(0, manager.Renewals);
        }

        [Fact]
        public async Task ATokenDueAtAPollIsRenewedBeforeThePollIsSent()
        {
            var (manager, nova, keystone, clock) = Session();
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T08:58:00Z", "2026-11-23T07:58:00Z"));
            var poll = keystone.Handler.Expect("GET", "/v2.1/os-migrations").Respond(200, "{\"migrations\": []}");
            clock.UtcNow = Expires - TimeSpan.FromMinutes(2);

            await nova.GetAsync("os-migrations", CancellationToken.None);

            keystone.Handler.AssertAllUsed();
            Assert.Equal("tok-2", poll.Request.Header("X-Auth-Token"));
            Assert.Equal(1, manager.Renewals);
            Assert.Equal(2, keystone.Calls.Count);   // one authentication, one poll: no 401 on the way
        }

        [Fact]
        public async Task A401OnALiveMigrationRenewsTheTokenAndSendsItOnceMore()
        {
            // The 401 comes from the auth_token middleware, before nova's handler: the first POST did nothing.
            var (manager, nova, keystone, _) = Session();
            var refused = keystone.Handler.Expect("POST", MovePath).Respond(401, KeystoneFixtures.Unauthorized);
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:01:00Z", "2026-11-23T08:01:00Z"));
            var accepted = keystone.Handler.Expect("POST", MovePath).Respond(202, null, "req-move-2");

            var answer = await nova.PostAsync("servers/a1/action", LiveMigrate, CancellationToken.None);

            keystone.Handler.AssertAllUsed();
            Assert.Equal(202, answer.StatusCode);
            Assert.Equal("req-move-2", answer.RequestId);
            Assert.Equal("tok-1", refused.Request.Header("X-Auth-Token"));
            Assert.Equal("tok-2", accepted.Request.Header("X-Auth-Token"));
            Assert.Equal(refused.Request.Body, accepted.Request.Body);
            Assert.Equal(2, keystone.Handler.Requests.Count(r => r.PathAndQuery == MovePath));
        }

        [Fact]
        public async Task ALiveMigrationRefusedAgainWithAFreshTokenIsNotSentAThirdTime()
        {
            var (_, nova, keystone, _) = Session();
            keystone.Handler.Expect("POST", MovePath).Respond(401, KeystoneFixtures.Unauthorized);
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:01:00Z", "2026-11-23T08:01:00Z"));
            keystone.Handler.Expect("POST", MovePath).Respond(401, KeystoneFixtures.Unauthorized);

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.PostAsync("servers/a1/action", LiveMigrate, CancellationToken.None));

            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            keystone.Handler.AssertAllUsed();
            Assert.Equal(2, keystone.Handler.Requests.Count(r => r.PathAndQuery == MovePath));
        }

        [Fact]
        public async Task ARenewalRefusedUnderALiveMigrationSendsNothingMoreAndSaysWhatToDo()
        {
            const string password = "s3cret-renewal-pw";
            var (manager, nova, keystone, _) = Session(password);
            keystone.Handler.Expect("POST", MovePath).Respond(401, KeystoneFixtures.Unauthorized);
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized);

            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => nova.PostAsync("servers/a1/action", LiveMigrate, CancellationToken.None));

            keystone.Handler.AssertAllUsed();
            Assert.Single(keystone.Handler.Requests, r => r.PathAndQuery == MovePath);
            Assert.Equal(TokenProblem.RenewalFailed, e.Problem);
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.False(e.MayRecover);
            Assert.StartsWith("The cloud refused the session's token and getting a new one failed: Keystone refused the credentials", e.Message);
            Assert.Contains("The request that needed it was not sent.", e.Message);
            Assert.Contains("Run Connect-OpenStack again", e.Message);
            Assert.DoesNotContain(password, e.ToString());
            Assert.DoesNotContain("tok-1", e.ToString());
            Assert.Equal("tok-1", manager.Current.Value.Reveal());
        }

        [Fact]
        public async Task KeystoneUnreachableAtRenewalIsWorthRetryingAndTheNextCallDoes()
        {
            var (_, nova, keystone, clock) = Session();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Fail(() => new HttpRequestException("Connection refused"));
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T08:59:00Z", "2026-11-23T07:59:00Z"));
            var poll = keystone.Handler.Expect("GET", "/v2.1/os-migrations").Respond(200, "{\"migrations\": []}");
            clock.UtcNow = Expires - TimeSpan.FromMinutes(1);

            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => nova.GetAsync("os-migrations", CancellationToken.None));
            Assert.Equal(ApiErrorKind.ConnectionFailed, e.Kind);
            Assert.True(e.MayRecover);
            Assert.Contains("tries again at the next request", e.Message);

            await nova.GetAsync("os-migrations", CancellationToken.None);
            keystone.Handler.AssertAllUsed();
            Assert.Equal("tok-2", poll.Request.Header("X-Auth-Token"));
        }

        [Fact]
        public async Task AClockBehindKeystonesStillRenewsBeforeTheTokenLapses()
        {
            // Keystone issued the token at 07:00 (its clock) for an hour; this machine read 06:50 when it arrived.
            var clock = new FakeClock(Issued - TimeSpan.FromMinutes(10));
            int renewals = 0;
            var manager = new TokenManager(Token("tok-1", Issued, Expires),
                ct => { renewals++; return Task.FromResult(Token("tok-2", Expires, Expires.AddHours(1))); }, clock, null);

            // 56 minutes later: 07:46 here, 07:56 at Keystone, inside the 5-minute margin of the real expiry.
            clock.Advance(TimeSpan.FromMinutes(56));
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(1, renewals);
        }

        [Fact]
        public async Task AClockAheadOfKeystonesRenewsEarlyRatherThanLate()
        {
            var clock = new FakeClock(Issued + TimeSpan.FromMinutes(10));
            var manager = new TokenManager(Token("tok-1", Issued, Expires),
                ct => Task.FromResult(Token("tok-2", Expires, Expires.AddHours(1))), clock, null);

            clock.Advance(TimeSpan.FromMinutes(46));   // 07:56 here, 07:46 at Keystone: due by our clock, a little early
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
        }

        [Fact]
        public async Task ASuppliedTokenIssuedLongAgoLapsesAtItsExpiryNotALifetimeFromNow()
        {
            // Validated at 07:50, issued at 07:00 for an hour: "a lifetime from now" would be 08:50.
            var clock = new FakeClock(Issued.AddMinutes(50));
            var manager = new TokenManager(Token("given", Issued, Expires), null, clock, null);
            clock.UtcNow = Expires.AddSeconds(1);
            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(TokenProblem.Expired, e.Problem);
        }
    }
}
