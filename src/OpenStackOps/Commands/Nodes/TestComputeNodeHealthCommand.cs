using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;
using OpenStackOps.Node.Health;
using OpenStackOps.Node.Services;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Runs the after-reboot checks of a compute node and returns one health object.</para>
    /// <para type="description">The guide's checks after a compute node reboots, in one object: the nova-compute process runs (the PID systemd or the init script names, not `ps | grep`), its service is active, the running process logged "Connected to AMQP server" (matched by PID in nova-compute.log), libvirt runs, and, when there is a cloud session, nova's service list says the node's nova-compute is up and updated within -MaxServiceAgeSeconds. Healthy is true only if every check passed; Problems says what failed, and RecentLogLines holds the end of nova-compute's log then. Nothing changes on the node.</para>
    /// <example>
    ///   <code>Test-ComputeNodeHealth c01.example.com</code>
    ///   <para>Checks c01 after a reboot.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode | Test-ComputeNodeHealth | Where-Object { -not $_.Healthy }</code>
    ///   <para>Finds the nodes that did not come back properly.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ComputeNodeHealth")]
    [OutputType(typeof(ComputeNodeHealth))]
    public sealed class TestComputeNodeHealthCommand : NodeServiceCmdlet
    {
        /// <summary><para type="description">How old nova's last report from the node may be (60 s, nova's service_down_time).</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int MaxServiceAgeSeconds { get; set; } = 60;

        /// <summary><para type="description">Skips nova's view even when there is a cloud session.</para></summary>
        [Parameter]
        public SwitchParameter NodeOnly { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                ComputeService? service = null;
                var session = NodeOnly ? null : SessionIfAny;
                if (session != null)
                {
                    service = FreshComputeHosts().Find(ComputeNode, out string? problem); // nova's view of this node now, also down a pipeline
                    if (service == null) WriteWarning(problem + " Checking the node only.");
                }
                else if (!NodeOnly)
                {
                    WriteWarning("No cloud session (Connect-OpenStack): nova's view of the service is not checked.");
                }
                var shell = NodeShells.Open(this, ComputeNode);
                var probe = new NodeHealthProbe(shell) { MaxServiceAge = TimeSpan.FromSeconds(MaxServiceAgeSeconds) };
                WriteObject(Run(ct => probe.CheckAsync(Init, service, null, ct)));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NodeTestHealth", ComputeNode);
            }
        }
    }
}
