using System.Management.Automation;
using OpenStackOps.Node.Services;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Stops nova-compute on a compute node, optionally pinning it down against configuration management.</para>
    /// <para type="description">The guide's `stop nova-compute` before maintenance, with systemd (`systemctl stop`) or SysV/upstart (`service nova-compute stop`), found out on the node unless -InitSystem says. -Pin keeps Puppet or Ansible from starting it again meanwhile: on systemd `systemctl mask --runtime nova-compute` (gone at the next boot), elsewhere the guide's move of /etc/init/nova-compute.conf and /etc/init.d/nova-compute to /var/lib/openstackops/pinned. What was done is recorded on the node, and Start-NodeComputeService undoes exactly that. A unit someone else masked is left alone. Servers on the node keep running; nova reports the service down after its service_down_time (-Wait waits for that). As a user other than root the commands run through `sudo -n`.</para>
    /// <example>
    ///   <code>Stop-NodeComputeService c01.example.com -Pin -Wait</code>
    ///   <para>Stops and masks nova-compute on c01 and waits until nova reports it down.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode c01 | Stop-NodeComputeService -Pin -WhatIf</code>
    ///   <para>Shows what would be done.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "NodeComputeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NodeServiceState))]
    public sealed class StopNodeComputeServiceCommand : NodeComputeServiceCommand
    {
        /// <summary><para type="description">Also keep it from being started by anyone but Start-NodeComputeService (systemctl mask --runtime, or the init files moved away).</para></summary>
        [Parameter]
        public SwitchParameter Pin { get; set; }

        protected override string Operation => "NodeStopComputeService";
        protected override string WantedNovaState => "down";
        protected override string Describe() => Pin ? "Stop nova-compute and pin it down (systemctl mask --runtime, or move the init files away)" : "Stop nova-compute";

        protected override Task<NodeServiceState> ApplyAsync(ComputeServiceControl control, CancellationToken ct)
            => control.StopAsync(Init, Pin, ct);
    }
}
