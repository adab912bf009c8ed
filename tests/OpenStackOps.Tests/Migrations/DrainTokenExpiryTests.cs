using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>A drain that outlives its token, on the virtual clock: renewed between polls, refused mid-POST, renewal refused.</summary>
    public class DrainTokenExpiryTests
    {
        /// <summary>Tokens of <see cref="Lifetime"/> issued on the harness's clock; what each one was valid until.</summary>
        private sealed class ShortTokens : IClock
        {
            private readonly VirtualClock _clock;
            public ShortTokens(VirtualClock clock, TimeSpan lifetime, Func<int, Exception> failRenewal = null)
            {
                _clock = clock;
                Lifetime = lifetime;
                Manager = new TokenManager(Issue(), ct =>
                {
                    var failure = failRenewal?.Invoke(ValidUntil.Count);
                    return failure == null ? Task.FromResult(Issue()) : Task.FromException<KeystoneToken>(failure);
                }, this, null);
            }

            public TimeSpan Lifetime { get; }
            public TokenManager Manager { get; }
            public Dictionary<string, DateTimeOffset> ValidUntil { get; } = new Dictionary<string, DateTimeOffset>();
            public DateTimeOffset UtcNow => _clock.UtcNow;

            private KeystoneToken Issue()
            {
                string value = "tok-" + (ValidUntil.Count + 1);
                var now = _clock.UtcNow;
                ValidUntil[value] = now + Lifetime;
                return new KeystoneToken(new Secret(value), now, now + Lifetime, null, new[] { "admin" });
            }
        }

        [Fact]
        public async Task ADrainLongerThanTheTokensLifeRenewsBetweenPollsAndNoRequestCarriesALapsedToken()
        {
            ShortTokens tokens = null;
            var h = new EngineHarness(tokens: c => (tokens = new ShortTokens(c, TimeSpan.FromSeconds(20))).Manager);
            var ids = h.AddServers(6);

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.True(h.Clock.Elapsed > 2 * tokens.Lifetime.TotalSeconds, $"the drain took {h.Clock.Elapsed} s");
            Assert.True(tokens.Manager.Renewals >= 2, $"{tokens.Manager.Renewals} renewals");
            Assert.All(h.Nova.Requests, r => Assert.True(r.At < tokens.ValidUntil[r.Header("X-Auth-Token")],
                $"{r.Method} {r.PathAndQuery} at {r.At:T} with a token valid until {tokens.ValidUntil[r.Header("X-Auth-Token")]:T}"));
            Assert.Equal(ids.OrderBy(x => x), results.Select(r => r.ServerId).OrderBy(x => x));
            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.All(ids, id => Assert.Single(h.Nova.MoveActions, m => m.PathAndQuery.Contains(id)));
            Assert.All(ids, id => Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == id));
        }

        [Fact]
        public async Task ALiveMigrationRefusedWith401IsSentOnceMoreWithTheNewTokenAndMovesOnce()
        {
            ShortTokens tokens = null;
            var h = new EngineHarness(tokens: c => (tokens = new ShortTokens(c, TimeSpan.FromHours(1))).Manager);
            var id = h.AddServers(1).Single();
            // keystonemiddleware's answer to a lapsed or revoked token: before nova's handler, so nothing was done.
            h.Nova.FailNext("POST", $"servers/{id}/action", 401, OpenStackOps.Tests.Identity.KeystoneFixtures.Unauthorized);

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            var sends = h.Nova.MoveActions;
            Assert.Equal(new[] { "tok-1", "tok-2" }, sends.Select(s => s.Header("X-Auth-Token")));
            Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == id);
        }

        [Fact]
        public async Task ARenewalRefusedMidDrainEndsTheRunWithATruthfulResultForEveryServer()
        {
            // The password was changed while the drain ran: Keystone refuses the renewal, only the operator can help.
            ShortTokens tokens = null;
            var h = new EngineHarness(tokens: c => (tokens = new ShortTokens(c, TimeSpan.FromSeconds(30),
                n => new OpenStackApiException(ApiErrorKind.Unauthorized, "Keystone refused the credentials of user admin.") { StatusCode = 401 })).Manager);
            var ids = h.AddServers(3);
            h.Nova.Script(ids[0], new MigrationScript { Duration = TimeSpan.FromSeconds(60) });

            var run = h.Engine.Start(EngineHarness.Options(), h.Events, default);
            foreach (var id in ids) run.Add(h.Request(id));
            run.Complete();
            var e = await Assert.ThrowsAsync<TokenRenewalException>(() => run.Completion);

            Assert.Equal(TokenProblem.RenewalFailed, e.Problem);
            Assert.Contains("Run Connect-OpenStack again", e.Message);
            var results = run.Results;
            Assert.Equal(ids.OrderBy(x => x), results.Select(r => r.ServerId).OrderBy(x => x));
            var first = EngineHarness.For(results, ids[0]);
            Assert.Equal(MigrationOutcome.StillRunning, first.Outcome);
            Assert.StartsWith("the session's token could not be renewed while nova was still moving it", first.Message);
            Assert.All(ids.Skip(1), id => Assert.Equal(MigrationOutcome.Cancelled, EngineHarness.For(results, id).Outcome));
            Assert.All(ids.Skip(1), id => Assert.Equal("not started: the session's token could not be renewed", EngineHarness.For(results, id).Message));
            Assert.Single(h.Nova.MoveActions);
            // It ended at the first poll that needed a new token, not at the 120 s timeout.
            Assert.True(h.Clock.Elapsed < 30, $"ended after {h.Clock.Elapsed} s");
        }
    }
}
