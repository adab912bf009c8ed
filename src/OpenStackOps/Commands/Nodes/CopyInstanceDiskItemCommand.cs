using System.Management.Automation;
using System.Security.Cryptography;
using OpenStackOps.Node.Disks;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Copies files out of a mounted instance disk to this machine over SFTP.</para>
    /// <para type="description">Reads files from the file system Mount-InstanceDisk mounted, named by their path inside the guest (/var/log/messages), and writes them locally over the node's connection (SFTP for a root login; for any other login, sudo cat, so files only root may read, such as a guest's /root, come out too), with a progress bar. A path can never leave the mount point: ".." is refused, and a symbolic link in the guest that resolves outside the mount point (to the node's own files) is refused too. Each copy is written to a temporary file first and renamed when complete; an existing file is only replaced with -Force. The result carries the SHA-256 of the local copy.</para>
    /// <example>
    ///   <code>$m | Copy-InstanceDiskItem /var/log/messages, /etc/hostname -Destination ./evidence</code>
    ///   <para>Copies two files into ./evidence.</para>
    /// </example>
    /// <example>
    ///   <code>$m | Copy-InstanceDiskItem /data/README -Disk disk.local -Destination ./README.local -Force</code>
    ///   <para>Copies a file from the ephemeral disk (mounted with -IncludeLocalDisk) to a file name.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "InstanceDiskItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CopiedDiskItem))]
    public sealed class CopyInstanceDiskItemCommand : CancellableCmdlet
    {
        /// <summary><para type="description">What Mount-InstanceDisk returned.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public InstanceDiskMount InputObject { get; set; } = null!;

        /// <summary><para type="description">Files to copy, by their path inside the guest.</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary><para type="description">A local directory (each file keeps its name) or, for a single file, a file name.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = null!;

        /// <summary><para type="description">disk (the root disk, default) or disk.local (mounted with -IncludeLocalDisk).</para></summary>
        [Parameter]
        [ValidateSet("disk", "disk.local")]
        public string Disk { get; set; } = "disk";

        /// <summary><para type="description">Replace local files that exist.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var mounted = InputObject.Disks.FirstOrDefault(d => d.Disk == Disk);
            if (!InputObject.Mounted || mounted == null)
            {
                WriteError(Infrastructure.ErrorRecords.Make($"{Disk} of {InputObject.ServerName ?? InputObject.ServerId} is not mounted (Mount-InstanceDisk{(Disk == "disk.local" ? " -IncludeLocalDisk" : "")} first).",
                    "NodeCopyInstanceDiskItemNotMounted", ErrorCategory.InvalidOperation, InputObject.ServerId));
                return;
            }
            string localRoot = GetUnresolvedProviderPathFromPSPath(Destination);
            bool toDirectory = Directory.Exists(localRoot) || Path.Length > 1 || Destination.EndsWith("/") || Destination.EndsWith("\\");
            INodeShell? shell = null;
            int index = 0;
            foreach (var guestPath in Path)
            {
                index++;
                try
                {
                    string nodePath = GuestPath.Under(mounted.MountPoint, guestPath);
                    string local = toDirectory ? System.IO.Path.Combine(localRoot, System.IO.Path.GetFileName(nodePath)) : localRoot;
                    if (File.Exists(local) && !Force)
                        throw new IOException($"{local} exists; use -Force to replace it.");
                    if (!ShouldProcess($"{guestPath} of {InputObject.ServerName ?? InputObject.ServerId} on {InputObject.Node}", "Copy to " + local)) continue;
                    if (shell == null) shell = NodeShells.Open(this, InputObject.Node);
                    var s = shell;
                    // A symbolic link inside the guest must not lead to the node's own files.
                    var real = Run(ct => s.RunCheckedAsync(NodeCommand.Root("realpath", "-e", "--", nodePath), "Resolving " + guestPath, ct)).StandardOutput.Trim();
                    if (!GuestPath.IsInside(mounted.MountPoint, real))
                        throw new NodeCommandException(NodeErrorKind.PermissionDenied, InputObject.Node,
                            $"{guestPath} in the guest resolves to {real} on the node, outside the mount point {mounted.MountPoint}: refusing to copy a node file.");
                    long? size = Run(ct => s.GetFileSizeAsync(real, ct));
                    if (size == null)
                        throw new NodeCommandException(NodeErrorKind.NotFound, InputObject.Node, $"{guestPath} is not a regular file in the guest ({real}).");
                    string dir = System.IO.Path.GetDirectoryName(local);
                    if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
                    string temp = local + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                    string activity = $"Copying {guestPath} from {InputObject.ServerName ?? InputObject.ServerId}";
                    long total = size.Value;
                    try
                    {
                        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                        {
                            Run(async ct =>
                            {
                                await s.DownloadAsync(real, output, copied => Messages.Progress(new ProgressRecord(2, activity, $"{copied:N0} of {total:N0} bytes")
                                {
                                    PercentComplete = total == 0 ? 100 : (int)Math.Min(100, copied * 100 / total),
                                    CurrentOperation = $"file {index} of {Path.Length}",
                                }), ct).ConfigureAwait(false);
                                return true;
                            });
                        }
                        if (File.Exists(local)) File.Delete(local);
                        File.Move(temp, local);
                    }
                    finally
                    {
                        if (File.Exists(temp)) File.Delete(temp);
                        WriteProgress(new ProgressRecord(2, activity, "done") { RecordType = ProgressRecordType.Completed });
                    }
                    string sha;
                    using (var sha256 = SHA256.Create())
                    using (var read = File.OpenRead(local))
                        sha = string.Concat(sha256.ComputeHash(read).Select(b => b.ToString("x2")));
                    WriteObject(new CopiedDiskItem
                    {
                        Node = InputObject.Node, ServerId = InputObject.ServerId, ServerName = InputObject.ServerName,
                        GuestPath = GuestPath.Canonical(mounted.MountPoint, nodePath), NodePath = real, Destination = local,
                        Length = new FileInfo(local).Length, Sha256 = sha,
                    });
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "NodeCopyInstanceDiskItem", guestPath);
                }
            }
        }
    }
}
