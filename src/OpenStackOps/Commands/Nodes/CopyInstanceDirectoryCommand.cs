using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Recovery;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Copies a server's instance directory (/var/lib/nova/instances/&lt;uuid&gt;) from one node to another over SSH.</para>
    /// <para type="description">The guide calls this undocumented but useful after a node failure whose disks can still be read (the node boots a rescue system, or its disk is attached elsewhere): the server's files are brought to the node it will run on, before the database path (Move-ServerDatabaseRecord) and a hard reboot. Files pass through this machine (SFTP for a root login; for any other login, sudo cat on the node, like every command) into a staging directory beside the target, are compared by SHA-256 on both nodes, handed to the nova user and only then renamed into place; any failure removes the staging directory. An existing target directory is never replaced.</para>
    /// <example>
    ///   <code>Copy-InstanceDirectory -ServerId 1be6c930-4526-4f30-9c22-fa9410e8e3bd -ComputeNode c03.example.com -DestinationNode c02.example.com</code>
    ///   <para>Copies that server's disk, disk.local, console log and the rest to c02, checked file by file.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c03 | Copy-InstanceDirectory -ComputeNode c03-rescue -DestinationNode c02.example.com -WhatIf</code>
    ///   <para>Shows which directories would be copied from the rescued node.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "InstanceDirectory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(InstanceDirectoryCopyResult))]
    public sealed class CopyInstanceDirectoryCommand : CancellableCmdlet
    {
        /// <summary><para type="description">The server (uuid). Binds the Id of piped servers.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerIdCompleter))]
        public string ServerId { get; set; } = null!;

        /// <summary><para type="description">The node whose disk holds the directory (as connected with Connect-ComputeNode). Alias: -SourceNode.</para></summary>
        [Parameter(Mandatory = true)]
        [Alias("SourceNode")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;

        /// <summary><para type="description">The node the server will run on.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string DestinationNode { get; set; } = null!;

        /// <summary><para type="description">Where nova keeps instance directories on both nodes. Default /var/lib/nova/instances.</para></summary>
        [Parameter]
        public string InstancesPath { get; set; } = "/var/lib/nova/instances";

        protected override void ProcessRecord()
        {
            if (!Guid.TryParse(ServerId, out _))
            {
                WriteError(ErrorRecords.Make($"'{ServerId}' is not a server id: give the server's uuid (Get-NodeServer shows it).", "InstanceDirectoryInvalidServerId", ErrorCategory.InvalidArgument, ServerId));
                return;
            }
            if (string.Equals(ComputeNode, DestinationNode, StringComparison.OrdinalIgnoreCase))
            {
                WriteError(ErrorRecords.Make("The source and destination nodes are the same.", "InstanceDirectorySameNode", ErrorCategory.InvalidArgument, DestinationNode));
                return;
            }
            string path = InstancesPath.TrimEnd('/') + "/" + ServerId;
            if (!ShouldProcess($"{path} on {ComputeNode}", $"Copy to {DestinationNode}")) return;
            try
            {
                var from = NodeShells.Open(this, ComputeNode);
                var to = NodeShells.Open(this, DestinationNode);
                var copier = new InstanceDirectoryCopier
                {
                    InstancesPath = InstancesPath,
                    OnProgress = (done, total) => Messages.Progress(new ProgressRecord(1, "Copy-InstanceDirectory", $"{path}: {done / 1048576} of {total / 1048576} MiB")
                    {
                        PercentComplete = total == 0 ? 100 : (int)Math.Min(100, 100 * done / total),
                    }),
                };
                WriteObject(Run(ct => copier.CopyAsync(from, to, ServerId, ct)));
            }
            catch (Exception e)
            {
                WriteFailure(e, "NodeCopyInstanceDirectory", ServerId);
            }
        }
    }
}
