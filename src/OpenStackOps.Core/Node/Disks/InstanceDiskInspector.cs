using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// The guide's "inspecting and recovering data from failed instances", made safe: suspend the domain, attach
    /// its disk image to a free nbd device (read-only by default), mount a partition on a per-instance mount point,
    /// and the reverse. Any failure undoes what was done, newest first, so that an instance is never left suspended
    /// nor a device attached. Every mount is written with its justification to the node's syslog (logger) and to
    /// <see cref="AuditLog"/>, and recorded in <see cref="RecordDirectory"/> so a later session can dismount it.
    /// </summary>
    public sealed class InstanceDiskInspector
    {
        public const string DefaultMountRoot = "/mnt/openstackops";
        public const string RecordDirectory = "/var/lib/openstackops/mounts";
        public const string AuditLog = "/var/log/nova/openstackops-audit.log";
        private const string AuditScript =
            "logger -t openstackops -p auth.notice -- \"$2\" 2>/dev/null; " +
            "printf '%s %s %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$(hostname)\" \"$2\" >> \"$1\"";
        private const string FreeNbdScript =
            "for d in /sys/block/nbd*; do [ -e \"$d\" ] || continue; [ -e \"$d/pid\" ] || echo \"${d##*/}\"; done; exit 0";
        private const string PartitionsScript =
            "i=0; while :; do found=; for p in /sys/block/\"$1\"/\"$1\"p*; do [ -e \"$p\" ] && { echo \"${p##*/}\"; found=1; }; done; " +
            "[ -n \"$found\" ] || [ \"$i\" -ge \"$2\" ] && exit 0; i=$((i+1)); sleep 0.2; done";
        private const string WriteRecordScript =
            "f=$1; shift; mkdir -p \"${f%/*}\" && printf '%s\\n' \"$@\" > \"$f\"";
        private static readonly Regex DomainName = new Regex(@"^[A-Za-z0-9_.:-]{1,128}$");

        private readonly INodeShell _shell;
        private readonly IApiLog _log;

        public InstanceDiskInspector(INodeShell shell, IApiLog log = null)
        {
            _shell = shell;
            _log = log;
        }

        /// <summary>The steps <see cref="MountAsync"/> would run, for -WhatIf.</summary>
        public static IReadOnlyList<string> Plan(InstanceDiskRequest r)
        {
            Validate(r);
            var plan = new List<string>
            {
                $"log the justification to syslog and {AuditLog}",
                $"virsh suspend {r.Domain} (if running)",
                "modprobe nbd max_part=8 (if not loaded)",
            };
            foreach (var disk in DiskNames(r))
            {
                plan.Add($"qemu-nbd -c /dev/nbdN{(r.ReadWrite ? "" : " -r")} {r.InstancesPath}/{r.ServerId}/{disk} (first free nbd device)");
                plan.Add($"mount{(r.ReadWrite ? "" : " -o ro")} <partition> {MountPointFor(r, disk)}");
            }
            return plan;
        }

        public async Task<InstanceDiskMount> MountAsync(InstanceDiskRequest r, CancellationToken ct)
        {
            Validate(r);
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
                await AuditAsync($"mount-instance-disk requested server={r.ServerId} name={r.ServerName} domain={r.Domain} by={mount.MountedBy} read-only={mount.ReadOnly} justification={OneLine(r.Justification)}", ct).ConfigureAwait(false);

                var state = await DomainStateAsync(r.Domain, ct).ConfigureAwait(false);
                mount.DomainStateBefore = state;
                if (state == "running")
                {
                    await Run(NodeCommand.Root("virsh", "suspend", r.Domain), "Suspending domain " + r.Domain, steps, ct).ConfigureAwait(false);
                    mount.Suspended = true;
                    journal.Push("virsh resume " + r.Domain, c => Run(NodeCommand.Root("virsh", "resume", r.Domain), "Resuming domain " + r.Domain, null, c));
                }
                else
                {
                    _log?.Verbose($"{_shell.NodeName}: domain {r.Domain} is {state}; not suspending it (and not resuming it afterwards).");
                }

                if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", "/sys/block/nbd0"), ct).ConfigureAwait(false) != 0)
                    await Run(NodeCommand.Root("modprobe", "nbd", "max_part=8"), "Loading the nbd module", steps, ct).ConfigureAwait(false);

                foreach (var diskName in DiskNames(r))
                {
                    var disk = await AttachAndMountAsync(r, diskName, journal, steps, ct).ConfigureAwait(false);
                    disks.Add(disk);
                }
                mount.Disks = disks.ToArray();
                mount.MountedAt = DateTimeOffset.UtcNow;

                string record = RecordPath(r.ServerId);
                await Run(NodeCommand.Script(true, WriteRecordScript, new[] { record }.Concat(RecordLines(mount)).ToArray()), "Recording the mount in " + record, steps, ct).ConfigureAwait(false);
                journal.Push("rm " + record, c => Run(NodeCommand.Root("rm", "-f", "--", record), "Removing " + record, null, c));

                await AuditAsync($"mount-instance-disk mounted server={r.ServerId} at {string.Join(",", disks.Select(d => d.MountPoint))} from {string.Join(",", disks.Select(d => d.MountedDevice))}", ct).ConfigureAwait(false);
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
                        await AuditAsync($"mount-instance-disk failed server={r.ServerId}: {OneLine(e.Message)}; undone{(failures.Count == 0 ? "" : " except: " + string.Join("; ", failures))}", limit.Token).ConfigureAwait(false);
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
            string image = r.InstancesPath.TrimEnd('/') + "/" + r.ServerId + "/" + diskName;
            if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-f", image), ct).ConfigureAwait(false) != 0)
                throw new NodeCommandException(NodeErrorKind.NotFound, _shell.NodeName,
                    $"{image} does not exist on {_shell.NodeName}" + (diskName == "disk.local" ? " (the server has no ephemeral disk)." : " (is the server really on this node, and not volume-backed?)."));
            string format = r.Format ?? await DetectFormatAsync(image, ct).ConfigureAwait(false);

            string device = null;
            var free = await FreeDevicesAsync(ct).ConfigureAwait(false);
            if (free.Count == 0)
                throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                    $"No free nbd device on {_shell.NodeName}: every /sys/block/nbdN has a pid.")
                { RecommendedAction = "Dismount-InstanceDisk what is no longer needed, or disconnect stale devices with qemu-nbd -d." };
            CommandResult lastFailure = null;
            foreach (var candidate in free.Take(4))
            {
                var words = new List<string> { "qemu-nbd", "-c", "/dev/" + candidate };
                if (!r.ReadWrite) words.Add("-r");
                words.AddRange(new[] { "-f", format, image });
                var connect = NodeCommand.Root(words.ToArray());
                var result = await _shell.RunAsync(connect, ct).ConfigureAwait(false);
                if (result.ExitCode == 0)
                {
                    device = "/dev/" + candidate;
                    steps.Add(connect.ToString());
                    break;
                }
                lastFailure = result;
                if (!result.StandardError.Contains("Failed to set NBD socket")) break; // taken meanwhile: try the next one
            }
            if (device == null)
                NodeCommandException.Check(_shell, NodeCommand.Root("qemu-nbd"), lastFailure, $"Connecting {image} to an nbd device");
            string dev = device;
            journal.Push("qemu-nbd -d " + dev, c => Run(NodeCommand.Root("qemu-nbd", "-d", dev), "Disconnecting " + dev, null, c));

            string name = device.Substring("/dev/".Length);
            int wait = diskName == "disk" && r.Partition != 0 ? 10 : 0;
            var parts = (await _shell.RunCheckedAsync(NodeCommand.Script(true, PartitionsScript, name, wait.ToString(CultureInfo.InvariantCulture)), "Listing the partitions of " + device, ct).ConfigureAwait(false)).Lines
                .Select(l => l.Trim()).Where(l => l.StartsWith(name + "p")).OrderBy(l => int.TryParse(l.Substring(name.Length + 1), out int n) ? n : 99).ToList();
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
            string fs = blkid.ExitCode == 0 ? blkid.StandardOutput.Trim() : null;

            string mountPoint = MountPointFor(r, diskName);
            if (await _shell.ExitCodeAsync(NodeCommand.Root("mountpoint", "-q", mountPoint), ct).ConfigureAwait(false) == 0)
                throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                    $"{mountPoint} on {_shell.NodeName} is already a mount point (an earlier Mount-InstanceDisk of this server?).")
                { RecommendedAction = "Dismount-InstanceDisk that server first, or umount " + mountPoint + " on the node." };
            bool created = await _shell.ExitCodeAsync(NodeCommand.Root("test", "-d", mountPoint), ct).ConfigureAwait(false) != 0;
            if (created)
            {
                await Run(NodeCommand.Root("mkdir", "-p", "--", mountPoint), "Creating " + mountPoint, steps, ct).ConfigureAwait(false);
                journal.Push("rmdir " + mountPoint, c => Run(NodeCommand.Root("rmdir", "--", mountPoint), "Removing " + mountPoint, null, c));
            }
            var mountWords = new List<string> { "mount" };
            string options = MountOptions(r.ReadWrite, fs);
            if (options != null) mountWords.AddRange(new[] { "-o", options });
            mountWords.AddRange(new[] { "--", mounted, mountPoint });
            await Run(NodeCommand.Root(mountWords.ToArray()), $"Mounting {mounted} on {mountPoint}", steps, ct).ConfigureAwait(false);
            journal.Push("umount " + mountPoint, c => Run(NodeCommand.Root("umount", "--", mountPoint), "Unmounting " + mountPoint, null, c));

            return new MountedDisk { Disk = diskName, ImagePath = image, Format = format, Device = device, MountedDevice = mounted, FileSystem = fs, MountPoint = mountPoint };
        }

        /// <summary>
        /// Unmounts, disconnects and resumes, best effort: every step runs even when an earlier one fails (a busy
        /// mount point is detached lazily), and the domain is always resumed if Mount-InstanceDisk suspended it.
        /// Throws at the end if a device could not be detached.
        /// </summary>
        public async Task<InstanceDiskMount> DismountAsync(InstanceDiskMount mount, string requestedBy, CancellationToken ct)
        {
            var warnings = new List<string>(mount.Warnings ?? new string[0]);
            var failures = new List<string>();
            var steps = new List<string>();
            foreach (var disk in Enumerable.Reverse(mount.Disks))
            {
                ValidatePath(disk.MountPoint, "mount point");
                if (!Regex.IsMatch(disk.Device ?? "", @"^/dev/nbd\d+$")) throw new ArgumentException("Not an nbd device: " + disk.Device);
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
                    string name = disk.Device.Substring("/dev/".Length);
                    if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", "/sys/block/" + name + "/pid"), CancellationToken.None).ConfigureAwait(false) == 0)
                    {
                        await Run(NodeCommand.Root("qemu-nbd", "-d", disk.Device), "Disconnecting " + disk.Device, steps, CancellationToken.None).ConfigureAwait(false);
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
                    var state = await DomainStateAsync(mount.Domain, CancellationToken.None).ConfigureAwait(false);
                    if (state == "paused")
                        await Run(NodeCommand.Root("virsh", "resume", mount.Domain), "Resuming domain " + mount.Domain, steps, CancellationToken.None).ConfigureAwait(false);
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
                await _shell.RunAsync(NodeCommand.Root("rm", "-f", "--", RecordPath(mount.ServerId)), CancellationToken.None).ConfigureAwait(false);
                await AuditAsync($"dismount-instance-disk server={mount.ServerId} by={requestedBy ?? _shell.UserName}{(failures.Count == 0 ? "" : " with failures: " + string.Join("; ", failures))}", CancellationToken.None).ConfigureAwait(false);
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

        /// <summary>The mount Mount-InstanceDisk recorded on the node for a server, or null.</summary>
        public async Task<InstanceDiskMount> ReadRecordAsync(string serverId, CancellationToken ct)
        {
            if (!Guid.TryParse(serverId, out _)) throw new ArgumentException("Not a server UUID: " + serverId);
            var r = await _shell.RunAsync(NodeCommand.Root("cat", "--", RecordPath(serverId)), ct).ConfigureAwait(false);
            if (r.ExitCode != 0) return null;
            return ParseRecord(r.Lines, _shell.NodeName);
        }

        internal static IEnumerable<string> RecordLines(InstanceDiskMount m)
        {
            yield return "server=" + m.ServerId;
            yield return "name=" + OneLine(m.ServerName ?? "");
            yield return "domain=" + m.Domain;
            yield return "state-before=" + m.DomainStateBefore;
            yield return "suspended=" + (m.Suspended ? "yes" : "no");
            yield return "read-only=" + (m.ReadOnly ? "yes" : "no");
            yield return "by=" + OneLine(m.MountedBy ?? "");
            yield return "at=" + m.MountedAt.ToString("o", CultureInfo.InvariantCulture);
            foreach (var d in m.Disks)
                yield return "disk=" + string.Join("|", d.Disk, d.ImagePath, d.Format, d.Device, d.MountedDevice, d.FileSystem ?? "", d.MountPoint);
            yield return "justification=" + OneLine(m.Justification ?? "");
        }

        internal static InstanceDiskMount ParseRecord(IEnumerable<string> lines, string node)
        {
            var m = new InstanceDiskMount { Node = node, Mounted = true };
            var disks = new List<MountedDisk>();
            foreach (var line in lines)
            {
                int eq = line.IndexOf('=');
                if (eq <= 0) continue;
                string k = line.Substring(0, eq), v = line.Substring(eq + 1);
                switch (k)
                {
                    case "server": m.ServerId = v; break;
                    case "name": m.ServerName = v.Length == 0 ? null : v; break;
                    case "domain": m.Domain = v; break;
                    case "state-before": m.DomainStateBefore = v; break;
                    case "suspended": m.Suspended = v == "yes"; break;
                    case "read-only": m.ReadOnly = v == "yes"; break;
                    case "by": m.MountedBy = v; break;
                    case "at": if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) m.MountedAt = at; break;
                    case "justification": m.Justification = v; break;
                    case "disk":
                        var f = v.Split('|');
                        if (f.Length == 7)
                            disks.Add(new MountedDisk { Disk = f[0], ImagePath = f[1], Format = f[2], Device = f[3], MountedDevice = f[4], FileSystem = f[5].Length == 0 ? null : f[5], MountPoint = f[6] });
                        break;
                }
            }
            m.Disks = disks.ToArray();
            return m;
        }

        private async Task<string> DomainStateAsync(string domain, CancellationToken ct)
        {
            var r = await _shell.RunCheckedAsync(NodeCommand.Root("virsh", "domstate", domain), "Reading the state of domain " + domain, ct).ConfigureAwait(false);
            return r.Lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "unknown";
        }

        private async Task<string> DetectFormatAsync(string image, CancellationToken ct)
        {
            var r = await _shell.RunCheckedAsync(NodeCommand.Root("od", "-An", "-tx1", "-N4", "--", image), "Reading the header of " + image, ct).ConfigureAwait(false);
            return Regex.Replace(r.StandardOutput, @"\s+", "") == "514649fb" ? "qcow2" : "raw";
        }

        private async Task<List<string>> FreeDevicesAsync(CancellationToken ct)
        {
            var r = await _shell.RunCheckedAsync(NodeCommand.Script(true, FreeNbdScript), "Looking for a free nbd device", ct).ConfigureAwait(false);
            return r.Lines.Select(l => l.Trim()).Where(l => Regex.IsMatch(l, @"^nbd\d+$"))
                .OrderBy(l => int.Parse(l.Substring(3), CultureInfo.InvariantCulture)).ToList();
        }

        private async Task AuditAsync(string message, CancellationToken ct)
            => await _shell.RunCheckedAsync(NodeCommand.Script(true, AuditScript, AuditLog, message), "Writing the audit line", ct).ConfigureAwait(false);

        private async Task Run(NodeCommand command, string step, List<string> steps, CancellationToken ct)
        {
            _log?.Verbose($"{_shell.NodeName}: {step}: {command}");
            await _shell.RunCheckedAsync(command, step, ct).ConfigureAwait(false);
            steps?.Add(command.ToString());
        }

        internal static string MountOptions(bool readWrite, string fs)
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

        internal static string MountPointFor(InstanceDiskRequest r, string diskName)
            => r.MountRoot.TrimEnd('/') + "/" + r.ServerId + (diskName == "disk" ? "" : "-local");

        public static string RecordPath(string serverId) => RecordDirectory + "/" + serverId;

        private static IEnumerable<string> DiskNames(InstanceDiskRequest r)
            => r.IncludeLocalDisk ? new[] { "disk", "disk.local" } : new[] { "disk" };

        internal static void Validate(InstanceDiskRequest r)
        {
            if (!Guid.TryParse(r.ServerId, out var id) || id.ToString("D") != r.ServerId.ToLowerInvariant())
                throw new ArgumentException($"'{r.ServerId}' is not a server UUID.");
            r.ServerId = id.ToString("D");
            if (string.IsNullOrEmpty(r.Domain) || !DomainName.IsMatch(r.Domain))
                throw new ArgumentException($"'{r.Domain}' is not a libvirt domain name nova would give (instance-XXXXXXXX).");
            if (string.IsNullOrWhiteSpace(r.Justification))
                throw new ArgumentException("A justification is required: say why this instance's disk is opened.");
            if (r.Format != null && r.Format != "raw" && r.Format != "qcow2")
                throw new ArgumentException("Format must be raw or qcow2.");
            if (r.Partition < 0 || r.Partition > 64) throw new ArgumentException("Partition must be 0-64.");
            ValidatePath(r.InstancesPath, "instances path");
            ValidatePath(r.MountRoot, "mount root");
        }

        private static void ValidatePath(string path, string what)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Split('/').Any(p => p == ".." || p == ".") || path.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0)
                throw new ArgumentException($"The {what} must be an absolute path without . or .. components: '{path}'.");
        }

        internal static string OneLine(string s) => Regex.Replace(s ?? "", @"[\r\n\t]+", " ").Trim();
    }
}
