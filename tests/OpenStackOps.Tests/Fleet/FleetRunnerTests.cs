using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Maintenance;
using OpenStackOps.Maintenance.Fleet;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Fleet
{
    /// <summary>The fleet run against the engine tests' fake nova on a virtual clock: steps, state, failures, move-back.</summary>
    public class FleetRunnerTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "fleet-" + Guid.NewGuid().ToString("N"));

        public FleetRunnerTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private sealed class Rig
        {
            public readonly EngineHarness H = new EngineHarness();
            public readonly FakeFleetCloud Cloud;
            public readonly FleetEventLog Log = new FleetEventLog();
            public int MaxDisabled;

            public Rig(int hosts, int serversEach, int ramMb = 65536)
            {
                Cloud = new FakeFleetCloud(H.Nova, H.Clock);
                for (int i = 1; i <= hosts; i++) Cloud.Add($"h{i}", n => n.RamMb = ramMb);
                for (int i = 1; i <= hosts; i++) H.AddServers(serversEach, $"h{i}", $"vm{i}");
                H.Nova.OnRequest = _ => Track();
            }

            public void Track() => MaxDisabled = Math.Max(MaxDisabled, Cloud.Nodes.Count(n => n.Status == "disabled"));

            public FleetMaintenanceRunner Runner(string statePath = null) => new FleetMaintenanceRunner(H.Compute, Cloud, Cloud, Log, H.Clock) { StatePath = statePath };

            public static FleetRunOptions Options(int n, Action<FleetRunOptions> configure = null)
            {
                var o = new FleetRunOptions { Reason = "CHG-18 kernel", MaxNodesOut = n, Migration = EngineHarness.Options() };
                configure?.Invoke(o);
                return o;
            }

            public string[] Hosts(params int[] numbers) => numbers.Select(i => $"h{i}").ToArray();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public async Task EveryNodeIsDisabledDrainedMaintainedCheckedAndEnabledWithAtMostNOut(int n)
        {
            var rig = new Rig(5, 3);
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2, 3, 4), Rig.Options(n), null, CancellationToken.None);
            Assert.Equal("Completed", summary.Status);
            Assert.Equal(4, summary.NodesDone);
            Assert.Equal(12, summary.ServersMoved);
            Assert.Empty(summary.Failures);
            Assert.InRange(rig.MaxDisabled, 1, n);
            Assert.All(rig.Cloud.Nodes, x => Assert.Equal("enabled", x.Status));
            // Each node: disabled before its maintenance, checked after it, enabled last.
            foreach (var host in rig.Hosts(1, 2, 3, 4))
            {
                var steps = rig.Log.Events.Where(e => e.Event == "NodeStep" && e.Node == host).Select(e => e.Step).ToArray();
                Assert.Equal(new[] { "Disabled", "Drained", "Maintained", "Checked", "Enabled", "Done" }, steps);
            }
            // Every server of h1..h4 ended on h5 or on a node already done, never on a node while it was out.
            Assert.All(rig.H.Nova.Servers.Values, s => Assert.NotNull(s.Host));
        }

        [Fact]
        public async Task NodesOfAWaveAreDrainedAtOnceAtMostOneMigrationPerNode()
        {
            var rig = new Rig(4, 4);
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(2), null, CancellationToken.None);
            Assert.Equal(2, summary.NodesDone);
            Assert.Equal(1, summary.Waves);
            Assert.Equal(2, rig.H.Nova.MaxConcurrentSeen);              // one from h1 and one from h2 at a time
        }

        [Fact]
        public async Task AWaveTheRestCannotTakeIsRefusedWithWhatIsShortAndItsNodeIsNeverDisabled()
        {
            var rig = new Rig(3, 2, ramMb: 8192);                       // 2 x 2 GiB on each 8 GiB node
            rig.H.AddServers(1, "h1", "big").ForEach(id => rig.H.Nova.Servers[id].RamMb = 6144);   // h1: 10 GiB, 8 free elsewhere
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(1), null, CancellationToken.None);
            var f = summary.Failures.Single();
            Assert.Equal("h1", f.Node);
            Assert.Equal("FleetCapacityShort", f.ErrorId);
            Assert.Equal("Capacity", f.Step);
            Assert.False(f.LeftDisabled);
            Assert.Contains("MEMORY_MB short by 2048", f.Reason);
            Assert.DoesNotContain(rig.Cloud.Log, l => l.EndsWith("disable h1"));
            Assert.Equal(new[] { "h2" }, summary.NodesDoneList.ToArray());   // -OnNodeFailure Continue: the next wave ran
            Assert.Equal("CompletedWithFailures", summary.Status);
        }

        [Fact]
        public async Task ANodeThatFailsItsCheckStaysDisabledAndStopStopsTheRunAfterItsWave()
        {
            var rig = new Rig(4, 1);
            rig.Cloud.OnCheck = host => host == "h1" ? new FleetNodeCheck { Healthy = false, Problems = new[] { "nova-compute not running" } } : null;
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2, 3), Rig.Options(1, o => o.ContinueOnNodeFailure = false), null, CancellationToken.None);
            Assert.Equal("Stopped", summary.Status);
            var f = summary.Failures.Single();
            Assert.Equal(("h1", "Check", "FleetNodeUnhealthy", true), (f.Node, f.Step, f.ErrorId, f.LeftDisabled));
            Assert.Contains("nova-compute not running", f.Reason);
            Assert.Equal("disabled", rig.Cloud.Nodes.Single(x => x.Host == "h1").Status);
            Assert.Equal(0, summary.NodesDone);
            Assert.Equal(3, summary.NodesLeft);
            Assert.DoesNotContain(rig.Cloud.Log, l => l.EndsWith("disable h2"));
        }

        [Fact]
        public async Task AFailedMaintenanceLeavesTheNodeDisabledAndContinueGoesOn()
        {
            var rig = new Rig(3, 1);
            rig.Cloud.OnMaintain = host => host == "h1" ? throw new InvalidOperationException("yum: no space left") : Task.CompletedTask;
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(1), null, CancellationToken.None);
            var f = summary.Failures.Single();
            Assert.Equal(("h1", "Maintenance", "FleetMaintenanceFailed"), (f.Node, f.Step, f.ErrorId));
            Assert.Contains("yum: no space left", f.Reason);
            Assert.Equal("disabled", rig.Cloud.Nodes.Single(x => x.Host == "h1").Status);
            Assert.Equal(new[] { "h2" }, summary.NodesDoneList.ToArray());
        }

        [Fact]
        public async Task StopAfterDrainPausesAndTheNextRunGoesOnFromTheStateFileNeverRedoingADoneNode()
        {
            string path = Path.Combine(_dir, "fleet.json");
            var rig = new Rig(4, 2);
            var first = await rig.Runner(path).RunAsync(rig.Hosts(1, 2, 3), Rig.Options(2, o => o.StopAfterDrain = true), FleetState.Load(path), CancellationToken.None);
            Assert.Equal("Paused", first.Status);
            Assert.Equal(2, first.NodesDrained);
            var saved = FleetState.Load(path);
            Assert.Equal(new[] { "Drained", "Drained", "Pending" }, saved.Nodes.Select(x => x.Step).ToArray());
            Assert.Equal(2, rig.Cloud.Nodes.Count(x => x.Status == "disabled"));
            Assert.DoesNotContain(rig.H.Nova.Servers.Values, s => s.Host == "h1" || s.Host == "h2");

            // The operator works on h1 and h2 by hand, then runs again with the same state file (a new pwsh).
            rig.Cloud.HasMaintenance = false;
            var second = await rig.Runner(path).RunAsync(rig.Hosts(1, 2, 3), Rig.Options(2), FleetState.Load(path), CancellationToken.None);
            Assert.Equal("Completed", second.Status);
            Assert.Equal(3, second.NodesDone);
            Assert.Equal(1, rig.Cloud.Log.Count(l => l.EndsWith("disable h1")));     // not disabled or drained again
            Assert.All(FleetState.Load(path).Nodes, x => Assert.Equal("Done", x.Step));

            // A third run changes nothing.
            long calls = rig.H.Calls.Count;
            var third = await rig.Runner(path).RunAsync(rig.Hosts(1, 2, 3), Rig.Options(2), FleetState.Load(path), CancellationToken.None);
            Assert.Equal(0, third.Waves);
            Assert.Equal(calls, rig.H.Calls.Count);
        }

        [Fact]
        public void AStateFileThatIsNotOneSaysSo()
        {
            string path = Path.Combine(_dir, "bad.json");
            File.WriteAllText(path, "{ not json");
            var e = Assert.Throws<FleetMaintenanceException>(() => FleetState.Load(path));
            Assert.Equal("FleetStateInvalid", e.Outcome);
            Assert.True(e.IsFullId);
            Assert.Contains(path, e.Message);
        }

        [Fact]
        public async Task MoveBackReturnsEveryServerToItsNode()
        {
            var rig = new Rig(3, 2);
            var home = rig.H.Nova.Servers.Values.ToDictionary(s => s.Id, s => s.Host);
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(1, o => o.MoveBack = true), null, CancellationToken.None);
            Assert.Equal("Completed", summary.Status);
            Assert.Equal(4, summary.ServersMoved);
            Assert.Equal(4, summary.ServersMovedBack);
            Assert.All(rig.H.Nova.Servers.Values, s => Assert.Equal(home[s.Id], s.Host));
        }

        [Fact]
        public async Task AntiAffinityMembersNeverShareAHostDuringTheRun()
        {
            var rig = new Rig(4, 1);
            var members = rig.H.Nova.Servers.Values.Where(s => s.Host == "h1" || s.Host == "h2" || s.Host == "h3").Select(s => s.Id).ToArray();
            rig.Cloud.Groups.Add(new ServerGroup { Id = "g1", Name = "db", Policy = "anti-affinity", Members = members });
            int worst = 0;
            rig.H.Nova.OnRequest = _ => worst = Math.Max(worst, members.Select(m => rig.H.Nova.Servers[m].Host).GroupBy(h => h).Max(g => g.Count()));
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2, 3), Rig.Options(3), null, CancellationToken.None);
            Assert.Equal(3, summary.NodesDone);
            Assert.Equal(1, worst);
            Assert.Equal(3, summary.Waves);                             // each holds a member: one at a time despite N=3
        }
    
        [Fact]
        public async Task AMoveNovaRolledBackIsTriedOnceMoreAndTwiceRolledBackLeavesTheNodeDisabledAndNotEmpty()
        {
            var rig = new Rig(3, 2);
            var ids = rig.H.Nova.Servers.Values.Where(s => s.Host == "h1").Select(s => s.Id).ToList();
            rig.H.Nova.Script(ids[0], new MigrationScript { Outcome = ScriptOutcome.RollBack });
            var once = await rig.Runner().RunAsync(rig.Hosts(1), Rig.Options(1), null, CancellationToken.None);
            Assert.Equal("Completed", once.Status);                     // the second try used the default script: completed
            Assert.Equal(2, rig.H.Nova.MoveActions.Count(r => r.Uri.AbsolutePath.Contains(ids[0])));

            var rig2 = new Rig(3, 2);
            var id = rig2.H.Nova.Servers.Values.First(s => s.Host == "h1").Id;
            rig2.H.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.RollBack });
            rig2.H.Nova.OnRequest = r => { if (r.Method == "POST" && r.Uri.AbsolutePath.Contains(id)) rig2.H.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.RollBack }); };
            var twice = await rig2.Runner().RunAsync(rig2.Hosts(1), Rig.Options(1), null, CancellationToken.None);
            var f = twice.Failures.Single();
            Assert.Equal(("h1", "Drain", "FleetNodeNotEmpty", true), (f.Node, f.Step, f.ErrorId, f.LeftDisabled));
            Assert.Contains("RolledBack", f.Reason);
            Assert.Equal("disabled", rig2.Cloud.Nodes.Single(x => x.Host == "h1").Status);
            Assert.Equal(2, rig2.H.Nova.MoveActions.Count(r => r.Uri.AbsolutePath.Contains(id)));   // not a third time
        }

        /// <summary>
        /// The devcloud's case: wave 1 takes a member off h1 to the only host free of the group (h4) and back; wave 2's
        /// member is planned to h4, which the scheduler still sees holding the first member until h4's instance sync.
        /// </summary>
        private static (Rig rig, string[] members, StaleSchedulerView scheduler) GroupRig()
        {
            var rig = new Rig(4, 1);
            rig.Cloud.HasMaintenance = false;
            var members = new[] { "h1", "h2", "h3" }.Select(h => rig.H.Nova.Servers.Values.Single(s => s.Host == h).Id).ToArray();
            rig.Cloud.Groups.Add(new ServerGroup { Id = "g1", Name = "db", Policy = "anti-affinity", Members = members });
            rig.H.Nova.Servers.Values.Single(s => s.Host == "h4").Deleted = true;   // h4: the spare, empty
            return (rig, members, new StaleSchedulerView(rig.H.Nova, rig.H.Clock, rig.Cloud.Groups));
        }

        /// <summary>The live migrations sent to the spare h4, in order (refused ones too).</summary>
        private static System.Collections.Generic.List<FakeMigration> ToSpare(Rig rig)
            => rig.H.Nova.Migrations.Where(m => m.Type == "live-migration" && m.Dest == "h4").OrderBy(m => m.Id).ToList();

        [Fact]
        public async Task AMemberIsSentToAHostAnotherMemberLeftOnlyAfterThatHostsInstanceSyncAndNovaNeverRefusesIt()
        {
            var (rig, members, scheduler) = GroupRig();
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(1, o => o.MoveBack = true), null, CancellationToken.None);

            Assert.Equal("Completed", summary.Status);
            Assert.Empty(scheduler.Refused);
            var toSpare = ToSpare(rig);
            Assert.Equal(new[] { members[0], members[1] }, toSpare.Select(m => m.InstanceUuid));   // h1's member, then h2's
            var left = scheduler.Departures(members[0], "h4").Single();             // h1's member went home
            var wait = Assert.Single(rig.Log.Events, e => e.Event == "SchedulerSyncWait");
            Assert.Equal((members[1], "h4", 2), (wait.ServerId, wait.Destination, wait.Wave));
            Assert.True(toSpare[1].Created >= left + TimeSpan.FromSeconds(120), $"sent {(toSpare[1].Created - left).TotalSeconds:0} s after the member left h4");
            Assert.True(toSpare[1].Created <= left + TimeSpan.FromSeconds(120) + SchedulerViewLag.Margin + TimeSpan.FromSeconds(30), $"waited {(toSpare[1].Created - left).TotalSeconds:0} s");
            Assert.Equal(4, summary.ServersMoved + summary.ServersMovedBack);
        }

        [Fact]
        public async Task WithoutTheWaitTheSchedulerRefusesTheMoveAndItsImmediateRetry()
        {
            // What the devcloud showed before the wait: the run told the computes sync at once (0) meets the stale view twice.
            var (rig, members, scheduler) = GroupRig();
            var summary = await rig.Runner().RunAsync(rig.Hosts(1, 2), Rig.Options(1, o => { o.MoveBack = true; o.SchedulerInstanceSyncInterval = TimeSpan.Zero; }), null, CancellationToken.None);

            Assert.Equal(2, scheduler.Refused.Count(r => r.ServerId == members[1]));
            var f = summary.Failures.Single();
            Assert.Equal(("h2", "FleetNodeNotEmpty"), (f.Node, f.ErrorId));
            Assert.Contains("No valid host", f.Reason);
        }

        [Fact]
        public async Task AMemberRefusedForAMoveMadeBeforeTheRunIsTriedAgainAfterTheInstanceSync()
        {
            // The run cannot know of a move made just before it: the refusal itself tells it to wait one sync interval.
            var (rig, members, scheduler) = GroupRig();
            scheduler.EarlierDepartures.Add((members[2], "h4", rig.H.Clock.UtcNow));   // h3's member was on h4 a moment ago
            var summary = await rig.Runner().RunAsync(rig.Hosts(1), Rig.Options(1), null, CancellationToken.None);

            Assert.Equal("Completed", summary.Status);
            var refused = Assert.Single(scheduler.Refused);
            Assert.Equal((members[0], "h4"), (refused.ServerId, refused.Destination));
            var tries = ToSpare(rig);
            Assert.Equal(new[] { members[0], members[0] }, tries.Select(m => m.InstanceUuid));
            Assert.True(tries[1].Created >= refused.At + TimeSpan.FromSeconds(120), $"retried {(tries[1].Created - refused.At).TotalSeconds:0} s after the refusal");
            Assert.Equal("h4", rig.H.Nova.Servers[members[0]].Host);
            Assert.Contains(rig.Log.Events, e => e.Event == "SchedulerSyncWait" && e.ServerId == members[0]);
        }
    }
}
