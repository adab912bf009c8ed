using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>Ctrl+C: no new migrations, the ones in flight reported as still running, never abandoned silently.</summary>
    public class DrainCancellationTests
    {
        [Fact]
        public async Task CancellingMidDrainStartsNothingNewAndReportsWhatIsInFlight()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(4);
            using var stop = new CancellationTokenSource();
            int requestsAtCancel = -1;
            h.Nova.OnRequest = r =>
            {
                // Ctrl+C right as nova accepts the second move.
                if (h.Nova.MoveActions.Count == 2 && requestsAtCancel < 0)
                {
                    requestsAtCancel = h.Nova.Requests.Count;
                    stop.Cancel();
                }
            };

            var results = await h.RunAsync(EngineHarness.Options(), ids, stop.Token);

            Assert.Equal(4, results.Count);
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[0]).Outcome);
            var inFlight = EngineHarness.For(results, ids[1]);
            Assert.Equal(MigrationOutcome.StillRunning, inFlight.Outcome);
            Assert.StartsWith("req-", inFlight.RequestId);
            Assert.Contains("nova carries on", inFlight.Message);
            Assert.Contains("Run again later", inFlight.Message);
            Assert.Equal(MigrationOutcome.Cancelled, EngineHarness.For(results, ids[2]).Outcome);
            Assert.Equal(MigrationOutcome.Cancelled, EngineHarness.For(results, ids[3]).Outcome);
            Assert.Equal("not started: the run was stopped", EngineHarness.For(results, ids[3]).Message);
            // Not one API call after Ctrl+C: no new move, and no poll either.
            Assert.Equal(requestsAtCancel, h.Nova.Requests.Count);
            Assert.Equal(2, h.Nova.MoveActions.Count);
            // nova really is still moving it
            Assert.Equal("migrating", h.Nova.Servers[ids[1]].TaskState);
        }

        [Fact]
        public async Task CancellingDuringAPollReportsEveryMigrationInFlightWithWhatNovaLastSaid()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(5);
            using var stop = new CancellationTokenSource();
            int polls = 0;
            h.Nova.OnRequest = r =>
            {
                if (r.Uri.AbsolutePath == "/v2.1/os-migrations" && ++polls == 3) stop.Cancel(); // baseline, poll 1, poll 2
            };

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = 2), ids, stop.Token);

            Assert.Equal(5, results.Count);
            var running = results.Where(r => r.Outcome == MigrationOutcome.StillRunning).ToList();
            Assert.Equal(2, running.Count);
            Assert.All(running, r => Assert.NotNull(r.MigrationId)); // seen at the first poll
            Assert.All(running, r => Assert.Equal("running", r.MigrationStatus));
            Assert.All(running, r => Assert.Contains($"openstack server migration show {r.ServerId} {r.MigrationId}", r.Message));
            Assert.Equal(3, results.Count(r => r.Outcome == MigrationOutcome.Cancelled));
            Assert.Equal(2, h.Nova.MoveActions.Count);
        }

        [Fact]
        public async Task CtrlCDuringARealWaitBetweenPollsEndsTheRunAtOnce()
        {
            // The machine's clock this time: the wait before the first poll (30 s) must not hold Ctrl+C.
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            var engine = new LiveMigrationEngine(h.Compute, SystemWaitClock.Instance);
            using var stop = new CancellationTokenSource();
            var options = EngineHarness.Options(o => o.InitialPollDelay = TimeSpan.FromSeconds(30));
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var running = engine.RunAsync(new[] { h.Request(id) }, options, h.Events, stop.Token);
            await DrainEngineTests.WaitFor(() => h.Nova.MoveActions.Count == 1);
            stop.Cancel();
            var results = await running;

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
            Assert.Equal(MigrationOutcome.StillRunning, results.Single().Outcome);
        }

        [Fact]
        public async Task ServersAddedAfterTheRunWasStoppedAreReportedCancelled()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(2);
            using var stop = new CancellationTokenSource();
            var run = h.Engine.Start(EngineHarness.Options(), h.Events, stop.Token);
            run.Add(h.Request(ids[0]));
            await DrainEngineTests.WaitFor(() => h.Nova.MoveActions.Count == 1);
            stop.Cancel();
            var results = await run.Completion;

            run.Add(h.Request(ids[1]));

            Assert.Single(results);
            Assert.Equal(2, run.Results.Count);
            Assert.Equal(MigrationOutcome.Cancelled, run.Results[1].Outcome);
            Assert.Contains(h.DrainEvents(), e => e.Result?.ServerId == ids[1] && e.Result.Outcome == MigrationOutcome.Cancelled);
            Assert.Single(h.Nova.MoveActions);
        }
    }
}
