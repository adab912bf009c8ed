using OpenStackOps.Http;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// The reverse of <see cref="InstanceDiskInspector"/>'s mount, from the mount object or its on-node record
    /// (<see cref="MountRecord"/>): unmount, detach the nbd devices, resume the domain, remove the record.
    /// </summary>
    public sealed class InstanceDiskDismounter
    {
        private readonly INodeShell _shell;
        private readonly DiskNodeSteps _node;
        private readonly NbdDevices _nbd;

        public InstanceDiskDismounter(INodeShell shell, IApiLog? log = null)
        {
            _shell = shell;
            _node = new DiskNodeSteps(shell, log);
            _nbd = new NbdDevices(shell);
        }

        /// <summary>
        /// Unmounts, disconnects and resumes, best effort: every step runs even when an earlier one fails (a busy
        /// mount point is detached lazily), and the domain is always resumed if Mount-InstanceDisk suspended it.
        /// Throws at the end if a device could not be detached.
        /// </summary>
        public async Task<InstanceDiskMount> DismountAsync(InstanceDiskMount mount, string? requestedBy, CancellationToken ct)
        {
            var warnings = new List<string>(mount.Warnings ?? new string[0]);
            var failures = new List<string>();
            var steps = new List<string>();
            foreach (var disk in Enumerable.Reverse(mount.Disks))
            {
                InstanceDiskRequest.ValidatePath(disk.MountPoint, "mount point");
                if (!NbdDevices.IsDevicePath(disk.Device)) throw new ArgumentException("Not an nbd device: " + disk.Device);
                try
                {
                    if (await _shell.ExitCodeAsync(NodeCommand.Root("mountpoint", "-q", disk.MountPoint), CancellationToken.None).ConfigureAwait(false) == 0)
                    {
                        var umount = await _shell.RunAsync(NodeCommand.Root("umount", "--", disk.MountPoint), CancellationToken.None).ConfigureAwait(false);
                        if (umount.ExitCode == 0) steps.Add("umount " + disk.MountPoint);
                        else
                        {
                            // Someone still uses it (a shell cd'd into it...): detach it now, the kernel frees it when they leave.
                            await _shell.RunCheckedAsync(NodeCommand.Root("umount", "-l", "--", disk.MountPoint), "Lazily unmounting " + disk.MountPoint, CancellationToken.None).ConfigureAwait(false);
                            steps.Add("umount -l " + disk.MountPoint);
                            warnings.Add($"{disk.MountPoint} was busy ({umount.Summary()}); it was detached lazily and is released when its last user leaves.");
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"unmounting {disk.MountPoint}: {e.Message}");
                }
                try
                {
                    if (await _nbd.IsConnectedAsync(disk.Device, CancellationToken.None).ConfigureAwait(false))
                    {
                        await _node.Run(NodeCommand.Root("qemu-nbd", "-d", disk.Device), "Disconnecting " + disk.Device, steps, CancellationToken.None).ConfigureAwait(false);
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"disconnecting {disk.Device}: {e.Message}");
                }
                try
                {
                    await _shell.RunAsync(NodeCommand.Root("rmdir", "--", disk.MountPoint), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    warnings.Add($"could not remove {disk.MountPoint}: {e.Message}");
                }
            }
            if (mount.Suspended)
            {
                try
                {
                    var state = await _node.DomainStateAsync(mount.Domain, CancellationToken.None).ConfigureAwait(false);
                    if (state == "paused")
                        await _node.Run(NodeCommand.Root("virsh", "resume", mount.Domain), "Resuming domain " + mount.Domain, steps, CancellationToken.None).ConfigureAwait(false);
                    else
                        warnings.Add($"domain {mount.Domain} was already {state}; not resumed.");
                }
                catch (Exception e)
                {
                    failures.Add($"resuming {mount.Domain}: {e.Message}");
                }
            }
            try
            {
                await _shell.RunAsync(NodeCommand.Root("rm", "-f", "--", MountRecord.PathFor(mount.ServerId)), CancellationToken.None).ConfigureAwait(false);
                await _node.AuditAsync($"dismount-instance-disk server={mount.ServerId} by={requestedBy ?? _shell.UserName}{(failures.Count == 0 ? "" : " with failures: " + string.Join("; ", failures))}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                warnings.Add("could not write the audit line or remove the record: " + e.Message);
            }
            mount.Warnings = warnings.ToArray();
            mount.Steps = steps.ToArray();
            if (failures.Count > 0)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"Dismounting the disks of {mount.ServerName ?? mount.ServerId} on {_shell.NodeName} was incomplete: {string.Join("; ", failures)}.")
                { RecommendedAction = $"On {_shell.NodeName}: check `mount | grep {mount.ServerId}`, `qemu-nbd -d` the device, `virsh domstate {mount.Domain}`." };
            mount.Mounted = false;
            return mount;
        }
    }
}
