using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// examples/Watch-ComputeNodeFailure.ps1 run as its scheduled job would, twice, against the devcloud with c03's
    /// nova-compute really stopped: the first pass confirms, fences once and evacuates; the second finds the node
    /// forced down and leaves it alone, saying why, without calling the fence hook again.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class AutomaticEvacuationDevcloudTests
    {
        private static readonly string Runbook = Path.Combine(ModulePaths.RepositoryRoot, "examples", "Watch-ComputeNodeFailure.ps1");

        private static string Sql(string q) => Infrastructure.Devcloud.Sql(q).Single();
        private static string ForcedDown() => Sql("select forced_down from nova.services where host='c03.example.com' and `binary`='nova-compute' and deleted=0");
        private static string Evacuations() => Sql("select count(*) from nova.migrations where migration_type='evacuation'");

        [Fact]
        public void TheSecondPassLeavesTheFencedAndEvacuatedNodeAloneAndSaysWhy()
        {
            using var host = Infrastructure.Devcloud.Connected();
            string name = "osops-watch-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            string server = Infrastructure.Devcloud.OpenStackCli(
                $"server create --flavor m1.tiny --image cirros-fake --network public --availability-zone nova:c03.example.com --wait -f value -c id {name}").Trim();
            string fenceLog = Path.Combine(Path.GetTempPath(), name + ".fenced");
            string pass = $"& '{Runbook}' -ConfirmChecks 2 -IntervalSeconds 1 -Destination c02 -Probe {{ $false }} " +
                          $"-Fence {{ param($n) [System.IO.File]::AppendAllText('{fenceLog}', \"$n`n\"); $true }} -Confirm:$false";
            try
            {
                Infrastructure.Devcloud.ComputeCtl("stop", "c03");
                Infrastructure.Devcloud.WaitFor(() => Sql($"select count(*) from nova.services where host='c03.example.com' and `binary`='nova-compute' and deleted=0 and updated_at < UTC_TIMESTAMP() - INTERVAL {Infrastructure.Devcloud.ServiceDownTimeSeconds + 5} SECOND") == "1",
                    "nova to see c03 down", 150);
                Infrastructure.Devcloud.WaitFor(() => P(host.Run("Get-ComputeNode c03").Output.Single(), "State") == "down", "Get-ComputeNode to say down", 60);

                var first = host.Run(pass);
                first.ThrowOnErrors();
                var decision = first.Output[0];
                Assert.Equal("c03.example.com", P(decision, "Node"));
                Assert.Equal("Evacuate", P(decision, "Action"));
                Assert.Equal("True", P(decision, "Fenced"));
                var results = first.Output.Skip(1).ToList();
                Assert.Contains(results, o => P(o, "ServerId") == server);
                Assert.All(results, o => Assert.Equal("Completed", P(o, "Status")));
                Assert.All(results, o => Assert.Equal("c02.example.com", P(o, "FinalHost")));
                Assert.Equal(new[] { "c03.example.com" }, File.ReadAllLines(fenceLog));
                Assert.Equal("1", ForcedDown());                 // nova's record that c03 was fenced
                string evacuations = Evacuations();

                var second = host.Run(pass);
                second.ThrowOnErrors();
                var again = Assert.Single(second.Output);
                Assert.Equal("c03.example.com", P(again, "Node"));
                Assert.Equal("forced-down", P(again, "State"));
                Assert.Equal("None", P(again, "Action"));
                Assert.Contains("Enable-ComputeNode c03.example.com -ClearForcedDown", P(again, "Reason"));
                Assert.DoesNotContain("still on it", P(again, "Reason"));
                Assert.Equal(new[] { "c03.example.com" }, File.ReadAllLines(fenceLog));   // not fenced a second time
                Assert.Equal(evacuations, Evacuations());
                Assert.Equal("1", ForcedDown());
            }
            finally
            {
                try { Infrastructure.Devcloud.DeleteServers(server); } catch (InvalidOperationException) { }
                File.Delete(fenceLog);
                Infrastructure.Devcloud.ComputeCtl("start", "c03");
                // The operator's release step; nova lifts forced_down once the restarted nova-compute has settled.
                Infrastructure.Devcloud.WaitFor(() => host.Run("Enable-ComputeNode c03 -ClearForcedDown").AllErrors.Count() == 0, "forced_down to be lifted", 120);
                Infrastructure.Devcloud.WaitFor(() => Infrastructure.Devcloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "c03 to be up again", 120);
                Infrastructure.Devcloud.ReturnSeededServersTo("c03");
            }
        }
    }
}
