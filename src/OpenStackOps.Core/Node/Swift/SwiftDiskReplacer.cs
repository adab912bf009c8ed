using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Swift
{
    /// <summary>
    /// The guide's "Replacing a Swift Disk" on a storage node: unmount the device's mount point, make an XFS file
    /// system on the whole new disk, mount it where the ring expects it (the node's /etc/fstab entry, as mount -a
    /// would), give it to swift, then show that the object server sees the device (its recon) and that replication
    /// puts objects on it. The disk is inspected first (read-only): a disk mounted anywhere else is refused, and one
    /// that holds anything but an empty XFS swift device is refused unless forced. Each changing step is approved
    /// one by one (ShouldProcess); a failure after the unmount says in which state the node was left.
    /// </summary>
    public sealed class SwiftDiskReplacer
    {
        private static readonly Regex DeviceName = new Regex(@"^[A-Za-z0-9_.-]{1,64}$");
        private static readonly Regex PathLike = new Regex(@"^/[A-Za-z0-9_.@:+,=/-]*$");
        private static readonly Regex OwnerLike = new Regex(@"^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$");
        private static readonly Regex HostPort = new Regex(@"^[A-Za-z0-9.:\[\]-]+:[0-9]{1,5}$");

        // $1 mount point, $2 disk or "" : the node's fstab entry, what is mounted there, the disk as blkid and lsblk see it.
        internal const string InspectScript =
            "mp=$1; disk=$2\n" +
            "entry=$(awk -v mp=\"$mp\" '$1 !~ /^#/ && $2 == mp {print $1, $3, $4; exit}' /etc/fstab 2>/dev/null)\n" +
            "echo \"fstab=$entry\"\n" +
            "spec=${entry%% *}\n" +
            "if [ -z \"$disk\" ]; then case \"$spec\" in /dev/*) disk=$spec ;; ?*) disk=$(blkid -l -o device -t \"$spec\" 2>/dev/null) ;; esac; fi\n" +
            "echo \"disk=$disk\"\n" +
            "case \"$spec\" in LABEL=*|UUID=*) echo \"carriers=$(blkid -c /dev/null -o device -t \"$spec\" 2>/dev/null | tr '\\n' ' ')\" ;; esac\n" +
            "echo \"current=$(findmnt -n -o SOURCE --mountpoint \"$mp\" 2>/dev/null | head -n 1)\"\n" +
            "echo \"currentmm=$(findmnt -n -o MAJ:MIN --mountpoint \"$mp\" 2>/dev/null | head -n 1)\"\n" +
            "[ -n \"$(findmnt -n -o TARGET --mountpoint \"$mp\" 2>/dev/null)\" ] && echo \"mpfiles=$(find \"$mp\" -xdev \\( -name '*.data' -o -name '*.db' \\) -type f 2>/dev/null | wc -l)\"\n" +
            "[ -n \"$disk\" ] || exit 0\n" +
            "if [ -b \"$disk\" ]; then echo block=yes; else echo block=no; exit 0; fi\n" +
            "echo \"diskmm=$(lsblk -nd -o MAJ:MIN \"$disk\" 2>/dev/null | tr -d ' ')\"\n" +
            "echo \"mounts=$(lsblk -nr -o MOUNTPOINT \"$disk\" 2>/dev/null | grep -v '^$' | tr '\\n' ' ')\"\n" +
            "blkid -p -o export \"$disk\" 2>/dev/null | grep -E '^(TYPE|LABEL|UUID|PTTYPE)=' | sed 's/^/blk_/'\n" +
            "exit 0";

        // $1 disk: a read-only look into an XFS file system that is not mounted: how many object and database files it holds.
        internal const string CountUnmountedScript =
            "t=$(mktemp -d /tmp/openstackops-swiftdisk.XXXXXX) || exit 1\n" +
            "if mount -o ro,norecovery -t xfs \"$1\" \"$t\" 2>/dev/null; then\n" +
            "  echo \"files=$(find \"$t\" -xdev \\( -name '*.data' -o -name '*.db' \\) -type f 2>/dev/null | wc -l)\"; umount \"$t\"\n" +
            "else echo files=unreadable; fi\n" +
            "rmdir \"$t\"";

        // $1 mount point: the object files on it (replication's progress).
        internal const string CountObjectsScript =
            "find \"$1\" -xdev -path \"$1/objects*\" -name '*.data' -type f 2>/dev/null | wc -l";

        // the object server's bind address from the node's config (swift's defaults otherwise)
        internal const string ObjectServerScript =
            "awk -F= '/^\\[/{s=$0} s==\"[DEFAULT]\" && $1 ~ /^[ \\t]*bind_(ip|port)[ \\t]*$/ {gsub(/[ \\t]/,\"\"); print}' /etc/swift/object-server.conf 2>/dev/null; exit 0";

        private readonly INodeShell _shell;
        private readonly IApiLog? _log;
        private readonly IWaitClock _clock;

        public SwiftDiskReplacer(INodeShell shell, IApiLog? log = null, IWaitClock? clock = null)
        {
            _shell = shell ?? throw new ArgumentNullException(nameof(shell));
            _log = log;
            _clock = clock ?? SystemWaitClock.Instance;
        }

        public static void Validate(SwiftDiskRequest r)
        {
            if (r == null) throw new ArgumentNullException(nameof(r));
            if (r.Device == null || !DeviceName.IsMatch(r.Device) || r.Device == "." || r.Device == "..")
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, null, $"'{r.Device}' is not a swift device name (letters, digits, '_', '.', '-', as in the ring).");
            if (r.DiskPath != null && (!PathLike.IsMatch(r.DiskPath) || !r.DiskPath.StartsWith("/dev/", StringComparison.Ordinal) || r.DiskPath.Contains("/../")))
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, null, $"'{r.DiskPath}' is not a block device path under /dev.");
            if (r.DevicesPath == null || !PathLike.IsMatch(r.DevicesPath) || r.DevicesPath.Contains(".."))
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, null, $"'{r.DevicesPath}' is not an absolute path.");
            if (r.Owner == null || !OwnerLike.IsMatch(r.Owner))
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, null, $"'{r.Owner}' is not user[:group].");
            if (r.ObjectServer != null && !HostPort.IsMatch(r.ObjectServer))
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, null, $"'{r.ObjectServer}' is not host:port.");
            if (r.ReplicationTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(r.ReplicationTimeout));
        }

        /// <summary>
        /// Inspects the node (read-only) and returns the steps that would replace the disk, or throws when the disk is
        /// refused. Run each step with <see cref="RunStepAsync"/> (after the operator approves it), then <see cref="FinishAsync"/>.
        /// </summary>
        public async Task<SwiftDiskPlan> PlanAsync(SwiftDiskRequest r, CancellationToken ct)
        {
            Validate(r);
            string mp = r.MountPoint;
            var facts = await InspectAsync(r, ct).ConfigureAwait(false);
            var result = new SwiftDiskReplacement
            {
                Node = _shell.NodeName, Device = r.Device, MountPoint = mp, Disk = facts.Get("disk"), FstabEntry = facts.Get("fstab"),
                PreviousSource = facts.Get("current"), Forced = r.Force, Owner = r.Owner, Formatted = "", Status = "Planned",
                PreviousContent = string.Join(" ", new[] { "PTTYPE", "TYPE", "LABEL" }.Where(k => facts.Get("blk_" + k) != "").Select(k => k + "=" + facts.Get("blk_" + k))),
            };
            string[] fstab = result.FstabEntry.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            string spec = fstab.Length > 0 ? fstab[0] : "", fsType = fstab.Length > 1 ? fstab[1] : "";
            CheckDisk(r, facts, result, spec, fsType);

            var mkfs = new List<string> { "mkfs.xfs" };
            if (result.PreviousContent != "") mkfs.Add("-f");
            if (spec.StartsWith("LABEL=", StringComparison.Ordinal)) mkfs.AddRange(new[] { "-L", spec.Substring(6) });
            else if (spec.StartsWith("UUID=", StringComparison.Ordinal)) mkfs.AddRange(new[] { "-m", "uuid=" + spec.Substring(5) });
            mkfs.Add(result.Disk);

            var plan = new SwiftDiskPlan(r, result, $"{_shell.NodeName}: {mp}");
            if (result.PreviousSource != "")
                plan.Add($"umount {mp} (mounted from {result.PreviousSource})", $"Unmounting {mp}", NodeCommand.Root("umount", mp));
            var format = NodeCommand.Root(mkfs.ToArray());
            format.Timeout = TimeSpan.FromMinutes(10);
            plan.Add($"{ShellQuote.Join(mkfs)} (the whole disk{(r.Force && result.PreviousContent != "" ? ", forced: it held " + result.PreviousContent : "")})",
                $"Making the XFS file system on {result.Disk}", format);
            // Another device already carries the fstab line's label/UUID (the old disk, still attached): mount by label
            // could pick either, so mount the new disk by name with the fstab line's type and options, and say so.
            var others = facts.Get("carriers").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Where(d => d != result.Disk).ToList();
            if (others.Count > 0 && spec.Contains("="))
            {
                string options = fstab.Length > 2 ? fstab[2] : "defaults";
                result.Note = $"{spec} is also on {string.Join(", ", others)} (the old disk?): mount -a at the next boot could mount either; wipe or remove it (wipefs -a).";
                plan.Add($"mount -t xfs -o {options} {result.Disk} {mp} ({spec} is also on {string.Join(", ", others)}: mounted by device, not by the fstab label)",
                    $"Mounting {result.Disk} on {mp}", NodeCommand.Root("mount", "-t", "xfs", "-o", options, result.Disk, mp));
            }
            else
            {
                plan.Add($"mount {mp} (as /etc/fstab says: {result.FstabEntry})", $"Mounting {mp} from /etc/fstab", NodeCommand.Root("mount", mp));
            }
            plan.Add($"chown {r.Owner} {mp}", $"Giving {mp} to {r.Owner}", NodeCommand.Root("chown", r.Owner, mp));
            return plan;
        }

        /// <summary>Runs one step of the plan; a failure says what was done before and in which state the node is.</summary>
        public async Task RunStepAsync(SwiftDiskPlan plan, SwiftDiskStep step, CancellationToken ct)
        {
            var result = plan.Result;
            await RunAsync(step.Command, step.Description, result, ct).ConfigureAwait(false);
            if (step.Command.Words[0] == "mkfs.xfs") result.Formatted = step.Command.ToString();
            result.Steps = result.Steps.Append(step.Action).ToArray();
            result.Status = "Incomplete: " + StateSentence(result);
        }

        /// <summary>After every step: the disk is the one mounted there, the object server's view of it, replication filling it.</summary>
        public async Task<SwiftDiskReplacement> FinishAsync(SwiftDiskPlan plan, CancellationToken ct)
        {
            var r = plan.Request;
            var result = plan.Result;
            await VerifyMountAsync(r, result, ct).ConfigureAwait(false);
            await ObjectServerAsync(r, result, ct).ConfigureAwait(false);
            await ReplicationAsync(r, result, ct).ConfigureAwait(false);
            result.Status = "Replaced";
            return result;
        }

        /// <summary>Planning, each approved step and the checks in one call (engine callers and tests); null when nothing ran.</summary>
        public async Task<SwiftDiskReplacement?> ReplaceAsync(SwiftDiskRequest r, Func<string, string, bool> approve, CancellationToken ct)
        {
            var plan = await PlanAsync(r, ct).ConfigureAwait(false);
            foreach (var step in plan.Steps)
            {
                if (!approve(plan.Target, step.Action))
                    return plan.Result.Steps.Length == 0 ? null : Declined(plan);
                await RunStepAsync(plan, step, ct).ConfigureAwait(false);
            }
            return await FinishAsync(plan, ct).ConfigureAwait(false);
        }

        /// <summary>The result when the operator declined a step after others ran: what ran and the node's state.</summary>
        public static SwiftDiskReplacement Declined(SwiftDiskPlan plan)
        {
            var result = plan.Result;
            result.Status = "Incomplete: declined after " + string.Join("; ", result.Steps) + ". " + StateSentence(result);
            return result;
        }

        private static void CheckDisk(SwiftDiskRequest r, Facts facts, SwiftDiskReplacement result, string spec, string fsType)
        {
            string? node = null, mp = r.MountPoint;
            if (result.FstabEntry == "")
                throw new NodeCommandException(NodeErrorKind.NotFound, node,
                    $"The node's /etc/fstab has no entry for {mp}: the ring expects device {r.Device} there, and this cmdlet mounts it as fstab says.")
                { RecommendedAction = $"Add the node's line for {mp} to /etc/fstab (e.g. LABEL={r.Device} {mp} xfs noatime,nofail 0 0), then run it again." };
            if (fsType != "xfs")
                throw new NodeCommandException(NodeErrorKind.Unsupported, node, $"/etc/fstab mounts {mp} as '{fsType}', not xfs: {result.FstabEntry}.");
            if (result.Disk == "")
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, node,
                    $"/etc/fstab mounts {mp} by {spec} and no disk carries it now: name the new disk.")
                { RecommendedAction = "Give the new disk with -DiskPath (lsblk, dmesg | tail show it)." };
            if (facts.Get("block") != "yes")
                throw new NodeCommandException(NodeErrorKind.NotFound, node, $"{result.Disk} is not a block device on the node.")
                { RecommendedAction = "Check the disk's name with lsblk (dmesg | tail shows a newly inserted disk)." };
            if (facts.Get("blk_PTTYPE") != "" && !r.Force)
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, node,
                    $"{result.Disk} has a partition table ({facts.Get("blk_PTTYPE")}): swift disks are formatted whole, and this one may hold data.")
                { RecommendedAction = "Check it is the new disk; -Force formats it whole." };
            bool mountedHere = facts.Get("currentmm") != "" && facts.Get("currentmm") == facts.Get("diskmm");
            var elsewhere = facts.Get("mounts").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Where(m => m != mp).ToList();
            if (elsewhere.Count > 0)
                throw new NodeCommandException(NodeErrorKind.Busy, node,
                    $"{result.Disk} is mounted on {string.Join(", ", elsewhere)}: refusing to format a disk in use.")
                { RecommendedAction = $"Make sure it is the right disk; unmount it from {string.Join(", ", elsewhere)} first." };
            if (result.PreviousContent == "" && !mountedHere) return;   // blank disk
            string type = facts.Get("blk_TYPE");
            string files = mountedHere ? facts.Get("mpfiles") : facts.Get("files");
            bool emptySwiftXfs = type == "xfs" && files == "0";
            if (emptySwiftXfs || r.Force) return;
            string holds = type == "xfs"
                ? files == "unreadable" ? "an XFS file system that cannot be read" : $"an XFS file system with {files} object/database file(s)"
                : type != "" ? $"a {type} file system" : "data (blkid found a signature)";
            throw new NodeCommandException(NodeErrorKind.InvalidArgument, node,
                $"{result.Disk} holds {holds}{(mountedHere ? $", and is the disk mounted on {mp} now" : "")}: refusing to format it.")
            { RecommendedAction = "Check it is the replacement disk; -Force formats it (everything on it is lost)." };
        }

        private async Task<Facts> InspectAsync(SwiftDiskRequest r, CancellationToken ct)
        {
            var result = await _shell.RunCheckedAsync(NodeCommand.Script(true, InspectScript, r.MountPoint, r.DiskPath ?? ""),
                $"Inspecting {r.MountPoint}", ct).ConfigureAwait(false);
            var facts = Facts.Parse(result.StandardOutput);
            string disk = facts.Get("disk");
            bool mountedHere = facts.Get("currentmm") != "" && facts.Get("currentmm") == facts.Get("diskmm");
            if (disk != "" && facts.Get("block") == "yes" && facts.Get("blk_TYPE") == "xfs" && !mountedHere && facts.Get("mounts") == "")
            {
                var count = await _shell.RunCheckedAsync(NodeCommand.Script(true, CountUnmountedScript, disk),
                    $"Looking into {disk} (read-only)", ct).ConfigureAwait(false);
                foreach (var kv in Facts.Parse(count.StandardOutput).All) facts.Set(kv.Key, kv.Value);
            }
            return facts;
        }

        private async Task RunAsync(NodeCommand command, string step, SwiftDiskReplacement result, CancellationToken ct)
        {
            _log?.Verbose($"{_shell.NodeName}: {command}");
            CommandResult done;
            try
            {
                done = await _shell.RunAsync(command, ct).ConfigureAwait(false);
            }
            catch (NodeCommandException e)
            {
                throw Stranded(e.Kind, $"{step} failed on {_shell.NodeName}: {e.Message}", result, e.Result, e);
            }
            if (Array.IndexOf(command.AcceptedExitCodes, done.ExitCode) < 0)
                throw Stranded(NodeCommandException.Classify(done),
                    $"{step} failed on {_shell.NodeName}: `{done.CommandLine}` exited {done.ExitCode}: {done.Summary()}", result, done, null);
        }

        /// <summary>A failed step, with the state the node is in after the steps that ran.</summary>
        private NodeCommandException Stranded(NodeErrorKind kind, string message, SwiftDiskReplacement result, CommandResult? r, Exception? inner)
        {
            string done = result.Steps.Length == 0 ? "Nothing was changed." : "Done before it: " + string.Join("; ", result.Steps) + ".";
            return new NodeCommandException(kind, _shell.NodeName, $"{message} {done} {StateSentence(result)}", r, inner)
            {
                RecommendedAction = result.Steps.Length == 0
                    ? "Fix the cause and run Repair-SwiftDisk again."
                    : "Fix the cause and run Repair-SwiftDisk again (it starts from the node's state); meanwhile swift serves the device's data from the other replicas.",
            };
        }

        private static string StateSentence(SwiftDiskReplacement r)
        {
            bool unmounted = r.Steps.Any(s => s.StartsWith("umount", StringComparison.Ordinal)) || r.PreviousSource == "";
            bool formatted = r.Formatted != "";
            bool mounted = r.Steps.Any(s => s.StartsWith("mount", StringComparison.Ordinal));
            if (mounted) return $"State: {r.MountPoint} is mounted from {r.Disk}{(r.Steps.Any(s => s.StartsWith("chown", StringComparison.Ordinal)) ? "" : $", still owned by root (the object server cannot write to it until chown {r.Owner})")}.";
            if (!unmounted) return $"State: {r.MountPoint} is still mounted from {r.PreviousSource}.";
            return $"State: {r.MountPoint} is not mounted (the object server answers 507 for {r.Device}; its partitions are served from the other replicas); {r.Disk} is {(formatted ? "formatted but not mounted" : "not formatted")}.";
        }

        private async Task VerifyMountAsync(SwiftDiskRequest r, SwiftDiskReplacement result, CancellationToken ct)
        {
            var probe = await _shell.RunCheckedAsync(NodeCommand.Script(true, InspectScript, r.MountPoint, result.Disk),
                $"Checking the mount of {r.MountPoint}", ct).ConfigureAwait(false);
            var f = Facts.Parse(probe.StandardOutput);
            result.MountedSource = f.Get("current");
            result.Mounted = f.Get("currentmm") != "" && f.Get("currentmm") == f.Get("diskmm");
            result.FileSystem = f.Get("blk_TYPE");
            result.Label = f.Get("blk_LABEL");
            result.Uuid = f.Get("blk_UUID");
            if (!result.Mounted)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"After mount {r.MountPoint}, the node mounts {(result.MountedSource == "" ? "nothing" : result.MountedSource)} there, not {result.Disk}: " +
                    $"/etc/fstab ({result.FstabEntry}) does not lead to the new disk. Done: {string.Join("; ", result.Steps)}. " +
                    $"State: {r.MountPoint} is {(result.MountedSource == "" ? "not mounted" : "mounted from " + result.MountedSource)}; {result.Disk} is formatted.", probe)
                {
                    RecommendedAction = $"Check which device carries the fstab line's label or UUID (blkid), unmount {r.MountPoint} and run Repair-SwiftDisk again.",
                };
        }

        private async Task ObjectServerAsync(SwiftDiskRequest r, SwiftDiskReplacement result, CancellationToken ct)
        {
            string? server = r.ObjectServer;
            if (server == null)
            {
                var conf = await _shell.RunAsync(NodeCommand.Script(true, ObjectServerScript), ct).ConfigureAwait(false);
                var f = Facts.Parse(conf.StandardOutput);
                string ip = f.Get("bind_ip"), port = f.Get("bind_port");
                if (ip == "" || ip == "0.0.0.0" || ip == "::") ip = "127.0.0.1";
                server = (ip.Contains(":") ? "[" + ip + "]" : ip) + ":" + (port == "" ? "6200" : port);
            }
            result.ObjectServer = server;
            var recon = await _shell.RunAsync(NodeCommand.User("curl", "-s", "-m", "10", "-w", "\n%{http_code}", $"http://{server}/recon/diskusage"), ct).ConfigureAwait(false);
            var lines = recon.StandardOutput.TrimEnd().Split('\n');
            string code = lines.Length > 0 ? lines[lines.Length - 1].Trim() : "";
            string body = string.Join("\n", lines.Take(Math.Max(0, lines.Length - 1)));
            if (recon.ExitCode != 0 || code != "200")
            {
                result.ObjectServerSeesDevice = "Unknown";
                result.ObjectServerEvidence = recon.ExitCode != 0
                    ? $"GET http://{server}/recon/diskusage from the node: curl exited {recon.ExitCode}: {recon.Summary()}"
                    : $"GET http://{server}/recon/diskusage answered {code} (is the recon middleware in the object server's pipeline?)";
                return;
            }
            try
            {
                var entry = (JsonNode.Parse(body) as JsonArray)?.FirstOrDefault(e => (string?)e?["device"] == r.Device);
                bool mounted = entry?["mounted"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
                result.ObjectServerSeesDevice = mounted ? "Yes" : "No";
                result.ObjectServerEvidence = entry == null
                    ? $"GET http://{server}/recon/diskusage does not list {r.Device}"
                    : mounted
                        ? $"GET http://{server}/recon/diskusage: {r.Device} mounted, {Size(entry["size"])} bytes, {Size(entry["used"])} used"
                        : $"GET http://{server}/recon/diskusage: {r.Device} not mounted ({entry["mounted"]})";
            }
            catch (System.Text.Json.JsonException e)
            {
                result.ObjectServerSeesDevice = "Unknown";
                result.ObjectServerEvidence = $"GET http://{server}/recon/diskusage answered something that is not JSON: {e.Message}";
            }
        }

        private static string Size(JsonNode? n) => n == null ? "?" : n.ToJsonString();

        private async Task ReplicationAsync(SwiftDiskRequest r, SwiftDiskReplacement result, CancellationToken ct)
        {
            var wait = new BoundedWait(_clock, r.ReplicationTimeout, r.PollInterval);
            var (count, settled) = await wait.UntilAsync(async c =>
            {
                var res = await _shell.RunCheckedAsync(NodeCommand.Script(true, CountObjectsScript, r.MountPoint), $"Counting the objects on {r.MountPoint}", c).ConfigureAwait(false);
                return int.TryParse(res.StandardOutput.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
            }, n => n > 0 || r.ReplicationTimeout == TimeSpan.Zero, ct).ConfigureAwait(false);
            result.ObjectFiles = count;
            result.ReplicationElapsed = wait.Elapsed;
            result.Replication = count > 0 ? "Filling" : r.ReplicationTimeout == TimeSpan.Zero ? "NotWaited" : "Waiting";
            if (count == 0 && r.ReplicationTimeout > TimeSpan.Zero)
                result.Note = (result.Note == null ? "" : result.Note + " ") + ($"{_shell.NodeName}: no object reached {r.MountPoint} in {r.ReplicationTimeout.TotalSeconds:0} s: are the object replicators running (ps aux | grep swift-object-replicator), and does the ring give {r.Device} partitions?");
        }

        /// <summary>key=value lines.</summary>
        internal sealed class Facts
        {
            private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.Ordinal);
            public IEnumerable<KeyValuePair<string, string>> All => _values;
            public string Get(string key) => _values.TryGetValue(key, out var v) ? v : "";
            public void Set(string key, string value) => _values[key] = value;

            public static Facts Parse(string text)
            {
                var f = new Facts();
                foreach (var line in (text ?? "").Split('\n'))
                {
                    int eq = line.IndexOf('=');
                    if (eq <= 0) continue;
                    f._values[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim().Trim('"');
                }
                return f;
            }
        }
    }
}
