using System;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Checks;
using OpenStackOps.Infrastructure;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Checks the control plane as the guide asks after a cloud controller reboots: every API answering, every service and agent reporting.</para>
    /// <para type="description">Sends each API in the service catalog its cheapest authenticated call (keystone, nova, placement, glance, neutron, cinder, swift: a one-item listing, never a write), reads nova's and cinder's services and neutron's agents as they report themselves, and says what those answers prove about the database and the message queue. Returns one object per component with its state (Up, Down, Disabled on purpose, Unknown), the evidence, and the probe's request id to look for in the service's log. The probes run at once, each bounded by -TimeoutSeconds. Needs an admin session for the service and agent lists. Nothing is changed.</para>
    /// <example>
    ///   <code>Test-ControlPlaneHealth | Where-Object State -ne Up</code>
    ///   <para>After the controller is back: what did not come up, and why.</para>
    /// </example>
    /// <example>
    ///   <code>if (-not (Test-ControlPlaneHealth -Quiet)) { exit 2 }</code>
    ///   <para>In a monitoring job: a non-zero exit when any component is down or unknown (Disabled counts as healthy).</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ControlPlaneHealth")]
    [OutputType(typeof(ComponentHealth), typeof(bool))]
    public sealed class TestControlPlaneHealthCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">How long each API may take to answer before it counts as down.</para></summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSeconds { get; set; } = 10;

        /// <summary><para type="description">Return only $true when every component is Up or Disabled, else $false.</para></summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            try
            {
                var check = new ControlPlaneCheck(session.NewServiceClientOrNull, session.Compute) { ProbeTimeout = TimeSpan.FromSeconds(TimeoutSeconds) };
                var components = Run(ct => check.RunAsync(ct));
                if (Quiet)
                {
                    WriteObject(components.All(c => c.IsHealthy));
                    return;
                }
                foreach (var c in components)
                {
                    c.Cloud = session.Cloud;
                    c.Region = session.Region;
                    WriteObject(c);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "TestControlPlaneHealth", session.Cloud);
            }
        }
    }
}
