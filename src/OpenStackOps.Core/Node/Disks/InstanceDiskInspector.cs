using System.Globalization;
using OpenStackOps.Http;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// The guide's "inspecting and recovering data from failed instances", made safe: suspend the domain, attach
    /// its disk image to a free nbd device (read-only by default), mount a partition on a per-instance mount point,
    /// and the reverse. Any failure undoes what was done, newest first, so that an instance is never left suspended
    /// nor a device attached. Every mount is written with its justification to the node's syslog (logger) and to
    /// <see cref="DiskNodeSteps.AuditLog"/>, and recorded in <see cref="MountRecord.Directory"/> so a later session can dismount it.
    /// </summary>
    public sealed class InstanceDiskInspector
    {
        private readonly INodeShell _shell;
        private readonly IApiLog? _log;
        private readonly DiskNodeSteps _node;
        private readonly NbdDevices _nbd;

        public InstanceDiskInspector(INodeShell shell, IApiLog? log = null)
        {
            _shell = shell;
            _log = log;
            _node = new DiskNodeSteps(shell, log);
            _nbd = new NbdDevices(shell);
        }

        /// <summary>The steps <see cref="MountAsync"/> would run, for -WhatIf.</summary>
        public static IReadOnlyList<string> Plan(InstanceDiskRequest r)
        {
            r.Validate();
            var plan = new List<string>
            {
                $"log the justification to syslog and {DiskNodeSteps.AuditLog}",
                $"virsh suspend {r.Domain} (if running)",
                "modprobe nbd max_part=8 (if not loaded)",
            };
            foreach (var disk in r.DiskNames)
            {
                plan.Add($"qemu-nbd -c /dev/nbdN{(r.ReadWrite ? "" : " -r")} {r.ImagePath(disk)} (first free nbd device)");
                plan.Add($"mount{(r.ReadWrite ? "" : " -o ro")} <partition> {r.MountPointFor(disk)}");
            }
            return plan;
        }

        public async Task<InstanceDiskMount> MountAsync(InstanceDiskRequest r, CancellationToken ct)
        {
            r.Validate();
            var mount = new InstanceDiskMount
            {
                Node = _shell.NodeName, ServerId = r.ServerId, ServerName = r.ServerName, Domain = r.Domain,
                ReadOnly = !r.ReadWrite, Justification = r.Justification, MountedBy = r.RequestedBy ?? _shell.UserName,
            };
            var steps = new List<string>();
            var disks = new List<MountedDisk>();
            var journal = new UndoJournal();
            try
            {
                await _node.AuditAsync($"mount-instance-disk requested server={r.ServerId} name={r.ServerName} domain={r.Domain} by={mount.MountedBy} read-only={mount.ReadOnly} justification={MountRecord.OneLine(r.Justification)}", ct).ConfigureAwait(false);

                var state = await _node.DomainStateAsync(r.Domain, ct).ConfigureAwait(false);
                mount.DomainStateBefore = state;
                if (state == "running")
                {
                    await _node.Run(NodeCommand.Root("virsh", "suspend", r.Domain), "Suspending domain " + r.Domain, steps, ct).ConfigureAwait(false);
                    mount.Suspended = true;
                    journal.Push("virsh resume " + r.Domain, c => _node.Run(NodeCommand.Root("virsh", "resume", r.Domain), "Resuming domain " + r.Domain, null, c));
                }
                else
                {
                    _log?.Verbose($"{_shell.NodeName}: domain {r.Domain} is {state}; not suspending it (and not resuming it afterwards).");
                }

                if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", "/sys/block/nbd0"), ct).ConfigureAwait(false) != 0)
                    await _node.Run(NodeCommand.Root("modprobe", "nbd", "max_part=8"), "Loading the nbd module", steps, ct).ConfigureAwait(false);

                foreach (var diskName in r.DiskNames)
                {
                    var disk = await AttachAndMountAsync(r, diskName, journal, steps, ct).ConfigureAwait(false);
                    disks.Add(disk);
                }
                mount.Disks = disks.ToArray();
                mount.MountedAt = DateTimeOffset.UtcNow;

                string record = MountRecord.PathFor(r.ServerId);
                await _node.Run(NodeCommand.Script(true, MountRecord.WriteScript, new[] { record }.Concat(MountRecord.Lines(mount)).ToArray()), "Recording the mount in " + record, steps, ct).ConfigureAwait(false);
                journal.Push("rm " + record, c => _node.Run(NodeCommand.Root("rm", "-f", "--", record), "Removing " + record, null, c));

                await _node.AuditAsync($"mount-instance-disk mounted server={r.ServerId} at {string.Join(",", disks.Select(d => d.MountPoint))} from {string.Join(",", disks.Select(d => d.MountedDevice))}", ct).ConfigureAwait(false);
                mount.Mounted = true;
                mount.Steps = steps.ToArray();
                return mount;
            }
            catch (Exception e)
            {
                var failures = await journal.RollbackAsync(m => _log?.Verbose($"{_shell.NodeName}: {m}")).ConfigureAwait(false);
                try
                {
                    using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                        await _node.AuditAsync($"mount-instance-disk failed server={r.ServerId}: {MountRecord.OneLine(e.Message)}; undone{(failures.Count == 0 ? "" : " except: " + string.Join("; ", failures))}", limit.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // the audit line is best effort here; the error below says everything
                }
                if (failures.Count == 0)
                {
                    if (e is NodeCommandException nce)
                        throw new NodeCommandException(nce.Kind, _shell.NodeName, nce.Message + " Everything done before was undone (domain resumed, devices detached).", nce.Result, e)
                        { RecommendedAction = nce.RecommendedAction };
                    throw;
                }
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"{e.Message} Undoing the earlier steps also failed: {string.Join("; ", failures)}.", (e as NodeCommandException)?.Result, e)
                {
                    RecommendedAction = $"On {_shell.NodeName}, as root: umount what is mounted under {r.MountRoot}/{r.ServerId}*, `qemu-nbd -d` the device, and `virsh resume {r.Domain}` if it is paused.",
                };
            }
        }

        private async Task<MountedDisk> AttachAndMountAsync(InstanceDiskRequest r, string diskName, UndoJournal journal, List<string> steps, CancellationToken ct)
        {
            string image = r.ImagePath(diskName);
            if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-f", image), ct).ConfigureAwait(false) != 0)
                throw new NodeCommandException(NodeErrorKind.NotFound, _shell.NodeName,
                    $"{image} does not exist on {_shell.NodeName}" + (diskName == "disk.local" ? " (the server has no ephemeral disk)." : " (is the server really on this node, and not volume-backed?)."));
            string format = r.Format ?? await _node.DetectFormatAsync(image, ct).ConfigureAwait(false);

            string device = await _nbd.ConnectAsync(image, format, !r.ReadWrite, steps, ct).ConfigureAwait(false);
            string dev = device;
            journal.Push("qemu-nbd -d " + dev, c => _node.Run(NodeCommand.Root("qemu-nbd", "-d", dev), "Disconnecting " + dev, null, c));

            string name = device.Substring("/dev/".Length);
            var parts = await _nbd.PartitionsAsync(device, diskName == "disk" && r.Partition != 0 ? 10 : 0, ct).ConfigureAwait(false);
            string mounted;
            int? partition = diskName == "disk" ? r.Partition : 0;
            if (partition == 0 || (partition == null && parts.Count == 0)) mounted = device;
            else
            {
                int p = partition ?? int.Parse(parts[0].Substring(name.Length + 1), CultureInfo.InvariantCulture);
                if (!parts.Contains(name + "p" + p))
                    throw new NodeCommandException(NodeErrorKind.NotFound, _shell.NodeName,
                        $"{image} has no partition {p} (found: {(parts.Count == 0 ? "none" : string.Join(", ", parts))}).")
                    { RecommendedAction = "Choose another -Partition (0 mounts the whole device)." };
                mounted = device + "p" + p;
            }

            var blkid = await _shell.RunAsync(NodeCommand.Root("blkid", "-o", "value", "-s", "TYPE", mounted), ct).ConfigureAwait(false);
            string? fs = blkid.ExitCode == 0 ? blkid.StandardOutput.Trim() : null;

            string mountPoint = r.MountPointFor(diskName);
            if (await _shell.ExitCodeAsync(NodeCommand.Root("mountpoint", "-q", mountPoint), ct).ConfigureAwait(false) == 0)
                throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                    $"{mountPoint} on {_shell.NodeName} is already a mount point (an earlier Mount-InstanceDisk of this server?).")
                { RecommendedAction = "Dismount-InstanceDisk that server first, or umount " + mountPoint + " on the node." };
            bool created = await _shell.ExitCodeAsync(NodeCommand.Root("test", "-d", mountPoint), ct).ConfigureAwait(false) != 0;
            if (created)
            {
                await _node.Run(NodeCommand.Root("mkdir", "-p", "--", mountPoint), "Creating " + mountPoint, steps, ct).ConfigureAwait(false);
                journal.Push("rmdir " + mountPoint, c => _node.Run(NodeCommand.Root("rmdir", "--", mountPoint), "Removing " + mountPoint, null, c));
            }
            var mountWords = new List<string> { "mount" };
            string? options = MountOptions(r.ReadWrite, fs);
            if (options != null) mountWords.AddRange(new[] { "-o", options });
            mountWords.AddRange(new[] { "--", mounted, mountPoint });
            await _node.Run(NodeCommand.Root(mountWords.ToArray()), $"Mounting {mounted} on {mountPoint}", steps, ct).ConfigureAwait(false);
            journal.Push("umount " + mountPoint, c => _node.Run(NodeCommand.Root("umount", "--", mountPoint), "Unmounting " + mountPoint, null, c));

            return new MountedDisk { Disk = diskName, ImagePath = image, Format = format, Device = device, MountedDevice = mounted, FileSystem = fs, MountPoint = mountPoint };
        }

        internal static string? MountOptions(bool readWrite, string? fs)
        {
            if (readWrite) return null;
            switch (fs)
            {
                case "ext3":
                case "ext4": return "ro,noload";   // no journal replay: nothing is written to a read-only device
                case "xfs": return "ro,norecovery";
                default: return "ro";
            }
        }
    }
}
