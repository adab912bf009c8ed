using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Closes the SSH connections to a compute node and forgets how to reach it.</para>
    /// <para type="description">Closes every connection this PowerShell session holds to the node (commands and SFTP, and their jump host) and removes the options Connect-ComputeNode registered. Nothing changes on the node. Connections also close when the PowerShell session ends.</para>
    /// <example>
    ///   <code>Disconnect-ComputeNode c01.example.com</code>
    ///   <para>Closes the connection to c01.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "ComputeNode")]
    [OutputType(typeof(void))]
    public sealed class DisconnectComputeNodeCommand : CancellableCmdlet
    {
        /// <summary><para type="description">The node, as given to Connect-ComputeNode.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;

        protected override void ProcessRecord()
        {
            int closed = NodeConnectionStore.Current.Close(ComputeNode);
            WriteVerbose($"Closed {closed} connection(s) to {ComputeNode}.");
        }
    }
}
