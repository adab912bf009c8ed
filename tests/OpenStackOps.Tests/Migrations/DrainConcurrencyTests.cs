using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>
    /// Moves are sent concurrently up to the throttle (overall and per source host): twenty moves cost one POST's
    /// latency, not twenty, and a slow answer holds none of the others. Answers are held in real time here (the
    /// virtual clock does not move while a POST waits), as a loaded nova-api would hold them.
    /// </summary>
    public class DrainConcurrencyTests
    {
        private static string ServerOf(OpenStackOps.Tests.Fakes.RecordedRequest r) => r.Uri.AbsolutePath.Split('/')[3];

        [Fact]
        public async Task MovesAreSentConcurrentlyUpToTheThrottleAndNeverBeyondIt()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(12);
            h.Nova.BeforeActionAnswer = _ => Task.Delay(30);

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = 4), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(4, h.Nova.MaxConcurrentActions);     // the first four at once, not one after another
            Assert.True(h.Nova.MaxConcurrentSeen <= 4, $"{h.Nova.MaxConcurrentSeen} migrations at once");
            Assert.Equal(12, h.Nova.MoveActions.Count);         // each sent once
        }

        [Fact]
        public async Task WithoutWaitingTheThrottleBoundsThePostsInProgress()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(9);
            h.Nova.BeforeActionAnswer = _ => Task.Delay(20);

            var results = await h.RunAsync(EngineHarness.Options(o => { o.ThrottleLimit = 3; o.Wait = false; }), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Submitted, r.Outcome));
            Assert.Equal(3, h.Nova.MaxConcurrentActions);
            Assert.Equal(9, h.Nova.MoveActions.Count);
        }

        [Fact]
        public async Task ASlowAnswerHoldsNoneOfTheOthers()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            h.Nova.BeforeActionAnswer = r => ServerOf(r) == ids[0] ? release.Task : Task.CompletedTask;

            var run = h.Engine.Start(EngineHarness.Options(o => o.ThrottleLimit = 3), h.Events, CancellationToken.None);
            foreach (var id in ids) run.Add(h.Request(id));
            run.Complete();
            // The other two are sent, followed and verified while the first one's answer is still held.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (run.Results.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(10);
            int doneWhileHeld = run.Results.Count;
            release.SetResult(true);
            var results = await run.Completion;

            Assert.Equal(2, doneWhileHeld);
            Assert.Equal(new[] { ids[1], ids[2] }, results.Take(2).Select(r => r.ServerId).OrderBy(x => x));
            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal(2, h.Nova.MaxConcurrentActions);       // the held one beside each of the others (answered at once)
            Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == ids[0]);
        }

        [Fact]
        public async Task APerHostThrottleDrainsSeveralHostsAtATimeAndNeverExceedsEitherLimit()
        {
            var h = new EngineHarness();
            var hosts = new[] { "c11.example.com", "c12.example.com", "c13.example.com", "c14.example.com" };
            var ids = hosts.SelectMany(host => h.AddServers(3, host, host.Substring(0, 3))).ToList();
            int worstPerHost = 0, worstOverall = 0, mostHosts = 0;
            h.Nova.OnRequest = _ =>
            {
                var moving = h.Nova.Migrations.Where(m => m.Type == "live-migration" && !m.Terminal && !m.Ended).ToList();
                worstOverall = Math.Max(worstOverall, moving.Count);
                if (moving.Count == 0) return;
                worstPerHost = Math.Max(worstPerHost, moving.GroupBy(m => m.Source).Max(g => g.Count()));
                mostHosts = Math.Max(mostHosts, moving.Select(m => m.Source).Distinct().Count());
            };
            h.Nova.BeforeActionAnswer = _ => Task.Delay(10);

            var results = await h.RunAsync(EngineHarness.Options(o => { o.ThrottleLimit = 4; o.ThrottleLimitPerHost = 2; }), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.True(worstPerHost <= 2, $"{worstPerHost} at once from one host");
            Assert.True(worstOverall <= 4, $"{worstOverall} at once");
            Assert.True(mostHosts >= 2, "several hosts at a time");
            // First come, first served, except that a full host's third server lets the next host's pass.
            Assert.Equal(new[] { ids[0], ids[1], ids[3], ids[4] }, h.Nova.MoveActions.Take(4).Select(ServerOf));
        }

        [Fact]
        public async Task CtrlCWhileAnAnswerIsHeldReportsThatMoveAsNovaAnsweredIt()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);
            using var stop = new CancellationTokenSource();
            h.Nova.BeforeActionAnswer = async r =>
            {
                if (ServerOf(r) != ids[1]) return;
                stop.Cancel();          // Ctrl+C while nova-api is still answering the second move
                await Task.Delay(50);
            };

            var results = await h.RunAsync(EngineHarness.Options(o => o.ThrottleLimit = 2), ids, stop.Token);

            Assert.Equal(3, results.Count);
            var held = EngineHarness.For(results, ids[1]);
            Assert.Equal(MigrationOutcome.StillRunning, held.Outcome);        // nova took it: never reported as not started
            Assert.StartsWith("req-", held.RequestId);
            Assert.Equal(MigrationOutcome.StillRunning, EngineHarness.For(results, ids[0]).Outcome);
            Assert.Equal(MigrationOutcome.Cancelled, EngineHarness.For(results, ids[2]).Outcome);
            Assert.Equal(2, h.Nova.MoveActions.Count);
            Assert.Equal("POST", h.Nova.Requests.Last().Method);              // no call after the answer
        }

        [Fact]
        public void TheWaitingLineIsFirstComeFirstServedAndLetsAFullHostsServersBePassed()
        {
            var h = new EngineHarness();
            var a = h.AddServers(2, "a", "a");
            var b = h.AddServers(1, "b", "b");
            var c = h.AddServers(1, "c", "c");
            var line = new WaitingLine();
            foreach (var id in new[] { a[0], b[0], a[1], c[0] }) line.Add(h.Request(id));

            var order = new List<string>();
            while (line.TryTake(_ => true, out var r)) order.Add(r.Server.Id);
            Assert.Equal(new[] { a[0], b[0], a[1], c[0] }, order);

            foreach (var id in new[] { a[0], a[1], b[0], c[0] }) line.Add(h.Request(id));
            Assert.True(line.TryTake(host => host != "a", out var first));
            Assert.Equal(b[0], first.Server.Id);
            Assert.True(line.TryTake(host => host != "a", out var second));
            Assert.Equal(c[0], second.Server.Id);
            Assert.False(line.TryTake(host => host != "a", out _));
            Assert.Equal(2, line.Count);
        }
    }
}
