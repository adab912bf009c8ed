using System.Management.Automation;
using OpenStackOps.Checks;
using OpenStackOps.Commands.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Checks the control plane as the guide asks after a cloud controller reboots: every unit and process running on the controller, every API answering, every service and agent reporting.</para>
    /// <para type="description">With -ControllerNode, first the guide's "ensure that all required services were successfully started": over SSH (as Connect-ComputeNode or ~/.ssh/config set up the node) each control-plane unit as systemd reports it (systemctl show: ActiveState, SubState, MainPID, by the Debian unit names: mariadb, rabbitmq-server, keystone, glance-api, placement-api, nova-api, nova-conductor, nova-scheduler, neutron-api or neutron-server, cinder-api, cinder-scheduler, cinder-volume, ...; and RDO's names of the same services, reported under the Debian name: openstack-nova-api as nova-api, httpd as apache2, the unit named in the evidence; units the controller does not have are left out unless named with -Unit) and its main process in the process list; these are Kind Process. Then "also check that all services are functioning": sends each API in the service catalog its cheapest authenticated call (keystone, nova, placement, glance, neutron, cinder, swift: a one-item listing, never a write), reads nova's and cinder's services and neutron's agents as they report themselves, and says what those answers prove about the database and the message queue. Returns one object per component with its state (Up, Down, Disabled on purpose, Unknown), the evidence, and the probe's request id to look for in the service's log. The unit check and the probes run at once, each probe bounded by -TimeoutSeconds. Needs an admin session for the service and agent lists; with -ControllerNode and no session only the controller's units are checked. Nothing is changed.</para>
    /// <example>
    ///   <code>Test-ControlPlaneHealth -ControllerNode ctl01.example.com | Where-Object State -ne Up</code>
    ///   <para>After the controller is back: which unit did not start, which API does not answer, which service does not report, and why.</para>
    /// </example>
    /// <example>
    ///   <code>pwsh -NonInteractive -File check-controller.ps1   # the script: Import-Module OpenStackOps; Connect-OpenStack -Cloud prod; if (-not (Test-ControlPlaneHealth -ControllerNode ctl01 -Quiet)) { exit 2 }</code>
    ///   <para>In a monitoring job (cron, a systemd timer, Nagios): exit code 2 when any component is down or unknown (Disabled counts as healthy), 0 when all are up. A failure to connect also counts as not healthy.</para>
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

        /// <summary><para type="description">The cloud controller to check the units and processes of, over SSH (a node set up with Connect-ComputeNode, or an ~/.ssh/config Host entry).</para></summary>
        [Parameter]
        [Alias("Controller")]
        [ValidateNotNullOrEmpty]
        public string? ControllerNode { get; set; }

        /// <summary><para type="description">The systemd units to check on the controller instead of the defaults; each is also looked for under its other distribution's name (nova-api and openstack-nova-api, apache2 and httpd); one the controller has under none of them is Unknown.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Unit { get; set; }

        protected override void EndProcessing()
        {
            var session = Session != null || SessionStore.GetDefault() != null ? CurrentSession : null;
            if (session == null && ControllerNode == null) session = CurrentSession; // NotConnected
            var components = new List<ComponentHealth>();
            bool failed = false;
            try
            {
                Task<IReadOnlyList<ComponentHealth>>? units = null;
                if (ControllerNode != null)
                {
                    try
                    {
                        var shell = NodeShells.Open(this, ControllerNode);
                        var check = new ControllerUnitCheck(shell);
                        units = check.RunAsync(Unit, StopToken);
                    }
                    catch (Exception e) when (!(e is PipelineStoppedException))
                    {
                        failed = true;
                        components.Add(new ComponentHealth { Kind = "Process", Component = "controller units", Host = ControllerNode, State = ComponentStates.Unknown, Evidence = "not checked: " + e.Message });
                        WriteFailure(e, "TestControlPlaneHealth", ControllerNode);
                    }
                }
                else if (Unit != null)
                {
                    WriteWarning("-Unit is for the controller's units: give -ControllerNode too. The units are not checked.");
                }
                if (session == null) WriteWarning("No cloud session (Connect-OpenStack): only the controller's units are checked, not the APIs and services.");
                var api = session == null ? null
                    : new ControlPlaneCheck(session.NewServiceClientOrNull, session.Compute) { ProbeTimeout = TimeSpan.FromSeconds(TimeoutSeconds) }.RunAsync(StopToken);
                if (units != null)
                {
                    try
                    {
                        components.AddRange(Run(_ => units));
                    }
                    catch (Exception e) when (!(e is PipelineStoppedException))
                    {
                        failed = true;
                        components.Add(new ComponentHealth { Kind = "Process", Component = "controller units", Host = ControllerNode!, State = ComponentStates.Unknown, Evidence = "not checked: " + e.Message }); // units are set only with -ControllerNode
                        WriteFailure(e, "TestControlPlaneHealth", ControllerNode);
                    }
                }
                if (api != null) components.AddRange(Run(_ => api));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                failed = true;
                WriteFailure(e, "TestControlPlaneHealth", session?.Cloud ?? ControllerNode);
            }
            if (Quiet)
            {
                WriteObject(!failed && components.Count > 0 && components.All(c => c.IsHealthy));
            }
            else
            {
                foreach (var c in components)
                {
                    c.Cloud = session?.Cloud;
                    c.Region = session?.Region;
                    WriteObject(c);
                }
            }
            base.EndProcessing();
        }
    }
}
