using System;
using System.Collections.Generic;
using System.Linq;
using OpenStackOps.Checks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Compute.Services;
using OpenStackOps.Placement;
using Xunit;

namespace OpenStackOps.Tests.Checks
{
    public class ServerProblemRulesTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

        private static Server Server(string name, string host = "c01", string status = "ACTIVE", PowerState power = PowerState.Running,
            string task = null, DateTimeOffset? updated = null)
            => new Server { Id = "id-" + name, Name = name, Host = host, HypervisorHostname = host, Status = status, Power = power, TaskState = task, Updated = updated ?? Now.AddDays(-3), ProjectId = "p1" };

        private static ComputeService Up(string host) => new ComputeService { Host = host, Binary = "nova-compute", State = "up", Status = "enabled" };

        private static ConsumerAllocation Alloc(string consumer, string provider)
            => new ConsumerAllocation { ConsumerUuid = consumer, ProviderUuid = "rp-" + provider, ProviderName = provider, Resources = new Dictionary<string, long> { ["VCPU"] = 1, ["MEMORY_MB"] = 512 } };

        private static IReadOnlyList<ServerProblem> Judge(IEnumerable<Server> servers, IEnumerable<ComputeService> services = null,
            IEnumerable<MigrationRecord> migrations = null, IEnumerable<ConsumerAllocation> allocations = null)
            => ServerProblemRules.Judge(new ServerCheckFacts
            {
                Servers = servers.ToList(), ComputeServices = (services ?? new[] { Up("c01"), Up("c02") }).ToList(),
                OpenOrFailedMigrations = (migrations ?? new MigrationRecord[0]).ToList(), Allocations = allocations?.ToList(), Now = Now,
            }, Hour);

        [Fact]
        public void AHealthyCloudHasNoProblem()
        {
            var servers = new[] { Server("web-1"), Server("db-1", "c02"), Server("off", status: "SHUTOFF", power: PowerState.Shutdown) };
            Assert.Empty(Judge(servers, allocations: servers.Select(s => Alloc(s.Id, s.HypervisorHostname))));
        }

        [Fact]
        public void AnErrorServerCarriesNovasFaultAndTheSchedulerStepForNoValidHost()
        {
            var s = Server("big", host: null, status: "ERROR", power: PowerState.NoState);
            s.Fault = "No valid host was found. (code 500)";
            s.FaultAt = Now.AddMinutes(-5);
            var p = Assert.Single(Judge(new[] { s }));
            Assert.Equal("Error", p.Kind);
            Assert.Equal("nova's fault: No valid host was found. (code 500)", p.Reason);
            Assert.Equal(Now.AddMinutes(-5), p.Since);
            Assert.Contains("capacity", p.NextStep);

            var reset = Server("reset", status: "ERROR", power: PowerState.Running);
            var q = Assert.Single(Judge(new[] { reset }, allocations: new[] { Alloc(reset.Id, "c01") }));
            Assert.Contains("no fault recorded", q.Reason);
            Assert.Contains("openstack server set --state active id-reset", q.NextStep);
        }

        [Fact]
        public void ATaskIsStuckOnlyAfterTheThreshold()
        {
            var fresh = Server("fresh", task: "migrating", updated: Now.AddMinutes(-59));
            var stuck = Server("stuck", task: "powering-off", updated: Now.AddMinutes(-61));
            var p = Assert.Single(Judge(new[] { fresh, stuck }));
            Assert.Equal("StuckTask", p.Kind);
            Assert.Equal("stuck", p.ServerName);
            Assert.Equal("task_state 'powering-off' unchanged for 1 h 1 min", p.Reason);
        }

        [Theory]
        [InlineData("ACTIVE", PowerState.Shutdown, "status ACTIVE but the hypervisor reports power state Shutdown")]
        [InlineData("ACTIVE", PowerState.NoState, "status ACTIVE but the hypervisor reports power state NoState")]
        [InlineData("SHUTOFF", PowerState.Running, "status SHUTOFF but the hypervisor reports it Running")]
        public void PowerStateDisagreeingWithTheStatus(string status, PowerState power, string reason)
        {
            var p = Assert.Single(Judge(new[] { Server("x", status: status, power: power) }));
            Assert.Equal("PowerMismatch", p.Kind);
            Assert.Equal(reason, p.Reason);
        }

        [Fact]
        public void ATaskInFlightIsNoPowerMismatch()
            => Assert.Empty(Judge(new[] { Server("x", status: "ACTIVE", power: PowerState.Shutdown, task: "powering-on", updated: Now) }));

        [Fact]
        public void ServersOnADownOrFencedHostAreNamedWithTheirNextStep()
        {
            var services = new[] { Up("c01"), new ComputeService { Host = "c02", State = "down", UpdatedAt = Now.AddMinutes(-10) },
                new ComputeService { Host = "c03", State = "down", ForcedDown = true, DisabledReason = "fenced by the monitor" } };
            var problems = Judge(new[] { Server("a"), Server("b", "c02"), Server("c", "c03") }, services);
            Assert.Equal(new[] { "OnDownHost b", "OnForcedDownHost c" }, problems.Select(p => p.Kind + " " + p.ServerName));
            Assert.Contains("Invoke-NodeEvacuation -ComputeNode 'c02' -ForceDown -Fenced", problems[0].NextStep);
            Assert.Equal("its host 'c03' is forced down (fenced): fenced by the monitor", problems[1].Reason);
        }

