using System.Management.Automation;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Gets every server on compute nodes, across all projects.</para>
    /// <para type="description">Lists the servers whose nova-compute host is the given node (an exact match, never a substring), in every project, following nova's pages. Each server shows its status, task and power state, host and hypervisor node, libvirt instance name, project, flavor, image or boot-from-volume, addresses and host status. Needs an admin session.</para>
    /// <example>
    ///   <code>Get-NodeServer c01</code>
    ///   <para>Lists the servers on c01.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode c01 | Get-NodeServer | Where-Object Status -ne ACTIVE</code>
    ///   <para>Finds the servers on c01 that a live migration would skip.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NodeServer")]
    [OutputType(typeof(Server))]
    public sealed class GetNodeServerCommand : ComputeHostsCmdlet
    {
        private bool _warned;

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            if (!_warned)
            {
                _warned = true;
                WarnIfNotAdmin("nova shows a host's servers only to admins, so the list may be empty or partial.");
            }
            foreach (string typed in ComputeNode)
            {
                try
                {
                    var service = ComputeHosts.Resolve(typed);
                    if (service == null) continue;
                    var servers = Run(ct => session.Compute.Servers.ListOnHostAsync(service.Host, ct));
                    foreach (var s in servers)
                    {
                        s.Cloud = session.Cloud;
                        s.Region = session.Region;
                        WriteObject(s);
                    }
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "NovaListNodeServers", typed);
                }
            }
        }
    }
}
