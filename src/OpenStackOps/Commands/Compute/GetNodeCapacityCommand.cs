using System.Management.Automation;
using OpenStackOps.Identity;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;
using OpenStackOps.Placement;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Gets how much room compute nodes have, as placement (the scheduler) counts it.</para>
    /// <para type="description">For each compute node, placement's inventory and usage of each resource class: total, reserved, allocation ratio, capacity ((total - reserved) × ratio), used and free; vCPU, RAM and disk are also flat properties for tables and CSV reports. These are the figures the scheduler decides with, unlike the hypervisor's own counters. Default: every compute node; name hosts or pipe Get-ComputeNode to choose. Needs an admin session and a placement endpoint. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-NodeCapacity</code>
    ///   <para>Free vCPU, RAM and disk of every compute node.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode | Where-Object Status -eq enabled | Get-NodeCapacity | Measure-Object VcpuFree, MemoryMbFree -Sum</code>
    ///   <para>What the nodes still in service can take, before draining another.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeCapacity | Export-Csv ./capacity-$(Get-Date -Format yyyy-MM-dd).csv</code>
    ///   <para>The weekly usage report's hypervisor part.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NodeCapacity")]
    [OutputType(typeof(NodeCapacity))]
    public sealed class GetNodeCapacityCommand : OpenStackCmdlet
    {
        private readonly List<string> _hosts = new List<string>();
        private bool _named;

        /// <summary><para type="description">The compute hosts (exact name, or unique short name). Binds the Host property of piped ComputeNode objects. Default: all.</para></summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "ComputeHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string[]? ComputeNode { get; set; }

        protected override void ProcessRecord()
        {
            if (ComputeNode == null) return;
            _named = true;
            foreach (string typed in ComputeNode)
            {
                try
                {
                    var service = ComputeHosts.Resolve(typed);
                    if (service != null) _hosts.Add(service.Host);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "PlacementListNodeCapacity", typed);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_named && _hosts.Count == 0) return;            // every name was wrong, and said so
            var session = CurrentSession;
            try
            {
                var query = new NodeCapacityQuery(session.Compute, session.Placement);
                foreach (var node in Run(ct => query.ListAsync(_named ? _hosts : null, ct)))
                {
                    node.Cloud = session.Cloud;
                    node.Region = session.Region;
                    if (node.ProviderId == null)
                        WriteWarning($"{node.Host}: placement has no resource provider named '{node.Node}': the scheduler cannot place anything there.");
                    WriteObject(node);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "PlacementListNodeCapacity", _named ? string.Join(",", _hosts) : session.Cloud);
            }
        }
    }
}
