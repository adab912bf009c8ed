using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Stops the scheduler from placing new servers on compute nodes, recording why.</para>
    /// <para type="description">Disables the nova-compute service of each host with a reason that other operators see in Get-ComputeNode and `openstack compute service list`. Servers already on the host keep running. A node that is already disabled with the same reason is left alone, so a runbook can run again safely; a different reason replaces the old one. Uses the service-UUID update of compute API 2.53 and the legacy calls on older clouds.</para>
    /// <example>
    ///   <code>Disable-ComputeNode c01 -Reason 'kernel patching, CHG-1234'</code>
    ///   <para>Disables scheduling to c01.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode c01 | Disable-ComputeNode -Reason patching -PassThru -WhatIf</code>
    ///   <para>Shows the node as it would be, without changing anything.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Disable, "ComputeNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ComputeNode))]
    public sealed class DisableComputeNodeCommand : ComputeNodeStatusCommand
    {
        /// <summary><para type="description">Why the node is disabled (1-255 characters), e.g. a change ticket.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateLength(1, 255)]
        public string Reason { get; set; } = null!;

        protected override string Operation => "NovaDisableComputeNode";
        protected override string Action => $"Disable scheduling (reason: {Reason})";

        protected override bool IsAlreadyDone(ComputeService s) => s.Status == "disabled" && s.DisabledReason == Reason;

        protected override ComputeService Planned(ComputeService s)
        {
            var planned = s.Copy();
            planned.Status = "disabled";
            planned.DisabledReason = Reason;
            return planned;
        }

        protected override Task<ServiceUpdateResult> ApplyAsync(ServicesApi services, ComputeService service, CancellationToken ct)
            => services.DisableAsync(service, Reason, ct);
    }
}
