using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Invoke-NodeEvacuation against the devcloud: c03's nova-compute really stopped, servers rebuilt on c02.</summary>
    [Trait("Tier", "Devcloud")]
    public class NodeEvacuationDevcloudTests
    {
        private static string EvacuationCount() => Infrastructure.Devcloud.Sql("select count(*) from nova.migrations where migration_type='evacuation'").Single();

        [Fact]
        public void RefusedWhileNovaSeesTheHostUp()
        {
            using var host = Infrastructure.Devcloud.Connected();
            string before = EvacuationCount();
            var r = host.Run("Invoke-NodeEvacuation c03 -Destination c02 -Confirm:$false");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("NodeNotDown,OpenStackOps.Commands.Compute.InvokeNodeEvacuationCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Equal("c03.example.com", error.TargetObject);
            Assert.Contains("-ForceDown -Fenced", error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.Equal(before, EvacuationCount());

            // A preview changes nothing, so it shows the plan of a node that is still up, with the warning.
            var preview = host.Run("Invoke-NodeEvacuation c03 -WhatIf -PassThru");
            Assert.Empty(preview.AllErrors);
            Assert.Contains(preview.Warnings, w => w.Contains("Nova still sees nova-compute on c03.example.com up"));
            var batch = Assert.Single(preview.Output, o => P(o, "ServerName") == "c03-batch");
            Assert.True(P(batch, "Status") == "Planned", $"c03-batch: {P(batch, "Status")}: {P(batch, "Message")}");
            Assert.Equal(before, EvacuationCount());

            // -ForceDown alone is not enough: the operator must say the node is fenced.
            r = host.Run("Invoke-NodeEvacuation c03 -ForceDown -Confirm:$false");
            Assert.Equal("NodeNotFenced,OpenStackOps.Commands.Compute.InvokeNodeEvacuationCommand", Assert.Single(r.AllErrors).FullyQualifiedErrorId);
            Assert.Equal("0", Infrastructure.Devcloud.Sql("select forced_down from nova.services where host='c03.example.com' and `binary`='nova-compute' and deleted=0").Single());
        }

        [Fact]
        public void ADeadHostsServersAreRebuiltElsewhereInTheStateTheyHad()
        {
            using var host = Infrastructure.Devcloud.Connected();
            string prefix = "osops-evac-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            string running = CreateOnC03(prefix + "-run");
            string stopped = CreateOnC03(prefix + "-stopped");
            Infrastructure.Devcloud.OpenStackCli($"server stop {stopped}");
            Infrastructure.Devcloud.WaitFor(() => Infrastructure.Devcloud.OpenStackCli($"server show {stopped} -f value -c status").Trim() == "SHUTOFF", "the server to stop");
            string volume = Infrastructure.Devcloud.OpenStackCli($"volume create --size 1 -f value -c id {prefix}-data").Trim();
            Infrastructure.Devcloud.WaitFor(() => VolumeStatus(volume) == "available", "the volume to be created");
            Infrastructure.Devcloud.OpenStackCli($"server add volume {running} {volume}");
            Infrastructure.Devcloud.WaitFor(() => VolumeStatus(volume) == "in-use", "the volume to be attached");
            try
            {
                var before = host.Run("Get-NodeVolumeAttachment c03");
                before.ThrowOnErrors();
                Assert.Contains(before.Output, o => P(o, "VolumeId") == volume && P(o, "ServerId") == running && P(o, "Host") == "c03.example.com");

                Infrastructure.Devcloud.ComputeCtl("stop", "c03");
                var plan = host.Run($"Get-NodeServer c03 | Where-Object Name -like '{prefix}*' | Invoke-NodeEvacuation c03 -Destination c02 -WhatIf -PassThru -ForceDown -Fenced");
                plan.ThrowOnErrors();
                Assert.Equal(2, plan.Output.Count);
                Assert.All(plan.Output, o => Assert.Equal("Planned", P(o, "Status")));
                Assert.All(plan.Output, o => Assert.Equal("LostRebuiltFromImage", P(o, "DataFate")));
                Assert.Equal("0", Infrastructure.Devcloud.Sql("select forced_down from nova.services where host='c03.example.com' and `binary`='nova-compute' and deleted=0").Single());

                var r = host.Run($"Get-NodeServer c03 | Where-Object Name -like '{prefix}*' | Invoke-NodeEvacuation c03 -Destination c02 -ForceDown -Fenced -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Equal(2, r.Output.Count);
                Assert.All(r.Output, o => Assert.Equal("Completed", P(o, "Status")));
                Assert.All(r.Output, o => Assert.Equal("c02.example.com", P(o, "FinalHost")));
                Assert.All(r.Output, o => Assert.NotNull(P(o, "MigrationId")));
                Assert.NotEmpty(r.Progress);

                Assert.Equal("c02.example.com\tactive", Infrastructure.Devcloud.Sql($"select host, vm_state from nova.instances where uuid='{running}'").Single());
                Assert.Equal("c02.example.com\tstopped", Infrastructure.Devcloud.Sql($"select host, vm_state from nova.instances where uuid='{stopped}'").Single());
                Assert.Equal(2, Infrastructure.Devcloud.Sql($"select status from nova.migrations where migration_type='evacuation' and instance_uuid in ('{running}','{stopped}') and status in ('done','completed')").Length);

                // The volume came along (nova keeps the attachment), and the guide's reattachment step works on it.
                Assert.Equal("in-use", VolumeStatus(volume));
                var reattach = host.Run($"Get-NodeVolumeAttachment c02 | Where-Object VolumeId -eq '{volume}' | Restore-VolumeAttachment -Confirm:$false");
                reattach.ThrowOnErrors();
                var result = Assert.Single(reattach.Output);
                Assert.Equal("Reattached", P(result, "Status"));
                Assert.Equal("in-use", VolumeStatus(volume));
                Assert.Contains(running, Infrastructure.Devcloud.OpenStackCli($"volume show {volume} -f json -c attachments"));
            }
            finally
            {
                try { Infrastructure.Devcloud.DeleteServers(running, stopped); } catch (Exception) { }
                try { Infrastructure.Devcloud.WaitFor(() => VolumeStatus(volume) == "available", "the volume to be freed"); Infrastructure.Devcloud.OpenStackCli($"volume delete {volume}"); } catch (Exception) { }
                Infrastructure.Devcloud.ComputeCtl("start", "c03");
                // Nova lifts forced_down only once the restarted nova-compute has settled its evacuations.
                Infrastructure.Devcloud.WaitFor(() => host.Run("Enable-ComputeNode c03 -ClearForcedDown").AllErrors.Count() == 0, "forced_down to be lifted");
                Infrastructure.Devcloud.WaitFor(() => Infrastructure.Devcloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "c03 to be up again");
            }
        }

        private static string VolumeStatus(string id) => Infrastructure.Devcloud.OpenStackCli($"volume show {id} -f value -c status").Trim();

        private static string CreateOnC03(string name)
            => Infrastructure.Devcloud.OpenStackCli(
                $"server create --flavor m1.tiny --image cirros-fake --network public --availability-zone nova:c03.example.com --wait -f value -c id {name}").Trim();
    }
}
