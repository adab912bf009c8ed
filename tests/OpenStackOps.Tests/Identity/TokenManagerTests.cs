using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    public class TokenManagerTests
    {
        private static readonly DateTimeOffset Issued = DateTimeOffset.Parse("2026-11-23T07:00:00Z");
        private static readonly DateTimeOffset Expires = DateTimeOffset.Parse("2026-11-23T08:00:00Z");

        private static KeystoneToken Token(string value, DateTimeOffset? issued = null, DateTimeOffset? expires = null)
            => new KeystoneToken(new Secret(value), issued ?? Issued, expires ?? Expires, null, new[] { "admin" }) { ProjectName = "admin" };

        /// <summary>A manager whose renewals go through the real authenticator to a scripted Keystone.</summary>
        private static (TokenManager Manager, FakeKeystone Keystone, FakeClock Clock) WithKeystone()
        {
            var keystone = new FakeKeystone();
            var clock = new FakeClock(Issued.AddMinutes(1));
            var profile = KeystoneFixtures.Password();
            var manager = new TokenManager(Token("tok-1"),
                ct => KeystoneAuthenticator.AuthenticateAsync(keystone.Http, profile, keystone.Log, keystone.Calls, ct), clock, keystone.Log);
            return (manager, keystone, clock);
        }

        [Fact]
        public async Task KeepsTheTokenUntilItIsAboutToExpire()
        {
            var (manager, keystone, clock) = WithKeystone();
            clock.UtcNow = Expires - TimeSpan.FromMinutes(6);
            Assert.Equal("tok-1", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Empty(keystone.Handler.Requests);
        }

        [Fact]
        public async Task RenewsWithinTheMarginBeforeExpiry()
        {
            var (manager, keystone, clock) = WithKeystone();
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:00:00Z", "2026-11-23T07:56:00Z"));
            clock.UtcNow = Expires - TimeSpan.FromMinutes(4);

            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));

            keystone.Handler.AssertAllUsed();
            Assert.Equal(DateTimeOffset.Parse("2026-11-23T09:00:00Z"), manager.Current.ExpiresAt);
            Assert.Contains(keystone.Log.Lines, l => l.Contains("authenticating again"));
        }

        [Fact]
        public async Task RenewBeforeIsConfigurable()
        {
            var (manager, keystone, clock) = WithKeystone();
            manager.RenewBefore = TimeSpan.FromMinutes(10);
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:00:00Z", "2026-11-23T07:52:00Z"));
            clock.UtcNow = Expires - TimeSpan.FromMinutes(8);
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
        }

        [Fact]
        public async Task ShortLivedTokensAreNotRenewedOnEveryCall()
        {
            // A 4-minute token is inside the 5-minute margin from birth; it is renewed at half its life instead.
            var clock = new FakeClock(Issued);
            int renewals = 0;
            var manager = new TokenManager(Token("short", Issued, Issued.AddMinutes(4)),
                ct => { renewals++; return Task.FromResult(Token("next", clock.UtcNow, clock.UtcNow.AddMinutes(4))); }, clock, null);

            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("short", await manager.GetTokenAsync(CancellationToken.None));
            clock.Advance(TimeSpan.FromMinutes(1.5));
            Assert.Equal("next", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal("next", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(1, renewals);
        }

        [Fact]
        public async Task TwentyConcurrentCallersCauseOneAuthentication()
        {
            var (manager, keystone, clock) = WithKeystone();
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:00:00Z", "2026-11-23T07:59:00Z")).After(TimeSpan.FromMilliseconds(300));
            clock.UtcNow = Expires - TimeSpan.FromMinutes(1);

            using var start = new ManualResetEventSlim();
            var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await manager.GetTokenAsync(CancellationToken.None);
            })).ToArray();
            start.Set();
            var tokens = await Task.WhenAll(callers);

            Assert.All(tokens, t => Assert.Equal("tok-2", t));
            Assert.Equal(1, keystone.Handler.Requests.Count(r => r.Method == "POST"));
            Assert.Equal(1, keystone.Calls.Count);
            keystone.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task AFailedRenewalReachesEveryWaiterAndTheNextCallTriesAgain()
        {
            var (manager, keystone, clock) = WithKeystone();
            keystone.Handler.Expect("POST", KeystoneFixtures.TokensPath).Respond(401, KeystoneFixtures.Unauthorized).After(TimeSpan.FromMilliseconds(100));
            keystone.ExpectToken("tok-3", KeystoneFixtures.TokenBody("2026-11-23T09:00:00Z", "2026-11-23T07:59:00Z"));
            clock.UtcNow = Expires - TimeSpan.FromMinutes(1);

            var first = Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => manager.GetTokenAsync(CancellationToken.None))));
            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => first);
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(TokenProblem.RenewalFailed, e.Problem);
            Assert.Equal("tok-3", await manager.GetTokenAsync(CancellationToken.None));
            keystone.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task A401FromAServiceRenewsTheTokenOnceThroughServiceClient()
        {
            var (manager, keystone, _) = WithKeystone();
            var nova = new ServiceClient("compute", new Uri("http://nova.test:8774/v2.1"), keystone.Http, manager, keystone.Log, keystone.Calls);
            var refused = keystone.Handler.Expect("GET", "/v2.1/os-services").Respond(401, KeystoneFixtures.Unauthorized);
            keystone.ExpectToken("tok-2", KeystoneFixtures.TokenBody("2026-11-23T09:00:00Z", "2026-11-23T07:01:00Z"));
            var retried = keystone.Handler.Expect("GET", "/v2.1/os-services").Respond(200, "{\"services\": []}");

            await nova.GetAsync("os-services", CancellationToken.None);

            keystone.Handler.AssertAllUsed();
            Assert.Equal("tok-1", refused.Request.Header("X-Auth-Token"));
            Assert.Equal("tok-2", retried.Request.Header("X-Auth-Token"));
            Assert.Equal("tok-2", manager.Current.Value.Reveal());
        }

        [Fact]
        public async Task InvalidatingAReplacedTokenChangesNothing()
        {
            int renewals = 0;
            var clock = new FakeClock(Issued.AddMinutes(1));
            var manager = new TokenManager(Token("tok-1"), ct => { renewals++; return Task.FromResult(Token("tok-" + (renewals + 1))); }, clock, null);

            manager.Invalidate("tok-1");
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
            manager.Invalidate("tok-1");   // a late 401 for the old token
            Assert.Equal("tok-2", await manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(1, renewals);
        }

        [Fact]
        public async Task AnExpiredTokenThatCannotBeRenewedTellsToConnectAgain()
        {
            var clock = new FakeClock(Issued.AddMinutes(58));
            var manager = new TokenManager(Token("given"), null, clock, null);

            // Inside the margin but still valid: used as it is, there is nothing else.
            Assert.Equal("given", await manager.GetTokenAsync(CancellationToken.None));
            clock.UtcNow = Expires.AddSeconds(1);
            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => manager.GetTokenAsync(CancellationToken.None));

            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(TokenProblem.Expired, e.Problem);
            Assert.False(e.MayRecover);
            Assert.Contains("a supplied token cannot be renewed", e.Message);
            Assert.Contains("The token expired at 2026-11-23 08:00:00Z", e.Message);
            Assert.Contains("run Connect-OpenStack again", e.Message);
        }

        [Fact]
        public async Task ARefusedTokenThatCannotBeRenewedSaysSo()
        {
            var manager = new TokenManager(Token("given"), null, new FakeClock(Issued.AddMinutes(1)), null);
            manager.Invalidate("given");
            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => manager.GetTokenAsync(CancellationToken.None));
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(TokenProblem.Refused, e.Problem);
            Assert.Contains("Connect-OpenStack", e.Message);
        }

        [Fact]
        public async Task AWaiterCanGiveUpWithoutCancellingTheSharedRenewal()
        {
            var clock = new FakeClock(Expires);
            var gate = new TaskCompletionSource<KeystoneToken>();
            var manager = new TokenManager(Token("old"), ct => gate.Task, clock, null);

            using var cts = new CancellationTokenSource();
            var impatient = manager.GetTokenAsync(cts.Token);
            var patient = manager.GetTokenAsync(CancellationToken.None);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
            gate.SetResult(Token("new", Expires, Expires.AddHours(1)));
            Assert.Equal("new", await patient);
        }
    }
}
