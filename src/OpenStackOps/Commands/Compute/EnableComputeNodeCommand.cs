using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "ComputeNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ComputeNode))]
    public sealed class EnableComputeNodeCommand : ComputeNodeStatusCommand
    {
        protected override string Operation => "NovaEnableComputeNode";
        protected override string Action => "Enable scheduling";

        protected override bool IsAlreadyDone(ComputeService s) => s.Status == "enabled";

        protected override ComputeService Planned(ComputeService s)
        {
            var planned = DisableComputeNodeCommand.Clone(s);
            planned.Status = "enabled";
            planned.DisabledReason = null;
            return planned;
        }

        protected override Task<ServiceUpdateResult> ApplyAsync(ServicesApi services, ComputeService service, CancellationToken ct)
            => services.EnableAsync(service, ct);
    }
}
