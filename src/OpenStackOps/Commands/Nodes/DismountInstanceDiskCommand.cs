using System.Management.Automation;
using OpenStackOps.Node.Disks;
using OpenStackOps.Node.Shell;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Unmounts a server's disk, detaches the nbd device and resumes the server.</para>
    /// <para type="description">Undoes Mount-InstanceDisk: unmounts each mount point (lazily, with a warning, when something on the node still uses it), disconnects the nbd device (qemu-nbd -d), removes the mount point, and resumes the domain if Mount-InstanceDisk suspended it, and always tries all of these even when one fails, so the server is resumed whatever happens. Takes the object Mount-InstanceDisk returned, or -Server, in which case what to undo is read from the record Mount-InstanceDisk left on the node (so another PowerShell session can clean up). The node's audit log gets a line.</para>
    /// <example>
    ///   <code>$m | Dismount-InstanceDisk</code>
    ///   <para>Dismounts what Mount-InstanceDisk mounted.</para>
    /// </example>
    /// <example>
    ///   <code>Dismount-InstanceDisk -Server web-1 -PassThru</code>
    ///   <para>Cleans up a mount made in another session, from the node's record.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Dismount, "InstanceDisk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByMount)]
    [OutputType(typeof(InstanceDiskMount))]
    public sealed class DismountInstanceDiskCommand : NodeCmdlet
    {
        private const string ByMount = "Mount";
        private const string ByServer = "Server";

        /// <summary><para type="description">What Mount-InstanceDisk returned.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByMount)]
        public InstanceDiskMount InputObject { get; set; } = null!;

        /// <summary><para type="description">The server (id or exact name) whose mount to undo, from the node's record. A mount saved with Export-Clixml and read back binds here by its ServerId and Node.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByServer, ValueFromPipelineByPropertyName = true)]
        [Alias("ServerId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public string Server { get; set; } = null!;

        /// <summary><para type="description">The node's name for the SSH connection, when it differs from nova's host name of the server.</para></summary>
        [Parameter(ParameterSetName = ByServer, ValueFromPipelineByPropertyName = true)]
        [Alias("Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string? ComputeNode { get; set; }

        /// <summary><para type="description">Writes the dismounted object (Mounted = false, with any warnings) to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            object? target = (object?)InputObject?.ServerId ?? Server;
            try
            {
                InstanceDiskMount? mount = InputObject;
                string? node = InputObject?.Node;
                if (ParameterSetName == ByServer)
                {
                    var session = CurrentSession;
                    var server = FindServer(session, Server);
                    if (ComputeNode == null && string.IsNullOrEmpty(server.Host))
                        throw new NodeCommandException(NodeErrorKind.PermissionDenied, null,
                            $"nova does not say on which host server {server.Name} ({server.Id}) runs: that needs an admin session, or name the node with -ComputeNode.");
                    node = ComputeNode ?? server.Host!;
                    target = server.Id;
                    var shellForRecord = NodeShells.Open(this, node);
                    mount = Run(ct => MountRecord.ReadAsync(shellForRecord, server.Id, ct));
                    if (mount == null)
                        throw new NodeCommandException(NodeErrorKind.NotFound, node,
                            $"{node} has no record of a Mount-InstanceDisk of {server.Name} ({server.Id}) in {MountRecord.Directory}.");
                    mount.ServerName = mount.ServerName ?? server.Name;
                }
                if (!ShouldProcess($"{mount!.ServerName} ({mount.ServerId}) on {node}", // -InputObject is mandatory in its set
                        $"Unmount {string.Join(", ", mount.Disks.Select(d => d.MountPoint))}, disconnect {string.Join(", ", mount.Disks.Select(d => d.Device))}" + (mount.Suspended ? ", resume " + mount.Domain : "")))
                    return;
                var shell = NodeShells.Open(this, node!); // -InputObject is mandatory in its set
                var done = Run(ct => new InstanceDiskDismounter(shell, Messages).DismountAsync(mount, Environment.UserName, ct));
                foreach (var w in done.Warnings) WriteWarning(w);
                if (PassThru) WriteObject(done);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NodeDismountInstanceDisk", target);
            }
        }
    }
}
