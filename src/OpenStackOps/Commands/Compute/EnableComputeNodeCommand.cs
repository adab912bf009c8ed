using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Lets the scheduler place servers on compute nodes again.</para>
    /// <para type="description">Enables the nova-compute service of each host and clears its disabled reason. A node that is already enabled is left alone.</para>
    /// <example>
    ///   <code>Enable-ComputeNode c01</code>
    ///   <para>Re-enables scheduling to c01 after maintenance.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode | Where-Object DisabledReason -eq patching | Enable-ComputeNode -PassThru</code>
    ///   <para>Re-enables every node that was disabled for patching and shows them.</para>
    /// </example>
    /// <example>
    ///   <code>Enable-ComputeNode c03 -ClearForcedDown</code>
    ///   <para>After an evacuation with -ForceDown and the node's repair (nova-compute running again): lifts the forced-down mark and re-enables scheduling.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "ComputeNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ComputeNode))]
    public sealed class EnableComputeNodeCommand : ComputeNodeStatusCommand
    {
        /// <summary><para type="description">Also lift the forced-down mark (set by Invoke-NodeEvacuation -ForceDown or `openstack compute service set --down`). Nova refuses it until the node's nova-compute has run again after an evacuation.</para></summary>
        [Parameter]
        public SwitchParameter ClearForcedDown { get; set; }

        protected override string Operation => "NovaEnableComputeNode";
        protected override string Action => ClearForcedDown ? "Clear forced-down and enable scheduling" : "Enable scheduling";

        protected override bool IsAlreadyDone(ComputeService s) => s.Status == "enabled" && !(ClearForcedDown && s.ForcedDown);

        protected override ComputeService Planned(ComputeService s)
        {
            var planned = s.Copy();
            planned.Status = "enabled";
            planned.DisabledReason = null;
            if (ClearForcedDown) planned.ForcedDown = false;
            return planned;
        }

        protected override async Task<ServiceUpdateResult> ApplyAsync(ServicesApi services, ComputeService service, CancellationToken ct)
        {
            if (ClearForcedDown && service.ForcedDown)
            {
                var lifted = await services.SetForcedDownAsync(service, false, ct).ConfigureAwait(false);
                if (service.Status == "enabled") return lifted;
            }
            return await services.EnableAsync(service, ct).ConfigureAwait(false);
        }
    }
}
