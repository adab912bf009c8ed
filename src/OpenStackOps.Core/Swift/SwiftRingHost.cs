using System.Globalization;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// The node that keeps the builder files (account.builder, container.builder, object.builder and their ring
    /// files) and runs swift-ring-builder on them, through the node layer (<see cref="INodeShell"/>): every argument
    /// is one quoted word.
    /// </summary>
    public sealed class SwiftRingHost
    {
        public static readonly IReadOnlyList<string> RingNames = new[] { "account", "container", "object" };
        public const string DefaultDirectory = "/etc/swift";

        public SwiftRingHost(INodeShell shell, string builderDirectory = DefaultDirectory)
        {
            Shell = shell ?? throw new ArgumentNullException(nameof(shell));
            BuilderDirectory = string.IsNullOrEmpty(builderDirectory) ? DefaultDirectory : builderDirectory.TrimEnd('/');
        }

        public INodeShell Shell { get; }
        public string Name => Shell.NodeName;
        public string BuilderDirectory { get; }
        /// <summary>The program; a full path when it is not on the ring host's PATH.</summary>
        public string Program { get; set; } = "swift-ring-builder";

        public string BuilderPath(string ring) => BuilderDirectory + "/" + ring + ".builder";
        public string RingFilePath(string ring) => BuilderDirectory + "/" + ring + ".ring.gz";

        /// <summary>The exact command line of a ring-builder call, for -WhatIf and the journal.</summary>
        public string CommandLine(string ring, params string[] arguments) => Command(ring, arguments).ToString();

        private NodeCommand Command(string ring, IEnumerable<string> arguments)
        {
            var words = new List<string> { Program, BuilderPath(ring) };
            words.AddRange(arguments);
            return NodeCommand.Root(words.ToArray());
        }

        /// <summary><c>swift-ring-builder X.builder</c>: the ring and its devices.</summary>
        public async Task<SwiftRing> DescribeAsync(string ring, CancellationToken ct)
        {
            var command = Command(ring, new string[0]);
            var r = await Shell.RunAsync(command, ct).ConfigureAwait(false);
            if (r.ExitCode != 0)
                throw new SwiftRingException(SwiftRingError.BuilderFailed, BuilderPath(ring),
                    $"Reading {BuilderPath(ring)} on {Name} failed: `{r.CommandLine}` exited {r.ExitCode}: {RingBuilderOutput.Note(r.StandardOutput + "\n" + r.StandardError)}");
            SwiftRing parsed;
            try
            {
                parsed = RingBuilderOutput.ParseDescription(ring, r.StandardOutput);
            }
            catch (FormatException e)
            {
                throw new SwiftRingException(SwiftRingError.BuilderFailed, BuilderPath(ring), $"{Name}: {e.Message}", e);
            }
            parsed.RingHost = Name;
            parsed.BuilderPath = BuilderPath(ring);
            parsed.RingFilePath = RingFilePath(ring);
            return parsed;
        }

        /// <summary>
        /// All three rings, each with the MD5 of its ring file on the ring host. The three reads run side by side (each
        /// command has its own SSH channel): each is a python start-up, about a second, several on a loaded ring host.
        /// A failed read fails the whole in ring order (account, container, object), as one after the other did.
        /// </summary>
        public async Task<List<SwiftRing>> DescribeAllAsync(CancellationToken ct)
        {
            var reads = RingNames.Select(name => DescribeAsync(name, ct)).ToList();
            try
            {
                await Task.WhenAll(reads).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the first ring's failure, not whichever the awaiter picks
                foreach (var read in reads)
                    if (read.IsFaulted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(read.Exception.InnerException).Throw();
                throw;
            }
            var rings = reads.Select(r => r.Result).ToList();
            var md5 = await Md5Async(Shell, rings.Select(r => r.RingFilePath).Concat(rings.Select(r => r.BuilderPath)), ct).ConfigureAwait(false);
            foreach (var r in rings)
            {
                r.RingFileMd5 = md5.TryGetValue(r.RingFilePath, out var h) ? h : null;
                r.BuilderMd5 = md5.TryGetValue(r.BuilderPath, out var b) ? b : null;
            }
            return rings;
        }

        /// <summary>
        /// <c>remove d&lt;id&gt; [d&lt;id&gt; ...] --yes</c>: marks the devices (each by its id, an exact match) for removal at the next
        /// rebalance, in one call (one start of swift-ring-builder per builder); <c>--yes</c> answers its "remove these N
        /// devices?" question, which it asks when more than one device matches.
        /// </summary>
        public static string[] RemoveArguments(IEnumerable<int> ids)
            => new[] { "remove" }.Concat(ids.Select(id => "d" + id.ToString(CultureInfo.InvariantCulture))).Concat(new[] { "--yes" }).ToArray();

        public async Task RemoveDevicesAsync(string ring, IReadOnlyCollection<int> ids, CancellationToken ct)
        {
            var r = await Shell.RunAsync(Command(ring, RemoveArguments(ids)), ct).ConfigureAwait(false);
            if (r.ExitCode != 0)
                throw new SwiftRingException(SwiftRingError.BuilderFailed, BuilderPath(ring),
                    $"Removing device(s) {string.Join(", ", ids.Select(id => "d" + id.ToString(CultureInfo.InvariantCulture)))} from {BuilderPath(ring)} on {Name} failed: `{r.CommandLine}` exited {r.ExitCode}: {RingBuilderOutput.Note(r.StandardOutput + "\n" + r.StandardError)}");
        }

        public static string[] AddArguments(SwiftRingDevice device) => new[] { "add" }.Concat(device.AddArguments()).ToArray();

        /// <summary><c>add --region .. --zone .. --ip .. --port .. --replication-ip .. --replication-port .. --device .. --weight .. --meta ..</c>.</summary>
        public async Task AddDeviceAsync(string ring, SwiftRingDevice device, CancellationToken ct)
        {
            var r = await Shell.RunAsync(Command(ring, AddArguments(device)), ct).ConfigureAwait(false);
            if (r.ExitCode != 0)
                throw new SwiftRingException(SwiftRingError.BuilderFailed, BuilderPath(ring),
                    $"Adding {device.Parameters} to {BuilderPath(ring)} on {Name} failed: `{r.CommandLine}` exited {r.ExitCode}: {RingBuilderOutput.Note(r.StandardOutput + "\n" + r.StandardError)}");
        }

        /// <summary><c>rebalance</c>: exit 0 written, 1 a warning (written with a note, or held back by min_part_hours), 2 refused.</summary>
        public async Task<SwiftRebalanceResult> RebalanceAsync(string ring, DateTimeOffset now, CancellationToken ct)
        {
            var command = Command(ring, new[] { "rebalance" });
            command.Timeout = TimeSpan.FromMinutes(10);
            var r = await Shell.RunAsync(command, ct).ConfigureAwait(false);
            return RingBuilderOutput.ParseRebalance(ring, r.ExitCode, r.StandardOutput + (r.StandardError.Length > 0 ? "\n" + r.StandardError : ""), now);
        }

        /// <summary>Copies the builder and ring file to backups/osops-&lt;stamp&gt;.&lt;ring&gt;.* next to them; returns (builder backup, ring backup or null when there is no ring file).</summary>
        public async Task<(string builder, string? ringFile)> BackupAsync(string ring, string stamp, CancellationToken ct)
        {
            string dir = BuilderDirectory + "/backups";
            string builderBackup = $"{dir}/osops-{stamp}.{ring}.builder";
            string ringBackup = $"{dir}/osops-{stamp}.{ring}.ring.gz";
            await Shell.RunCheckedAsync(NodeCommand.Root("mkdir", "-p", dir), "create " + dir, ct).ConfigureAwait(false);
            await Shell.RunCheckedAsync(NodeCommand.Root("cp", "-p", "--", BuilderPath(ring), builderBackup), "back up " + BuilderPath(ring), ct).ConfigureAwait(false);
            if (await Shell.ExitCodeAsync(NodeCommand.Root("test", "-f", RingFilePath(ring)), ct).ConfigureAwait(false) != 0) return (builderBackup, null);
            await Shell.RunCheckedAsync(NodeCommand.Root("cp", "-p", "--", RingFilePath(ring), ringBackup), "back up " + RingFilePath(ring), ct).ConfigureAwait(false);
            return (builderBackup, ringBackup);
        }

        /// <summary>Puts a backup back in place (copy beside the target, then rename over it).</summary>
        public async Task RestoreFileAsync(string backup, string target, CancellationToken ct)
        {
            string temp = target + ".osops-restore";
            await Shell.RunCheckedAsync(NodeCommand.Root("cp", "-p", "--", backup, temp), "copy " + backup, ct).ConfigureAwait(false);
            await Shell.RunCheckedAsync(NodeCommand.Root("mv", "-f", "--", temp, target), "put back " + target, ct).ConfigureAwait(false);
        }

        /// <summary>Reads a ring file from the ring host (the bytes every node must get).</summary>
        public async Task<byte[]> ReadFileAsync(string path, CancellationToken ct)
        {
            using (var buffer = new MemoryStream())
            {
                await Shell.DownloadAsync(path, buffer, null, ct).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }

        /// <summary>md5sum of each path on a node: path → lowercase hex, missing files left out.</summary>
        public static async Task<Dictionary<string, string>> Md5Async(INodeShell shell, IEnumerable<string> paths, CancellationToken ct)
        {
            var list = paths.ToList();
            var words = new List<string> { "md5sum", "--" };
            words.AddRange(list);
            var command = NodeCommand.Root(words.ToArray());
            command.AcceptedExitCodes = new[] { 0, 1 }; // 1: some file missing, said on stderr
            var r = await shell.RunCheckedAsync(command, "md5sum of the ring files", ct).ConfigureAwait(false);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in r.Lines)
            {
                // "<32 hex>  <path>"
                if (line.Length > 34 && line[32] == ' ') map[line.Substring(34).TrimEnd('\r')] = line.Substring(0, 32).ToLowerInvariant();
            }
            if (r.ExitCode != 0 && r.StandardError.IndexOf("No such file", StringComparison.OrdinalIgnoreCase) < 0)
                throw new NodeCommandException(NodeCommandException.Classify(r), shell.NodeName, $"md5sum of the ring files failed on {shell.NodeName}: {r.Summary()}", r);
            return map;
        }
    }

    /// <summary>A node that gets the ring files (a storage node or a proxy): its connection and its Swift directory.</summary>
    public sealed class SwiftRingTarget
    {
        public SwiftRingTarget(INodeShell shell, string directory = SwiftRingHost.DefaultDirectory)
        {
            Shell = shell ?? throw new ArgumentNullException(nameof(shell));
            Directory = string.IsNullOrEmpty(directory) ? SwiftRingHost.DefaultDirectory : directory.TrimEnd('/');
        }

        public INodeShell Shell { get; }
        public string Name => Shell.NodeName;
        public string Directory { get; }
        public string RingFilePath(string ring) => Directory + "/" + ring + ".ring.gz";
    }
}
