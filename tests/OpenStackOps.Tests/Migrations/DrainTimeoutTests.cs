using System;
using System.Linq;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>A migration that stays 'running' past its timeout: abort, force-complete, or leave it and say so.</summary>
    public class DrainTimeoutTests
    {
        private static (EngineHarness h, string id) StuckServer(bool abortSupported = true)
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.Stuck, AbortSupported = abortSupported });
            return (h, id);
        }

        [Fact]
        public async Task AMigrationStuckRunningPastTheTimeoutIsAborted()
        {
            var (h, id) = StuckServer();

            var r = (await h.RunAsync(EngineHarness.Options(o => { o.Timeout = TimeSpan.FromSeconds(30); o.TimeoutAction = TimeoutAction.Abort; }), new[] { id })).Single();

            var abort = Assert.Single(h.Nova.Calls("DELETE", $"servers/{id}/migrations/"));
            Assert.Equal($"/v2.1/servers/{id}/migrations/{r.MigrationId}", abort.PathAndQuery);
            Assert.Equal("compute 2.93", abort.Header("OpenStack-API-Version"));
            // The abort went out at the deadline, not before.
            Assert.Equal(MigrationOutcome.Aborted, r.Outcome);
            Assert.True(r.TimedOut);
            Assert.Equal(TimeoutAction.Abort, r.TimeoutTaken);
            Assert.Equal("cancelled", r.MigrationStatus);
            Assert.Equal("c01.example.com", r.FinalHost);
            Assert.Contains("timed out after 30 s and aborted", r.Message);
            Assert.InRange(r.Elapsed.TotalSeconds, 30, 40);
            Assert.Equal("c01.example.com", h.Nova.Servers[id].Host);
            Assert.Null(h.Nova.Servers[id].TaskState);
        }

        [Fact]
        public async Task ForceCompleteFinishesTheMigrationAndSaysItTimedOut()
        {
            var (h, id) = StuckServer();

            var r = (await h.RunAsync(EngineHarness.Options(o => { o.Timeout = TimeSpan.FromSeconds(30); o.TimeoutAction = TimeoutAction.ForceComplete; }), new[] { id })).Single();

            var force = Assert.Single(h.Nova.Calls("POST", $"servers/{id}/migrations/"));
            Json.AssertEqual("{\"force_complete\": null}", force.Body);
            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.True(r.Succeeded);
            Assert.True(r.TimedOut);
            Assert.Equal(TimeoutAction.ForceComplete, r.TimeoutTaken);
            Assert.Equal("c02.example.com", r.FinalHost);
            Assert.Contains("forced to complete", r.Message);
            Assert.Empty(h.Nova.Calls("DELETE", "servers/"));
        }

        [Fact]
        public async Task LeaveSaysItIsStillRunningAndTouchesNothing()
        {
            var (h, id) = StuckServer();

            var r = (await h.RunAsync(EngineHarness.Options(o => { o.Timeout = TimeSpan.FromSeconds(30); o.TimeoutAction = TimeoutAction.Leave; }), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.TimedOut, r.Outcome);
            Assert.True(r.TimedOut);
            Assert.Equal(TimeoutAction.Leave, r.TimeoutTaken);
            Assert.Equal("running", r.MigrationStatus);
            Assert.Contains("still 'running' after 30 s", r.Message);
            Assert.Contains("left running", r.Message);
            Assert.Contains($"openstack server migration show {id} {r.MigrationId}", r.Message);
            Assert.Empty(h.Nova.Calls("DELETE", "servers/"));
            Assert.Empty(h.Nova.Calls("POST", $"servers/{id}/migrations/"));
            Assert.Equal("running", h.Nova.Migrations.Single().Status);
        }

        [Fact]
        public async Task AnAbortNovaRefusesIsReportedWithItsReasonAfterOneRetry()
        {
            var (h, id) = StuckServer(abortSupported: false);

            var r = (await h.RunAsync(EngineHarness.Options(o => o.Timeout = TimeSpan.FromSeconds(30)), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.TimedOut, r.Outcome);
            Assert.Equal(TimeoutAction.Abort, r.TimeoutTaken);
            Assert.Equal(2, h.Nova.Calls("DELETE", $"servers/{id}/migrations/").Count());
            Assert.Contains("Cannot abort-live-migration", r.Error);
            Assert.Contains("nova refused the abort", r.Message);
        }

        [Fact]
        public async Task TheTimeoutCountsFromSubmissionAndEachServerHasItsOwn()
        {
            // One stuck server does not hold the drain beyond its own deadline.
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            h.Nova.Script(ids[1], new MigrationScript { Outcome = ScriptOutcome.Stuck });

            var results = await h.RunAsync(EngineHarness.Options(o => o.Timeout = TimeSpan.FromSeconds(20)), ids);

            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[0]).Outcome);
            Assert.Equal(MigrationOutcome.Aborted, EngineHarness.For(results, ids[1]).Outcome);
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[2]).Outcome);
            Assert.InRange(h.Clock.Elapsed, 8 + 20, 8 + 20 + 5 + 15);
        }

        [Fact]
        public async Task TheDefaultTimeoutIsNovasOwnForTheFlavor()
        {
            // 2 GiB RAM + 20 GB disk: nova would give up after 800 s x 22; so does the run (plus a minute), not earlier.
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.Stuck });

            var r = (await h.RunAsync(new MigrationOptions { TimeoutAction = TimeoutAction.Leave }, h.Request(id))).Single();

            Assert.Equal(MigrationOutcome.TimedOut, r.Outcome);
            Assert.Equal(800 * 22 + 60, r.Elapsed.TotalSeconds, 0);
            // and the long wait is polled sparingly: at most every 15 s
            Assert.InRange(h.Nova.Count("GET", "os-migrations"), 800 * 22 / 15, 800 * 22 / 15 + 60);
        }
    }
}
