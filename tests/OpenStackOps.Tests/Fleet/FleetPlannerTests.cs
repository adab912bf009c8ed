using System;
using System.Collections.Generic;
using System.Linq;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;
using OpenStackOps.Maintenance.Fleet;
using OpenStackOps.Placement;
using Xunit;

namespace OpenStackOps.Tests.Fleet
{
    /// <summary>The fleet planner: waves, capacity before each wave, destinations, server groups. Pure: no cloud.</summary>
    public class FleetPlannerTests
    {
        /// <summary>A cloud of hosts with the given room (vCPU, MiB, GiB), and servers on them.</summary>
        internal sealed class Cloud
        {
            public readonly List<FleetHost> Hosts = new List<FleetHost>();
            public readonly List<Server> Servers = new List<Server>();
            public readonly List<ServerGroup> Groups = new List<ServerGroup>();
            private int _next;

            public Cloud Host(string name, int vcpus = 16, int ramMb = 32768, int diskGb = 400, string zone = "nova", bool enabled = true, bool up = true,
                              int reservedMb = 0, double cpuRatio = 1.0)
            {
                Hosts.Add(new FleetHost
                {
                    Host = name, Zone = zone, Enabled = enabled, Up = up,
                    Resources = new[]
                    {
                        new ResourceCapacity { ResourceClass = "VCPU", Total = vcpus, AllocationRatio = cpuRatio },
                        new ResourceCapacity { ResourceClass = "MEMORY_MB", Total = ramMb, Reserved = reservedMb },
                        new ResourceCapacity { ResourceClass = "DISK_GB", Total = diskGb },
                    },
                });
                return this;
            }

            public Server Vm(string host, int vcpus = 2, int ramMb = 4096, int diskGb = 20, string name = null, Action<Server> configure = null)
            {
                var s = new Server
                {
                    Id = $"00000000-0000-4000-8000-{++_next:D12}", Name = name ?? $"vm{_next}", Host = host, Status = "ACTIVE", VmState = "active",
                    FlavorVcpus = vcpus, FlavorRamMb = ramMb, FlavorDiskGb = diskGb, ImageId = "img",
                };
                configure?.Invoke(s);
                Servers.Add(s);
                var h = Hosts.First(x => x.Host == host);
                foreach (var r in h.Resources)
                    r.Used += r.ResourceClass == "VCPU" ? vcpus : r.ResourceClass == "MEMORY_MB" ? ramMb : s.BootFromVolume ? 0 : diskGb;
                return s;
            }

            public ServerGroup Group(string name, string policy, params Server[] members)
            {
                var g = new ServerGroup { Id = "g-" + name, Name = name, Policy = policy, Members = members.Select(m => m.Id).ToArray() };
                Groups.Add(g);
                return g;
            }

            public FleetPlan Plan(int n, params string[] targets) => Plan(n, false, targets);

            public FleetPlan Plan(int n, bool moveBack, params string[] targets) => FleetPlanner.Plan(new FleetPlanInput
            {
                Hosts = Hosts, Servers = Servers, Groups = Groups, Targets = targets, MaxNodesOut = n, MoveBack = moveBack,
            });
        }

        private static Cloud Uniform(int hosts, int serversEach, int vcpus = 16, int ramMb = 32768)
        {
            var c = new Cloud();
            for (int i = 1; i <= hosts; i++) c.Host($"h{i:D2}", vcpus, ramMb);
            for (int i = 1; i <= hosts; i++)
                for (int k = 0; k < serversEach; k++) c.Vm($"h{i:D2}");
            return c;
        }

        private static string[] All(Cloud c) => c.Hosts.Select(h => h.Host).ToArray();

