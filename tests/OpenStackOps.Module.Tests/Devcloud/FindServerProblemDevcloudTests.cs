using System;
using System.Linq;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Find-ServerProblem against the devcloud with each weird state made for real: a boot the scheduler cannot place,
    /// a reset-state, a server ACTIVE in nova but shut off on its hypervisor, allocations edited in the real placement,
    /// a compute whose nova-compute is stopped while a stop request waits for it, and a cold migration whose
    /// destination's nova-compute is frozen (SIGSTOP) so nova's record stays 'pre-migrating'.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class FindServerProblemDevcloudTests
    {
        private static string Create(string name, string node, string flavor = "m1.tiny", bool wait = true)
            => Cloud.OpenStackCli($"server create --flavor {flavor} --image cirros-fake --network public --availability-zone nova:{node} {(wait ? "--wait " : "")}-f value -c id {name}").Trim();

        private static string Field(string id, string field) => Cloud.OpenStackCli($"server show {id} -f value -c {field}").Trim();

        private static string Placement(string arguments) => Cloud.OpenStackCli("--os-placement-api-version 1.28 " + arguments);

        private static string ProviderOf(string node) => Placement($"resource provider list --name {node} -f value -c uuid").Trim();

        /// <summary>The problems of this test's servers only: the devcloud is shared with the other tests.</summary>
        private static System.Collections.Generic.List<System.Management.Automation.PSObject> Problems(PowerShellHost host, string prefix, string parameters = "")
        {
            var r = host.Run($"Find-ServerProblem {parameters}");
            r.ThrowOnErrors();
            return r.Output.Where(o => (P(o, "ServerName") ?? "").StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }

        [Fact]
        public void NoValidHostResetStatePowerDriftAndPlacementDriftAreFoundWithTheirNextStep()
        {
            using var host = Cloud.Connected();
            string tag = Guid.NewGuid().ToString("N").Substring(0, 6), prefix = "osops-chk-" + tag;
            string orphan = Guid.NewGuid().ToString();
            // More disk than any fake node has (600000 GB): nova quotas do not count disk, so the scheduler is what refuses.
            Cloud.OpenStackCli($"flavor create --vcpus 1 --ram 512 --disk 700000 {prefix}-huge");
            string huge = Cloud.OpenStackCli($"server create --flavor {prefix}-huge --image cirros-fake --network public -f value -c id {prefix}-huge").Trim();
            string reset = Create(prefix + "-reset", "c01.example.com");
            string drift = Create(prefix + "-drift", "c01.example.com");
            string moved = Create(prefix + "-moved", "c01.example.com");
            try
            {
                Cloud.WaitFor(() => Field(huge, "status") == "ERROR", "the unplaceable server to go to ERROR");
                Cloud.OpenStackCli($"server set --state error {reset}");
                Cloud.OpenStackCli($"server stop {drift}");
                Cloud.WaitFor(() => Field(drift, "status") == "SHUTOFF", "the server to stop");
                Cloud.OpenStackCli($"server set --state active {drift}");          // nova says ACTIVE, the hypervisor says shut down
                // Placement drift: the server's allocation put on c02 while it runs on c01, and one for no server at all.
                string project = Field(moved, "project_id"), user = Field(moved, "user_id");
                Placement($"resource provider allocation set {moved} --allocation rp={ProviderOf("c02.example.com")},VCPU=1,MEMORY_MB=512 --project-id {project} --user-id {user}");
                Placement($"resource provider allocation set {orphan} --allocation rp={ProviderOf("c01.example.com")},VCPU=1 --project-id {project} --user-id {user}");

                var problems = Problems(host, prefix, "-StuckAfter 01:00:00");
                var orphanProblem = host.Run($"Find-ServerProblem -Kind OrphanAllocation").Output.Where(o => P(o, "ServerId") == orphan).ToList();

                var error = Assert.Single(problems, o => P(o, "ServerId") == huge);
                Assert.Equal("Error", P(error, "Kind"));
                Assert.Contains("No valid host was found", P(error, "Reason"));
                Assert.Contains("capacity", P(error, "NextStep"));
                var wasReset = Assert.Single(problems, o => P(o, "ServerId") == reset);
                Assert.Equal("Error", P(wasReset, "Kind"));
                Assert.Contains("no fault recorded", P(wasReset, "Reason"));
                var power = Assert.Single(problems, o => P(o, "ServerId") == drift);
                Assert.Equal("PowerMismatch", P(power, "Kind"));
                Assert.Equal("status ACTIVE but the hypervisor reports power state Shutdown", P(power, "Reason"));
                var elsewhere = Assert.Single(problems, o => P(o, "ServerId") == moved);
                Assert.Equal("AllocationElsewhere", P(elsewhere, "Kind"));
                Assert.Equal("placement holds VCPU=1, MEMORY_MB=512 for it on 'c02.example.com' while it runs on 'c01.example.com'", P(elsewhere, "Reason"));
                var o1 = Assert.Single(orphanProblem);
                Assert.Equal("c01.example.com", P(o1, "Host"));
                Assert.Contains("openstack resource provider allocation delete " + orphan, P(o1, "NextStep"));
            }
            finally
            {
                try { Placement($"resource provider allocation delete {orphan}"); } catch (InvalidOperationException) { }
                try { Cloud.DeleteServers(huge, reset, drift, moved); } catch (InvalidOperationException) { }
                try { Cloud.OpenStackCli($"flavor delete {prefix}-huge"); } catch (InvalidOperationException) { }
            }
        }

        private static string MigrationOf(string server, string column)
            => Cloud.OpenStackCli($"server migration list --server {server} -f value -c {column}").Trim();

        private static void Signal(int pid, string signal)
        {
            using var p = System.Diagnostics.Process.Start("/bin/kill", $"-{signal} {pid}");
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        /// <summary>
        /// A migration that never ends, made for real: c03's nova-compute is frozen (SIGSTOP: its process lives, holds
        /// its AMQP connection and takes nothing; nova still counts it up for service_down_time), then a server of c01
        /// is cold-migrated to c03. The conductor records the migration 'pre-migrating', the scheduler picks c03, the
        /// conductor casts prep_resize to c03's queue and nothing takes it: the migration stays 'pre-migrating' with no
        /// destination written and the server in resize_prep. Thawed (SIGCONT), c03 takes the request and the resize
        /// finishes; the server is deleted, its migration ends, c03 reports up.
        /// </summary>
        [Fact]
        public void AColdMigrationToAFrozenComputeStaysPreMigratingAndIsFoundWithItsMigration()
        {
            using var host = Cloud.Connected();
            string prefix = "osops-mig-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            string id = Create(prefix + "-c01", "c01.example.com");
            int frozen = int.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(Cloud.Directory, "pids", "nova-compute-c03.pid")).Trim());
            string migration = null;
            try
            {
                Signal(frozen, "STOP");
                Cloud.OpenStackCli($"server migrate --host c03.example.com {id}");
                Cloud.WaitFor(() => MigrationOf(id, "Status") == "pre-migrating" && Field(id, "OS-EXT-STS:task_state") == "resize_prep",
                    "the migration to wait for the frozen c03", 30);
                migration = MigrationOf(id, "Id");
                Thread.Sleep(4000);
                Assert.Equal("pre-migrating", MigrationOf(id, "Status"));     // still: nobody took it

                var problems = Problems(host, prefix, "-StuckAfter 00:00:03");

                var stuck = Assert.Single(problems, o => P(o, "Kind") == "MigrationStuck");
                Assert.Equal(migration, P(stuck, "MigrationId"));
                Assert.Equal(id, P(stuck, "ServerId"));
                Assert.Matches($"^migration {migration} from 'c01.example.com' is 'pre-migrating' for \\d+ s: no destination's nova-compute has taken it$", P(stuck, "Reason"));
                Assert.Contains("Test-ComputeNodeHealth", P(stuck, "NextStep"));
                Assert.Contains($"openstack server event list {id}", P(stuck, "NextStep"));
                var task = Assert.Single(problems, o => P(o, "Kind") == "StuckTask");
                Assert.Contains("task_state 'resize_prep' unchanged for ", P(task, "Reason"));
                Assert.Contains($"with migration {migration} pre-migrating", P(task, "Reason"));
            }
            finally
            {
                Signal(frozen, "CONT");
                try
                {
                    Cloud.WaitFor(() => Field(id, "status") == "VERIFY_RESIZE" || (Field(id, "status") == "ACTIVE" && Field(id, "OS-EXT-STS:task_state") == ""),
                        "the thawed c03 to take the migration", 60);
                }
                catch (TimeoutException) { }   // deleted below either way
                try { Cloud.OpenStackCli($"server delete --wait {id}"); } catch (InvalidOperationException) { }
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "nova to see c03 up", 60);
            }
            // Settled: nova's record of the migration is no longer open (deleted with its server), and the process that
            // was frozen is the one that runs.
            Assert.DoesNotContain(Cloud.Sql($"select status from nova.migrations where id = {long.Parse(migration)}").Single(), new[] { "pre-migrating", "migrating", "post-migrating", "finished", "confirming" });
            Assert.Equal(frozen, int.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(Cloud.Directory, "pids", "nova-compute-c03.pid")).Trim()));
        }

        [Fact]
        public void ServersOfAStoppedComputeAreOnADownHostAndAStopSentThereIsStuck()
        {
            using var host = Cloud.Connected();
            string prefix = "osops-chk-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            string id = Create(prefix + "-c03", "c03.example.com");
            try
            {
                Cloud.ComputeCtl("stop", "c03");
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "down", "nova to see c03 down", 150);
                Cloud.OpenStackCli($"server stop {id}");                          // the request waits in c03's queue
                Cloud.WaitFor(() => Field(id, "OS-EXT-STS:task_state") == "powering-off", "the stop to be accepted");
                Thread.Sleep(4000);

                var problems = Problems(host, prefix, "-StuckAfter 00:00:03");

                Assert.Equal(new[] { "StuckTask", "OnDownHost" }, problems.Select(o => P(o, "Kind")));
                Assert.StartsWith("task_state 'powering-off' unchanged for ", P(problems[0], "Reason"));
                Assert.Contains("nova-compute on its host 'c03.example.com' is down", P(problems[1], "Reason"));
                Assert.Contains("Invoke-NodeEvacuation -ComputeNode 'c03.example.com' -ForceDown -Fenced", P(problems[1], "NextStep"));
            }
            finally
            {
                Cloud.ComputeCtl("start", "c03");
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "nova to see c03 up again", 150);
                try { Cloud.DeleteServers(id); } catch (InvalidOperationException) { }
            }
        }
    }
}
