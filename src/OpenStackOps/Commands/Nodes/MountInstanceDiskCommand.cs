using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Node.Disks;
using OpenStackOps.Node.Shell;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Mounts the disk of a server on its compute node, read-only, to inspect or recover data.</para>
    /// <para type="description">The guide's "inspecting and recovering data from failed instances", without its traps. Finds the server's libvirt domain (OS-EXT-SRV-ATTR:instance_name) and node through nova, then on the node: writes the -Justification to syslog (logger) and /var/log/nova/openstackops-audit.log, suspends the domain if it runs (virsh suspend), loads nbd (modprobe nbd max_part=8) if needed, attaches /var/lib/nova/instances/UUID/disk to the first free nbd device (a device is free when /sys/block/nbdN/pid is absent) read-only unless -ReadWrite, and mounts its first partition (or -Partition; whole-device file systems such as disk.local as they are) read-only on /mnt/openstackops/UUID. -IncludeLocalDisk also mounts disk.local on /mnt/openstackops/UUID-local. If any step fails, every step already done is undone in reverse order, so the instance is never left suspended nor a device attached. The result says what is mounted where; give it to Copy-InstanceDiskItem and Dismount-InstanceDisk. The node connection is the one Connect-ComputeNode registered for the server's host.</para>
    /// <example>
    ///   <code>$m = Mount-InstanceDisk web-1 -Justification 'INC-4711: customer asked for /var/log/messages'; $m | Copy-InstanceDiskItem /var/log/messages ./web-1; $m | Dismount-InstanceDisk</code>
    ///   <para>Mounts web-1's disk, copies a log file out, and resumes the server.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c01 | Where-Object Name -eq db-1 | Mount-InstanceDisk -Justification 'INC-4712' -IncludeLocalDisk -WhatIf</code>
    ///   <para>Shows the steps without doing them.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Mount, "InstanceDisk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(InstanceDiskMount))]
    public sealed class MountInstanceDiskCommand : NodeCmdlet
    {
        /// <summary><para type="description">The server: id or exact name. Binds the Id of piped Server objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "ServerId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public string Server { get; set; } = null!;

        /// <summary><para type="description">Why the disk is opened (a ticket, who asked). Kept in the result and written to the node's logs.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateLength(3, 500)]
        public string Justification { get; set; } = null!;

        /// <summary><para type="description">Also mount the ephemeral disk (disk.local).</para></summary>
        [Parameter]
        public SwitchParameter IncludeLocalDisk { get; set; }

        /// <summary><para type="description">The partition of the root disk to mount (default: the first; 0: the whole device).</para></summary>
        [Parameter]
        [ValidateRange(0, 64)]
        public int? Partition { get; set; }

        /// <summary><para type="description">Attach and mount writable. Writing into a guest's file system from outside can corrupt it.</para></summary>
        [Parameter]
        public SwitchParameter ReadWrite { get; set; }

        /// <summary><para type="description">The image format (raw or qcow2); by default read from the image's header.</para></summary>
        [Parameter]
        [ValidateSet("raw", "qcow2")]
        public string? Format { get; set; }

        /// <summary><para type="description">The directory on the node under which each server gets its mount point (/mnt/openstackops).</para></summary>
        [Parameter]
        [ValidatePattern(@"^/[^\x00\r\n]*$")]
        public string MountRoot { get; set; } = InstanceDiskRequest.DefaultMountRoot;

        /// <summary><para type="description">The node's name for the SSH connection, when it differs from nova's host name of the server.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string? ComputeNode { get; set; }

        /// <summary><para type="description">The instances directory on the node (/var/lib/nova/instances).</para></summary>
        [Parameter]
        [ValidatePattern(@"^/[^\x00\r\n]*$")]
        public string InstancesPath { get; set; } = "/var/lib/nova/instances";

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            try
            {
                var server = FindServer(session, Server);
                if (string.IsNullOrEmpty(server.Host) || string.IsNullOrEmpty(server.InstanceName))
                    throw new NodeCommandException(NodeErrorKind.PermissionDenied, null,
                        $"nova does not say on which host server {server.Name} ({server.Id}) runs or what its domain is called: that needs an admin session.");
                string node = ComputeNode ?? server.Host!; // checked just above
                if (ComputeNode != null && !HostNameMatcher.ShortName(ComputeNode).Equals(HostNameMatcher.ShortName(server.Host!), StringComparison.OrdinalIgnoreCase))
                    throw new NodeCommandException(NodeErrorKind.InvalidArgument, ComputeNode, $"Server {server.Name} runs on {server.Host}, not on {ComputeNode}.");
                if (server.BootFromVolume)
                    WriteWarning($"{server.Name} boots from a volume: its root disk is not an image under {InstancesPath}.");
                var request = new InstanceDiskRequest
                {
                    ServerId = server.Id, ServerName = server.Name, Domain = server.InstanceName!,
                    IncludeLocalDisk = IncludeLocalDisk, Partition = Partition, ReadWrite = ReadWrite, Format = Format,
                    Justification = Justification, RequestedBy = Environment.UserName + " (" + session.UserName + "@" + session.Cloud + ")",
                    MountRoot = MountRoot, InstancesPath = InstancesPath,
                };
                var plan = InstanceDiskInspector.Plan(request);
                if (!ShouldProcess($"{server.Name} ({server.Id}) on {node}", "Mount its disk: " + string.Join("; ", plan)))
                    return;
                var shell = NodeShells.Open(this, node);
                var mount = Run(ct => new InstanceDiskInspector(shell, Messages).MountAsync(request, ct));
                WriteObject(mount);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NodeMountInstanceDisk", Server);
            }
        }
    }
}
