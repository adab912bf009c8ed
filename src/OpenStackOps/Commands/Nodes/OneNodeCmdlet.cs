using System.Management.Automation;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>Base of the node cmdlets that work on one compute node at a time, named or piped from Get-ComputeNode.</summary>
    public abstract class OneNodeCmdlet : NodeCmdlet
    {
        /// <summary><para type="description">The compute node (as given to Connect-ComputeNode, or nova's host name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;
    }
}