        /// <summary>Replays a plan: no host ever holds more than placement gives it, and no server stays on a node while it is out.</summary>
        private static void AssertFeasible(Cloud c, FleetPlan plan, bool moveBack = false)
        {
            var used = c.Hosts.ToDictionary(h => h.Host, h => h.Resources.ToDictionary(r => r.ResourceClass, r => r.Used));
            var cap = c.Hosts.ToDictionary(h => h.Host, h => h.Resources.ToDictionary(r => r.ResourceClass, r => r.Capacity));
            var where = c.Servers.ToDictionary(s => s.Id, s => s.Host);
            var byId = c.Servers.ToDictionary(s => s.Id);
            foreach (var w in plan.Waves.Where(w => !w.Refused))
            {
                var moved = new List<(Server s, string from, string to)>();
                foreach (var m in w.Moves.Where(m => m.Placement == "Planned"))
                {
                    Assert.DoesNotContain(m.Destination, w.Nodes);
                    Assert.Equal(m.SourceHost, where[m.ServerId]);
                    var s = byId[m.ServerId];
                    used[m.Destination]["VCPU"] += s.FlavorVcpus.Value; used[m.SourceHost]["VCPU"] -= s.FlavorVcpus.Value;
                    used[m.Destination]["MEMORY_MB"] += s.FlavorRamMb.Value; used[m.SourceHost]["MEMORY_MB"] -= s.FlavorRamMb.Value;
                    used[m.Destination]["DISK_GB"] += s.FlavorDiskGb.Value; used[m.SourceHost]["DISK_GB"] -= s.FlavorDiskGb.Value;
                    where[m.ServerId] = m.Destination;
                    moved.Add((s, m.SourceHost, m.Destination));
                }
                foreach (var h in used.Keys)
                    foreach (var cls in new[] { "VCPU", "MEMORY_MB", "DISK_GB" })
                        Assert.True(used[h][cls] <= cap[h][cls], $"wave {w.Number}: {h} {cls} {used[h][cls]} > {cap[h][cls]}");
                foreach (var n in w.Nodes)
                    Assert.DoesNotContain(where, kv => kv.Value == n && w.Moves.Any(m => m.ServerId == kv.Key && m.Placement == "Planned"));
                if (moveBack)
                    foreach (var (s, from, to) in moved)
                    {
                        foreach (var (cls, d) in new[] { ("VCPU", s.FlavorVcpus.Value), ("MEMORY_MB", s.FlavorRamMb.Value), ("DISK_GB", s.FlavorDiskGb.Value) })
                        { used[to][cls] -= d; used[from][cls] += d; }
                        where[s.Id] = from;
                    }
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(5)]
        public void AWholeFleetGoesInWavesOfAtMostNInTheOperatorsOrder(int n)
        {
            var c = Uniform(10, 3);
            var plan = c.Plan(n, All(c));
            Assert.All(plan.Waves, w => Assert.True(w.Nodes.Count <= n));
            Assert.Equal((10 + n - 1) / n, plan.Waves.Count);
            Assert.Equal(All(c), plan.Order.ToArray());                 // nothing in the way: the operator's order
            Assert.Empty(plan.RefusedNodes);
            Assert.Equal(30, plan.Moves.Select(m => m.ServerId).Distinct().Count());
            Assert.All(plan.Moves, m => Assert.Equal("Planned", m.Placement));
            // Early waves can only use nodes not yet maintained: a server moves at most twice.
            Assert.All(plan.Moves.GroupBy(m => m.ServerId), g => Assert.InRange(g.Count(), 1, 2));
            AssertFeasible(c, plan);
        }

        [Fact]
        public void DestinationsAreNeverANodeOfTheSameWaveNorADisabledOrDownNode()
        {
            var c = Uniform(6, 2);
            c.Host("off", enabled: false).Host("dead", up: false);
            var plan = c.Plan(3, "h01", "h02", "h03", "h04", "h05", "h06");
            var destinations = plan.Moves.Select(m => m.Destination).Distinct().ToList();
            Assert.DoesNotContain("off", destinations);
            Assert.DoesNotContain("dead", destinations);
            foreach (var w in plan.Waves) Assert.All(w.Moves, m => Assert.DoesNotContain(m.Destination, w.Nodes));
        }

        [Fact]
        public void NodesNotYetMaintainedAreTakenLastSoNoServerMovesTwice()
        {
            var c = Uniform(4, 2);
            c.Host("spare");
            var plan = c.Plan(1, "h01", "h02", "h03", "h04");
            // h01's servers go to the spare, not to h02..h04 which would be drained later; after h01 is done it is a free node.
            Assert.All(plan.Waves[0].Moves, m => Assert.Equal("spare", m.Destination));
            var everyMove = plan.Moves.Select(m => m.ServerId).ToList();
            Assert.Equal(everyMove.Count, everyMove.Distinct().Count());
            AssertFeasible(c, plan);
        }

        [Fact]
        public void AHostTooFullToDrainIsRefusedAloneSayingWhatIsShortAndTheOthersGoOn()
        {
            var c = new Cloud().Host("h01", 64, 65536).Host("h02", 16, 32768).Host("h03", 16, 32768);
            // h01 holds 52 GiB of servers; h02 and h03 have 24 GiB free each (48 together).
            for (int i = 0; i < 13; i++) c.Vm("h01", 1, 4096);
            for (int i = 0; i < 2; i++) c.Vm("h02", 1, 4096);
            for (int i = 0; i < 2; i++) c.Vm("h03", 1, 4096);
            var plan = c.Plan(1, "h01", "h02");
            var refused = plan.Waves.Single(w => w.Refused);
            Assert.Equal(new[] { "h01" }, refused.Nodes.ToArray());
            var memory = refused.Shortfalls.Single(s => s.ResourceClass == "MEMORY_MB");
            Assert.Equal(13 * 4096, memory.Needed);
            Assert.Equal(2 * 24576, memory.Free);                        // h02 and h03 stay in service in h01's wave
            Assert.Equal(4096, memory.Short);
            Assert.Equal("nova", memory.Zone);
            Assert.DoesNotContain(refused.Shortfalls, s => s.ResourceClass == "VCPU");
            Assert.Contains("MEMORY_MB short by 4096 in zone nova", refused.RefusalText);
            Assert.Equal(new[] { "h02" }, plan.Order.ToArray());
        }

        [Fact]
        public void ReservedAndAllocationRatiosArePlacementsAsTheSchedulerCountsThem()
        {
            // 4 pCPUs at ratio 4.0 take 16 vCPUs; 8 GiB less 6 GiB reserved leave 2 GiB.
            var c = new Cloud().Host("h01", 8, 8192).Host("h02", 4, 8192, reservedMb: 6144, cpuRatio: 4.0);
            c.Vm("h01", 8, 1024);
            c.Vm("h01", 4, 1024);
            Assert.Equal("Planned", c.Plan(1, "h01").Waves.Single().Status);
            c.Vm("h01", 1, 1024);                                        // 3 GiB needed, 2 GiB free
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.True(wave.Refused);
            Assert.Equal(2048, wave.Shortfalls.Single().Free);
        }

        [Fact]
        public void EnoughInTotalButNoSingleHostHasRoomRefusesNamingTheServer()
        {
            var c = new Cloud().Host("h01").Host("h02", 16, 32768).Host("h03", 16, 32768);
            c.Vm("h01", 4, 16384, name: "big");
            c.Vm("h02", 1, 20480);
            c.Vm("h03", 1, 20480);                                       // 12 GiB free on each: 24 GiB together, 16 needed
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.True(wave.Refused);
            Assert.Empty(wave.Shortfalls);
            var big = wave.Moves.Single();
            Assert.Equal("Unplaced", big.Placement);
            Assert.Contains("no node left in service in zone nova has room for VCPU=4, MEMORY_MB=16384", big.Reason);
        }

        [Fact]
        public void ServersStayInTheirZoneAndShortfallIsPerZone()
        {
            var c = new Cloud().Host("a1", zone: "az1").Host("a2", zone: "az1", ramMb: 4096).Host("b1", zone: "az2");
            c.Vm("a1", 1, 8192);
            var wave = c.Plan(1, "a1").Waves.Single();
            Assert.True(wave.Refused);                                   // b1 has room, but in another zone
            var s = wave.Shortfalls.Single();
            Assert.Equal("az1", s.Zone);
            Assert.Equal(4096, s.Free);
        }

        [Fact]
        public void TwoMembersOfAnAntiAffinityGroupNeverLandOnOneHost()
        {
            var c = Uniform(5, 0);
            var a = c.Vm("h01", name: "db-a");
            var b = c.Vm("h02", name: "db-b");
            var d = c.Vm("h03", name: "db-c");
            c.Group("db", "anti-affinity", a, b, d);
            var plan = c.Plan(1, "h01", "h02", "h03");
            AssertFeasible(c, plan);
            // After every wave, the members' hosts are distinct.
            var where = c.Servers.ToDictionary(s => s.Id, s => s.Host);
            foreach (var w in plan.Waves)
            {
                foreach (var m in w.Moves) where[m.ServerId] = m.Destination;
                Assert.Equal(3, new[] { a, b, d }.Select(s => where[s.Id]).Distinct().Count());
            }
        }

        [Fact]
        public void NodesHoldingMembersOfOneAntiAffinityGroupGoInDifferentWavesAndThePlanSaysWhy()
        {
            var c = Uniform(6, 1);
            var a = c.Vm("h01", name: "db-a");
            var b = c.Vm("h02", name: "db-b");
            c.Group("db", "anti-affinity", a, b);
            var plan = c.Plan(3, "h01", "h02", "h03", "h04");
            Assert.Equal(new[] { "h01", "h03", "h04" }, plan.Waves[0].Nodes.ToArray());
            Assert.Equal(new[] { "h02" }, plan.Waves[1].Nodes.ToArray());
            Assert.Contains(plan.Waves[0].Notes, n => n.Contains("h02 waits for a later wave") && n.Contains("db"));
        }

        [Fact]
        public void AnAntiAffinityMemberWithNoMemberFreeHostLeftIsUnplacedAndSaysSo()
        {
            var c = Uniform(3, 0);
            var members = new[] { c.Vm("h01", name: "a"), c.Vm("h02", name: "b"), c.Vm("h03", name: "c") };
            c.Group("ring", "anti-affinity", members);
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.True(wave.Refused);
            var m = wave.Moves.Single();
            Assert.Equal("Unplaced", m.Placement);
            Assert.Contains("anti-affinity group (ring)", m.Reason);
            Assert.Contains("h02, h03", m.Reason);
        }

        [Fact]
        public void MaxServerPerHostLetsAsManyMembersShareAHost()
        {
            var c = Uniform(2, 0);
            var members = new[] { c.Vm("h01", name: "a"), c.Vm("h02", name: "b") };
            c.Group("pair", "anti-affinity", members).MaxServerPerHost = 2;
            Assert.Equal("h02", c.Plan(1, "h01").Waves.Single().Moves.Single().Destination);
        }

        [Fact]
        public void AnAffinityGroupMovesTogetherToOneHostWithRoomForAll()
        {
            var c = new Cloud().Host("h01").Host("h02", 16, 10240).Host("h03", 16, 20480);
            var members = Enumerable.Range(1, 3).Select(i => c.Vm("h01", 2, 4096, name: "app" + i)).ToArray();
            c.Group("app", "affinity", members);
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.Equal("Planned", wave.Status);
            Assert.All(wave.Moves, m => Assert.Equal("h03", m.Destination)); // h02 could take two of them, not all three
            Assert.Contains(wave.Notes, n => n.Contains("affinity group app: 3 members on h01 move together"));
        }

        [Fact]
        public void AnAffinityGroupNoHostCanTakeTogetherRefusesTheWave()
        {
            var c = new Cloud().Host("h01").Host("h02", 16, 10240).Host("h03", 16, 10240);
            var members = Enumerable.Range(1, 3).Select(i => c.Vm("h01", 2, 4096, name: "app" + i)).ToArray();
            c.Group("app", "affinity", members);
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.True(wave.Refused);
            Assert.Empty(wave.Shortfalls);                              // 20 GiB free in total for 12: only together it fails
            Assert.All(wave.Moves, m => Assert.Contains("the 3 members of its affinity group together", m.Reason));
        }

        [Fact]
        public void SoftAntiAffinityPrefersAHostWithoutMembersButDoesNotBlock()
        {
            var c = new Cloud().Host("h01").Host("h02", ramMb: 65536).Host("h03");
            var a = c.Vm("h01", name: "a");
            var b = c.Vm("h02", name: "b");
            c.Group("soft", "soft-anti-affinity", a, b);
            Assert.Equal("h03", c.Plan(1, "h01").Waves.Single().Moves.Single().Destination); // h02 has more room, but a member
            var only = new Cloud().Host("h01").Host("h02");
            only.Group("soft", "soft-anti-affinity", only.Vm("h01"), only.Vm("h02"));
            Assert.Equal("h02", only.Plan(1, "h01").Waves.Single().Moves.Single().Destination);
        }

        [Fact]
        public void ServersThatCannotMoveAreSkippedWithTheReasonAndTheNodeIsSaidNotToBeEmpty()
        {
            var c = Uniform(2, 1);
            c.Vm("h01", name: "stopped", configure: s => { s.Status = "SHUTOFF"; s.VmState = "stopped"; });
            var wave = c.Plan(1, "h01").Waves.Single();
            Assert.Equal("Planned", wave.Status);
            var skipped = wave.Moves.Single(m => m.ServerName == "stopped");
            Assert.Equal("Skipped", skipped.Placement);
            Assert.Contains("SHUTOFF", skipped.Reason);
            Assert.Contains(wave.Notes, n => n.StartsWith("h01 will not be empty: stopped"));
        }

        [Fact]
        public void AServerWhoseFlavorSizeIsUnknownIsLeftToTheSchedulerWithTheReason()
        {
            var c = Uniform(2, 0);
            c.Vm("h01", configure: s => { s.FlavorVcpus = null; s.FlavorRamMb = null; });
            var m = c.Plan(1, "h01").Waves.Single().Moves.Single();
            Assert.Equal("Scheduler", m.Placement);
            Assert.Null(m.Destination);
            Assert.Contains("flavor's size is unknown", m.Reason);
        }

        [Fact]
        public void BootFromVolumeServersNeedNoDisk()
        {
            var c = new Cloud().Host("h01").Host("h02", diskGb: 10);
            c.Vm("h01", diskGb: 80, configure: s => s.ImageId = null);
            Assert.Equal("Planned", c.Plan(1, "h01").Waves.Single().Status);
        }

        [Fact]
        public void WithMoveBackAReturnedNodesRoomIsNotCountedTwice()
        {
            // Two spare-less hosts: h01's servers go to h02 and come back; then h02's go to h01 and come back.
            var c = new Cloud().Host("h01", ramMb: 16384).Host("h02", ramMb: 16384);
            c.Vm("h01", 1, 8192);
            c.Vm("h02", 1, 8192);
            var back = c.Plan(1, true, "h01", "h02");
            Assert.Equal(2, back.Waves.Count(w => !w.Refused));
            AssertFeasible(c, back, moveBack: true);
            // Without move-back h01's server stays on h02 (16 GiB used): h02's two servers need h01, which is empty.
            var stay = c.Plan(1, false, "h01", "h02");
            Assert.Equal(2, stay.Waves[1].Moves.Count);
            Assert.All(stay.Waves[1].Moves, m => Assert.Equal("h01", m.Destination));
        }

        [Fact]
        public void AWaveIsFilledOnlyWithNodesTheRestCanTake()
        {
            // Five hosts, 8 GiB each; each holds 4 GiB. Three out at once leave 2 x 4 GiB free for 12 GiB: only two fit.
            var c = new Cloud();
            for (int i = 1; i <= 5; i++) c.Host($"h{i}", 16, 8192);
            for (int i = 1; i <= 5; i++) c.Vm($"h{i}", 1, 4096);
            var plan = c.Plan(3, "h1", "h2", "h3", "h4", "h5");
            Assert.All(plan.Waves, w => Assert.False(w.Refused));
            Assert.True(plan.Waves[0].Nodes.Count < 3);
            AssertFeasible(c, plan);
            Assert.Equal(5, plan.Order.Count);
        }

        [Fact]
        public void PlanWaveIsTheCheckBeforeOneWaveOnTheCloudAsItIsNow()
        {
            var c = Uniform(3, 2);
            var input = new FleetPlanInput { Hosts = c.Hosts, Servers = c.Servers, Groups = c.Groups, Targets = new[] { "h01", "h02" }, MaxNodesOut = 2 };
            var wave = FleetPlanner.PlanWave(input, new[] { "h01", "h02" }, 4);
            Assert.Equal(4, wave.Number);
            Assert.Equal("Planned", wave.Status);
            Assert.All(wave.Moves, m => Assert.Equal("h03", m.Destination));
            c.Hosts.Single(h => h.Host == "h03").Enabled = false;          // someone disabled the only node left
            var refused = FleetPlanner.PlanWave(input, new[] { "h01", "h02" }, 4);
            Assert.True(refused.Refused);
            Assert.Equal(3, refused.Shortfalls.Count);
            Assert.All(refused.Shortfalls, s => Assert.Equal(0, s.Free));
        }

        [Fact]
        public void AnUnknownNodeIsRefusedAndTheRestPlanned()
        {
            var c = Uniform(3, 1);
            var plan = c.Plan(1, "h01", "nope");
            Assert.Equal(new[] { "nope" }, plan.RefusedNodes.ToArray());
            Assert.Equal(new[] { "h01" }, plan.Order.ToArray());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(5)]
        public void AtScaleEveryWaveIsFeasibleAndAntiAffinityHolds(int n)
        {
            var rng = new Random(18 + n);
            var c = new Cloud();
            for (int i = 1; i <= 50; i++) c.Host($"h{i:D2}", 96, 98304, 1000);
            for (int i = 0; i < 1000; i++) c.Vm($"h{rng.Next(1, 51):D2}", rng.Next(1, 3), 1024 * rng.Next(1, 3), 10);
            for (int g = 0; g < 30; g++)
            {
                var members = c.Servers.Where((s, i) => i % 30 == g).GroupBy(s => s.Host).Select(x => x.First()).Take(4).ToArray();
                c.Group("g" + g, "anti-affinity", members);
            }
            var plan = c.Plan(n, All(c));
            Assert.Empty(plan.RefusedNodes);
            Assert.Equal(50, plan.Order.Count);
            Assert.All(plan.Waves, w => Assert.InRange(w.Nodes.Count, 1, n));
            AssertFeasible(c, plan);
            var where = c.Servers.ToDictionary(s => s.Id, s => s.Host);
            foreach (var w in plan.Waves)
            {
                foreach (var m in w.Moves) where[m.ServerId] = m.Destination;
                foreach (var g in c.Groups)
                    Assert.Equal(g.Members.Count, g.Members.Select(m => where[m]).Distinct().Count());
            }
        }
    }
}
