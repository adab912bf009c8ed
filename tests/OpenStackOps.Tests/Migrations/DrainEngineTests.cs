using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>The drain engine against a stateful fake nova: success, verification, polling budget, throttle.</summary>
    public class DrainEngineTests
    {
        [Fact]
        public async Task ADrainMovesEveryServerAndVerifiesEachOnItsNewHost()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.Equal(3, results.Count);
            foreach (var id in ids)
            {
                var r = EngineHarness.For(results, id);
                Assert.Equal(MigrationOutcome.Completed, r.Outcome);
                Assert.True(r.Succeeded);
                Assert.Equal(MigrationKind.Live, r.MoveKind);
                Assert.Equal("c01.example.com", r.SourceHost);
                Assert.Equal("c02.example.com", r.FinalHost);
                Assert.Null(r.RequestedDestination);
                Assert.Equal("completed", r.MigrationStatus);
                Assert.NotNull(r.MigrationId);
                Assert.NotNull(r.MigrationUuid);
                Assert.StartsWith("req-", r.RequestId);
                Assert.Equal("feb7fc3375c74ac58e097dd20771747a", r.ProjectId);
                Assert.False(r.TimedOut);
                Assert.Null(r.Error);
                Assert.InRange(r.Elapsed.TotalSeconds, 8, 15);
                // nova's state agrees
                Assert.Equal("c02.example.com", h.Nova.Servers[id].Host);
            }
            // The body sent: scheduler chooses, nova decides block migration.
            Json.AssertEqual("{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}", h.Nova.MoveActions[0].Body);
        }

        [Fact]
        public async Task SteadyStateCostsThreeCallsPerServerAtThrottleOne()
        {
            // 10 servers, each migration 8 s (nova's fake driver takes 5-10 s). Budget: at most 4 calls per server.
            var h = new EngineHarness();
            var ids = h.AddServers(10);

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            // 1 version document + 1 baseline (newest migration record)
            // + first server: POST, polls at 5.5 s and 7.3 s (running), 9.8 s (completed), GET server = 5
            // + 9 servers that each wait as long as the first took: POST, one poll, GET server = 3 each.
            Assert.Equal(2 + 5 + 9 * 3, h.Calls.Count);
            Assert.Equal(new[] { 3, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, PollsBetweenMoves(h));
            Assert.True(h.Calls.Count <= 4 * ids.Count, $"{h.Calls.Count} calls for {ids.Count} servers");
            Assert.Equal(1 + 3 + 9, h.Nova.Count("GET", "os-migrations")); // baseline, the first server's 3 polls, one each after
            Assert.Equal(0, h.Nova.Count("GET", "servers/detail")); // one server ended per poll: a plain GET
        }

        [Fact]
        public async Task TheFirstLookOfARunUsesHowLongRecentMigrationsTookOnThisCloud()
        {
            // The baseline call reads the newest records anyway: finished live migrations among them took 9 s
            // (other hosts, earlier runs), so the very first move is looked at once, just after 9 s.
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            h.AddServers(2, "c02.example.com", "other").ForEach(other =>
                h.Nova.AddHistory(other, "c03.example.com", "c02.example.com", "completed", TimeSpan.FromMinutes(10)));
            h.Nova.AddHistory(ids[0], "c01.example.com", "c03.example.com", "error", TimeSpan.FromMinutes(5)); // not a duration sample
            h.Nova.Script(ids[0], new MigrationScript { Duration = TimeSpan.FromSeconds(9) });

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(new[] { 1, 1, 1 }, PollsBetweenMoves(h));
            Assert.Equal(1 + 1 + 3 * 3, h.Calls.Count);
        }

        [Fact]
        public async Task ALagNovasTimestampsMissIsLearntSoFirstLooksStillLandAfterTheEnd()
        {
            // The conductor creates the record 2 s after the 202: nova's record says 6 s for an 8 s move. Taken at face
            // value every first look would come too early and cost a second poll.
            var h = new EngineHarness();
            h.Nova.RecordDelay = TimeSpan.FromSeconds(2);
            var ids = h.AddServers(10);

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            var pollsPerServer = PollsBetweenMoves(h);
            Assert.All(pollsPerServer.Skip(4), n => Assert.Equal(1, n));
            Assert.True(h.Calls.Count <= 4 * ids.Count, $"{h.Calls.Count} calls for {ids.Count} servers");
        }

        [Fact]
        public async Task WhenNovaEndsMovesOneAtATimeThePollsFollowItsPaceNotEachFlightsSchedule()
        {
            // 20 moves accepted at once; nova's control plane ends one every 2.5 s (8 s, 10.5 s ... 55.5 s after the
            // submissions), as the devcloud does on 2 cores. Each flight's own schedule alone asked for a listing almost
            // every second: 4.3 calls per server on the devcloud.
            var h = new EngineHarness();
            h.Nova.EndSpacing = TimeSpan.FromSeconds(2.5);
            var ids = h.AddServers(20);
            var start = h.Clock.UtcNow;

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = 20), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(20, h.Nova.MaxConcurrentSeen);
            Assert.True(h.Calls.Count <= 3 * ids.Count, $"{h.Calls.Count} calls for {ids.Count} servers");
            // Not bought with lateness: the last move ended 55.5 s in; the run saw it within 3 s.
            var lastEnd = h.Nova.Migrations.Max(m => m.EndAt.Value);
            Assert.InRange((lastEnd - start).TotalSeconds, 55, 56);
            Assert.InRange((h.Clock.UtcNow - lastEnd).TotalSeconds, 0, 3);
        }

        /// <summary>os-migrations polls after each move action, until the next one.</summary>
        private static int[] PollsBetweenMoves(EngineHarness h)
        {
            var counts = new System.Collections.Generic.List<int>();
            foreach (var r in h.Nova.Requests)
            {
                if (h.Nova.MoveActions.Contains(r)) counts.Add(0);
                else if (counts.Count > 0 && r.Uri.AbsolutePath == "/v2.1/os-migrations") counts[counts.Count - 1]++;
            }
            return counts.ToArray();
        }

        [Fact]
        public async Task PollsAreOneMigrationsListingForEverythingInFlightNeverOneGetPerServer()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(6);

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = 3), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            var polls = h.Nova.Calls("GET", "os-migrations").ToList();
            // Baseline first (newest record of the cloud), then every poll bounded by changes-since on one source host.
            Assert.Equal("/v2.1/os-migrations?limit=10", polls[0].PathAndQuery);
            Assert.All(polls.Skip(1), p => Assert.StartsWith("/v2.1/os-migrations?source_compute=c01.example.com", p.PathAndQuery));
            // The three that end together are verified with one changes-since listing, not three GETs.
            Assert.True(h.Nova.Count("GET", "servers/detail") >= 1);
            Assert.All(h.Nova.Calls("GET", "servers/detail"), c => Assert.Contains("changes-since=", c.PathAndQuery));
            Assert.Equal(0, h.Nova.Calls("GET", "servers/").Count(c => c.Uri.AbsolutePath.EndsWith("/migrations")));
            Assert.True(h.Calls.Count <= 4 * ids.Count, $"{h.Calls.Count} calls for {ids.Count} servers");
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public async Task TheThrottleBoundsTheMigrationsInFlight(int throttle)
        {
            var h = new EngineHarness();
            var ids = h.AddServers(7);

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = throttle), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(throttle, h.Nova.MaxConcurrentSeen);
            var overall = h.DrainEvents().Where(e => e.OverallProgress != null).Select(e => e.OverallProgress).ToList();
            Assert.Equal(throttle, overall.Max(p => p.InFlight));
            var last = overall.Last();
            Assert.Equal(7, last.Total);
            Assert.Equal(7, last.Finished);
            Assert.Equal(7, last.Succeeded);
            Assert.Equal(100, last.PercentComplete);
        }

        [Fact]
        public async Task AnOldRecordOfTheSameServerIsNotMistakenForTheNewMove()
        {
            // The newest records in the cloud are this server's earlier moves: away and back, then a failed attempt from
            // the same host. Taken for ours, the last one would say "error" while the server is migrating right now.
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.AddHistory(id, "c01.example.com", "c02.example.com", "completed", TimeSpan.FromHours(1));
            h.Nova.AddHistory(id, "c02.example.com", "c01.example.com", "completed", TimeSpan.FromMinutes(45));
            h.Nova.AddHistory(id, "c01.example.com", "c03.example.com", "error", TimeSpan.FromMinutes(30));
            // A slow conductor: at the first poll (the old completed records say moves take 9 s) only the old records exist.
            h.Nova.RecordDelay = TimeSpan.FromSeconds(9.8);
            h.Nova.Script(id, new MigrationScript { Duration = TimeSpan.FromSeconds(12) });

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.Equal(h.Nova.Migrations.Last().Id, r.MigrationId);
            Assert.Contains(h.Nova.Calls("GET", "os-migrations"), c => c.PathAndQuery.Contains("changes-since=2026-11-23T07%3A30%3A00Z"));
        }

        [Fact]
        public async Task ACompletedRecordIsNotSuccessUnlessTheServerReallyMoved()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.CompletedButNotMoved });

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal("completed", r.MigrationStatus);
            Assert.Equal("c01.example.com", r.FinalHost);
            Assert.Contains("record says completed, but the server is ACTIVE on c01.example.com", r.Message);
            Assert.Equal(3, h.Nova.Calls("GET", "servers/" + id).Count()); // looked again before judging
        }

        [Fact]
        public async Task Before259TheBaselineIsTheHostsHighestIdAndPollsUseOnlyNovasOldFilters()
        {
            var h = new EngineHarness("2.53");
            var ids = h.AddServers(2);
            h.Nova.AddHistory(ids[0], "c01.example.com", "c03.example.com", "error", TimeSpan.FromHours(2));
            h.Nova.RecordDelay = TimeSpan.FromSeconds(7); // the old 'error' record is all there is at the first poll

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.All(h.Nova.Calls("GET", "os-migrations"), c => Assert.Equal("/v2.1/os-migrations?source_compute=c01.example.com", c.PathAndQuery));
            Assert.All(results, r => Assert.Null(r.MigrationUuid));
        }

        [Fact]
        public async Task ANamedDestinationIsSentAndVerified()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();

            var r = (await h.RunAsync(EngineHarness.Options(), h.Request(id, "c03.example.com"))).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.Equal("c03.example.com", r.RequestedDestination);
            Assert.Equal("c03.example.com", r.FinalHost);
            Json.AssertEqual("{\"os-migrateLive\": {\"host\": \"c03.example.com\", \"block_migration\": \"auto\"}}", h.Nova.MoveActions.Single().Body);
        }

        [Fact]
        public async Task ResultsPipeBackToReturnEveryServerToItsOriginalHost()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            var drained = await h.RunAsync(EngineHarness.Options(), ids);
            Assert.All(drained, r => Assert.Equal("c02.example.com", r.FinalHost));

            // The way back, from the results and the servers as nova shows them now; one is already home (moved by hand).
            h.Nova.Servers[ids[2]].Host = "c01.example.com";
            var back = await h.RunAsync(EngineHarness.Options(),
                drained.Select(r => MigrationRequest.ReturnTrip(r, h.Nova.ServerObject(r.ServerId))).ToArray());

            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(back, ids[0]).Outcome);
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(back, ids[1]).Outcome);
            var home = EngineHarness.For(back, ids[2]);
            Assert.Equal(MigrationOutcome.Skipped, home.Outcome);
            Assert.Equal("already on c01.example.com", home.Message);
            Assert.All(ids, id => Assert.Equal("c01.example.com", h.Nova.Servers[id].Host));
            Assert.All(h.Nova.MoveActions.Skip(3), a => Assert.Contains("\"host\":\"c01.example.com\"", a.Body));
        }

        [Fact]
        public async Task ServersCanBeAddedWhileTheRunWorksAndShareItsThrottle()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            var run = h.Engine.Start(EngineHarness.Options(), h.Events, CancellationToken.None);

            run.Add(h.Request(ids[0]));
            await WaitFor(() => run.Results.Count == 1);
            run.Add(h.Request(ids[1]));
            run.Add(h.Request(ids[2]));
            run.Complete();
            var results = await run.Completion;

            Assert.Equal(3, results.Count);
            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(1, h.Nova.MaxConcurrentSeen);
            Assert.Throws<InvalidOperationException>(() => run.Add(h.Request(ids[0])));
        }

        [Fact]
        public async Task ProgressHasOneStableIdPerServerAndEndsWithAFinishedSnapshot()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(2);

            await h.RunAsync(EngineHarness.Options(), ids);

            var events = h.DrainEvents();
            var progress = events.Where(e => e.ServerProgress != null).Select(e => e.ServerProgress).ToList();
            Assert.Equal(new[] { 1, 2 }, progress.Select(p => p.Sequence).Distinct().OrderBy(x => x));
            foreach (var id in ids)
            {
                var mine = progress.Where(p => p.ServerId == id).ToList();
                Assert.Equal("submitted", mine.First().Phase);
                Assert.True(mine.Last().IsFinished);
                Assert.Equal(100, mine.Last().PercentComplete);
                Assert.Single(mine, p => p.IsFinished);
            }
            // The second server knows how long moves take here.
            Assert.NotNull(progress.Last(p => p.ServerId == ids[1] && !p.IsFinished).ExpectedDuration);
            Assert.Equal(2, events.Count(e => e.Result != null));
            Assert.Contains(events, e => e.Message != null && e.Message.Contains("accepted (request req-"));
        }

        [Fact]
        public async Task MemoryFiguresAreReadOnlyWhenAsked()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();

            var r = (await h.RunAsync(EngineHarness.Options(o => o.ReportMemoryProgress = true), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.True(h.Nova.Count("GET", $"servers/{id}/migrations/") >= 1);
            var withBytes = h.DrainEvents().Where(e => e.ServerProgress?.MemoryTotalBytes != null).Select(e => e.ServerProgress).ToList();
            Assert.NotEmpty(withBytes);
            Assert.All(withBytes, p => Assert.Equal(2L << 30, p.MemoryTotalBytes));
            Assert.Contains(withBytes, p => p.MemoryProcessedBytes > 0 && p.PercentComplete > 0 && p.PercentComplete < 100);
            Assert.Equal(2L << 30, r.MemoryTotalBytes);
        }

        internal static async Task WaitFor(Func<bool> condition)
        {
            for (int i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
            Assert.True(condition(), "condition not met within 5 s");
        }
    }
}
