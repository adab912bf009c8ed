using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Ssh;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Gets the SSH connections to compute nodes that this PowerShell session holds.</para>
    /// <para type="description">Lists the open node connections with their user, route, verified host key and how many commands each has run, which shows that the node cmdlets reuse one connection per node.</para>
    /// <example>
    ///   <code>Get-ComputeNodeConnection</code>
    ///   <para>Lists the open node connections.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ComputeNodeConnection")]
    [OutputType(typeof(NodeConnectionInfo))]
    public sealed class GetComputeNodeConnectionCommand : CancellableCmdlet
    {
        /// <summary><para type="description">Only the connections to this node.</para></summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string? ComputeNode { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var shell in NodeConnectionStore.Current.Open.Where(s => ComputeNode == null || string.Equals(s.NodeName, ComputeNode, System.StringComparison.OrdinalIgnoreCase)))
                WriteObject(NodeConnectionInfo.From(shell));
        }
    }
}
