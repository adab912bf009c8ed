using System.Management.Automation;
using OpenStackOps.Infrastructure.Completion;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Recovery;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Brings the servers of a rebooted compute node back: starts or reboots them and waits for ACTIVE.</para>
    /// <para type="description">The guide's instance step after a node reboot. For every server on the host (or only -ServerId): SHUTOFF servers are started (os-start), ACTIVE ones rebooted, ERROR, PAUSED and SUSPENDED ones hard-rebooted (nova refuses a soft reboot for them); -Hard hard-reboots all, which makes libvirt's domain XML anew when a domain never starts. Servers in the middle of a task are left alone. It then waits, one listing per poll, until each is ACTIVE with no task, ERROR, or -TimeoutSeconds passed. Each server gives a result; for any that did not come back an error is written too, and the result holds the nova-compute log lines on the node that name it (when the node is reachable over SSH). -WhatIf shows the action per server.</para>
    /// <example>
    ///   <code>Restart-NodeServer c01.example.com -Hard -Confirm:$false</code>
    ///   <para>Hard-reboots every server on c01 and waits for them.</para>
    /// </example>
    /// <example>
    ///   <code>Restart-NodeServer c01 -WhatIf</code>
    ///   <para>Shows what would be started or rebooted.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "NodeServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ServerRestartResult))]
    public sealed class RestartNodeServerCommand : OneNodeCmdlet
    {
        /// <summary><para type="description">Only these servers (ids) of the node.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerIdCompleter))]
        public string[]? ServerId { get; set; }

        /// <summary><para type="description">Hard-reboot every server (regenerates the libvirt domain XML), also the stopped ones.</para></summary>
        [Parameter]
        public SwitchParameter Hard { get; set; }

        /// <summary><para type="description">Seconds to wait for the servers to be ACTIVE (300).</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSeconds { get; set; } = 300;

        /// <summary><para type="description">Do not read the node's log over SSH for servers that do not come back.</para></summary>
        [Parameter]
        public SwitchParameter NoNodeLog { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            try
            {
                var service = ComputeHosts.Resolve(ComputeNode);
                if (service == null) return;
                string host = service.Host;
                var servers = Run(ct => session.Compute.Servers.ListOnHostAsync(host, ct))
                    .Where(s => ServerId == null || ServerId.Contains(s.Id, StringComparer.OrdinalIgnoreCase)).ToList();
                var chosen = servers.Where(s =>
                {
                    string? action = ServerRestarter.ChooseAction(s, Hard, out string? why);
                    if (action == null) return true;
                    return ShouldProcess($"{s.Name} ({s.Id}, {s.Status}) on {host}", action + (why == null ? "" : " (" + why + ")"));
                }).ToList();
                if (chosen.Count == 0) return;
                INodeShell? node = null;
                if (!NoNodeLog)
                {
                    try
                    {
                        node = NodeShells.Open(this, ComputeNode);
                    }
                    catch (NodeCommandException e)
                    {
                        WriteWarning($"Cannot reach {ComputeNode} over SSH ({e.Message}); results will have no log lines.");
                    }
                }
                var restarter = new ServerRestarter(session.Compute, node, Messages) { Timeout = TimeSpan.FromSeconds(TimeoutSeconds) };
                var results = Run(ct => restarter.RestartAsync(host, chosen, Hard, ct));
                foreach (var r in results)
                {
                    WriteObject(r);
                    if (!r.Succeeded && r.Action != "None")
                    {
                        WriteError(ErrorRecords.FromException(new ServerRestartFailedException(r, host), "NovaRestartNodeServers", r.ServerId));
                    }
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NovaRestartNodeServers", ComputeNode);
            }
        }
    }
}