        [Fact]
        public void AnOpenMigrationIsStuckAfterTheThresholdAndAResizeWaitsForConfirmation()
        {
            var s = Server("mover", task: null);
            var migrations = new[]
            {
                new MigrationRecord { Id = 7, Uuid = "m7", InstanceUuid = s.Id, MigrationType = "live-migration", Status = "running", SourceCompute = "c01", DestCompute = "c02", UpdatedAt = Now.AddHours(-2) },
                new MigrationRecord { Id = 8, Uuid = "m8", InstanceUuid = s.Id, MigrationType = "resize", Status = "finished", SourceCompute = "c01", DestCompute = "c02", UpdatedAt = Now.AddDays(-2) },
                new MigrationRecord { Id = 9, Uuid = "m9", InstanceUuid = s.Id, MigrationType = "live-migration", Status = "queued", SourceCompute = "c01", DestCompute = "c02", UpdatedAt = Now.AddMinutes(-5) },
            };
            var problems = Judge(new[] { s }, migrations: migrations);
            Assert.Equal(new long?[] { 7, 8 }, problems.Select(p => p.MigrationId));
            Assert.All(problems, p => Assert.Equal("MigrationStuck", p.Kind));
            Assert.Equal("live-migration 7 from 'c01' to 'c02' is 'running' for 2 h 0 min", problems[0].Reason);
            Assert.Contains("resize confirm", problems[1].NextStep);
        }

        /// <summary>nova's record of a cold migration whose chosen destination never took prep_resize: no dest_compute.</summary>
        [Fact]
        public void AMigrationNoDestinationTookSaysSoAndWhereToLook()
        {
            var s = Server("mover", task: "resize_prep", updated: Now.AddHours(-2));
            var m = new MigrationRecord { Id = 12, Uuid = "m12", InstanceUuid = s.Id, MigrationType = "migration", Status = "pre-migrating", SourceCompute = "c01", DestCompute = null, UpdatedAt = Now.AddHours(-2) };
            var problems = Judge(new[] { s }, migrations: new[] { m });
            var stuck = Assert.Single(problems, p => p.Kind == "MigrationStuck");
            Assert.Equal("migration 12 from 'c01' is 'pre-migrating' for 2 h 0 min: no destination's nova-compute has taken it", stuck.Reason);
            Assert.Contains("Test-ComputeNodeHealth", stuck.NextStep);
            Assert.Contains("openstack server event list " + s.Id, stuck.NextStep);
            var task = Assert.Single(problems, p => p.Kind == "StuckTask");
            Assert.Contains("resize_prep", task.Reason);
        }

        [Fact]
        public void AllocationsElsewhereMissingOrphanedOrHeldByAFailedMigration()
        {
            var here = Server("here");
            var elsewhere = Server("elsewhere", "c02");
            var none = Server("none");
            var failed = new MigrationRecord { Id = 3, Uuid = "mig-3", InstanceUuid = here.Id, MigrationType = "evacuation", Status = "error", SourceCompute = "c02", DestCompute = "c01", UpdatedAt = Now.AddDays(-1) };
            var allocations = new[] { Alloc(here.Id, "c01"), Alloc(elsewhere.Id, "c03"), Alloc("gone-1", "c01"), Alloc("mig-3", "c02") };

            var problems = Judge(new[] { here, elsewhere, none }, migrations: new[] { failed }, allocations: allocations);

            Assert.Equal(new[] { "MigrationHoldsResources here", "AllocationElsewhere elsewhere", "AllocationMissing none", "OrphanAllocation gone-1" },
                problems.Select(p => p.Kind + " " + (p.ServerName ?? p.ServerId)));
            Assert.Equal(3, problems[0].MigrationId);
            Assert.Equal("placement holds VCPU=1, MEMORY_MB=512 for it on 'c03' while it runs on 'c02'", problems[1].Reason);
            Assert.Equal("c01", problems[3].Host);
            Assert.Contains("openstack resource provider allocation delete gone-1", problems[3].NextStep);
        }

        [Fact]
        public void AServerInAnOpenMigrationMayHoldTwoAllocations()
        {
            var s = Server("moving", task: "migrating", updated: Now);
            var open = new MigrationRecord { Id = 5, Uuid = "mig-5", InstanceUuid = s.Id, Status = "running", SourceCompute = "c01", DestCompute = "c02", UpdatedAt = Now };
            Assert.Empty(Judge(new[] { s }, migrations: new[] { open }, allocations: new[] { Alloc("mig-5", "c01"), Alloc(s.Id, "c02") }));
        }

        [Fact]
        public void WithoutPlacementNoAllocationIsJudged()
            => Assert.Empty(Judge(new[] { Server("x") }, allocations: null));
    }
}
