using System.Diagnostics;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Recovery
{
    /// <summary>What copying one instance directory did.</summary>
    public sealed class InstanceDirectoryCopyResult
    {
        public string ServerId { get; set; } = null!;
        public string SourceNode { get; set; } = null!;
        public string DestinationNode { get; set; } = null!;
        public string Path { get; set; } = null!;
        public int Files { get; set; }
        public long Bytes { get; set; }
        /// <summary>
        /// Each file's SHA-256 (path relative to the instance directory), as computed on both nodes: a result exists only
        /// when they agreed, so this is the record of what arrived, e.g. to compare with a later copy.
        /// </summary>
        public IReadOnlyDictionary<string, string> Sha256 { get; set; } = null!;
        /// <summary>The time taken as the engine measured it.</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>
        /// The time taken as text, [d.]hh:mm:ss to the second: the same in a table, in JSON and in CSV (`[TimeSpan]$r.Duration`
        /// gives the TimeSpan back). Settable, e.g. for a runbook test's data.
        /// </summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond): a number in JSON and CSV, for sums and sorting.</summary>
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 3);
        public string Message { get; set; } = null!;
    }

    /// <summary>
    /// The guide's undocumented but useful step for a failed node whose disk can still be read: copy
    /// /var/lib/nova/instances/&lt;uuid&gt; to the node the server will run on. Files go through this machine over SFTP
    /// into a staging directory next to the target, are checked by SHA-256 on both nodes, owned by nova, and only
    /// then renamed into place; any failure removes the staging directory. An existing target is never replaced.
    /// </summary>
    public sealed class InstanceDirectoryCopier
    {
        // Prints "<sha256>  ./<relative path>" for every regular file, and nothing else.
        private const string HashScript = "cd \"$1\" && find . -type f -print0 | xargs -0 -r sha256sum";

        public string InstancesPath { get; set; } = "/var/lib/nova/instances";
        /// <summary>Bytes copied so far and the total, for a progress bar.</summary>
        public Action<long, long>? OnProgress { get; set; }

        public async Task<InstanceDirectoryCopyResult> CopyAsync(INodeShell from, INodeShell to, string serverId, CancellationToken ct)
        {
            // A uuid, so it can be nothing else in a path.
            if (!Guid.TryParse(serverId, out var id))
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, from.NodeName, $"'{serverId}' is not a server id (a uuid).");
            string name = id.ToString("D");
            string dir = InstancesPath.TrimEnd('/') + "/" + name;
            string staging = dir + ".osops-partial";
            var clock = Stopwatch.StartNew();

            var sourceHashes = await HashesAsync(from, dir, ct).ConfigureAwait(false);
            if (sourceHashes == null)
                throw new NodeCommandException(NodeErrorKind.NotFound, from.NodeName, $"{dir} does not exist on {from.NodeName}: nothing to copy.");
            if (await to.ExitCodeAsync(NodeCommand.Root("test", "-e", dir), ct).ConfigureAwait(false) == 0)
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, to.NodeName,
                    $"{dir} already exists on {to.NodeName}; it is never replaced. Move it away first if it is stale.");

            var sizes = await SizesAsync(from, dir, ct).ConfigureAwait(false);
            long total = sizes.Values.Sum();
            long done = 0;
            await to.RunCheckedAsync(NodeCommand.Root("rm", "-rf", staging), "clear the staging directory", ct).ConfigureAwait(false);
            try
            {
                await to.RunCheckedAsync(NodeCommand.Root("mkdir", "-p", staging), "create the staging directory", ct).ConfigureAwait(false);
                foreach (var file in sourceHashes.Keys.OrderBy(f => f, StringComparer.Ordinal))
                {
                    string? parent = Path.GetDirectoryName(file)?.Replace('\\', '/');
                    if (!string.IsNullOrEmpty(parent))
                        await to.RunCheckedAsync(NodeCommand.Root("mkdir", "-p", staging + "/" + parent), "create " + parent, ct).ConfigureAwait(false);
                    string local = System.IO.Path.GetTempFileName();
                    try
                    {
                        long before = done;
                        using (var write = File.Create(local))
                            await from.DownloadAsync(dir + "/" + file, write, n => OnProgress?.Invoke(before + n, total), ct).ConfigureAwait(false);
                        using (var read = File.OpenRead(local))
                            await to.UploadAsync(read, staging + "/" + file, ct).ConfigureAwait(false);
                        done += sizes.TryGetValue(file, out var size) ? size : new FileInfo(local).Length;
                        OnProgress?.Invoke(done, total);
                    }
                    finally
                    {
                        File.Delete(local);
                    }
                }
                var copied = await HashesAsync(to, staging, ct).ConfigureAwait(false) ?? new Dictionary<string, string>();
                var wrong = sourceHashes.Where(kv => !copied.TryGetValue(kv.Key, out var h) || h != kv.Value).Select(kv => kv.Key).ToList();
                if (wrong.Count > 0 || copied.Count != sourceHashes.Count)
                    throw new NodeCommandException(NodeErrorKind.CommandFailed, to.NodeName,
                        $"the copy on {to.NodeName} differs from the source ({string.Join(", ", wrong.DefaultIfEmpty("extra files"))}); it was removed.");
                await to.RunCheckedAsync(NodeCommand.Script(true, "if id nova >/dev/null 2>&1; then chown -R nova:nova \"$1\"; fi", staging), "hand the files to nova", ct).ConfigureAwait(false);
                await to.RunCheckedAsync(NodeCommand.Root("mv", "-T", staging, dir), "move the copy into place", ct).ConfigureAwait(false);
            }
            catch
            {
                // Never leave a half copy behind, even when stopped: a fresh token, the caller's is cancelled.
                try { await to.RunAsync(NodeCommand.Root("rm", "-rf", staging), CancellationToken.None).ConfigureAwait(false); } catch (Exception) { }
                throw;
            }
            return new InstanceDirectoryCopyResult
            {
                ServerId = name, SourceNode = from.NodeName, DestinationNode = to.NodeName, Path = dir,
                Files = sourceHashes.Count, Bytes = total, Sha256 = sourceHashes, Elapsed = clock.Elapsed,
                Message = $"{sourceHashes.Count} file(s), {total} bytes, SHA-256 equal on both nodes",
            };
        }

        /// <summary>relative path → sha256, or null when the directory does not exist.</summary>
        private static async Task<Dictionary<string, string>?> HashesAsync(INodeShell shell, string dir, CancellationToken ct)
        {
            if (await shell.ExitCodeAsync(NodeCommand.Root("test", "-d", dir), ct).ConfigureAwait(false) != 0) return null;
            var r = await shell.RunCheckedAsync(NodeCommand.Script(true, HashScript, dir), "hash " + dir, ct).ConfigureAwait(false);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in r.StandardOutput.Split('\n').Where(l => l.Length > 66))
            {
                string path = line.Substring(66);
                map[path.StartsWith("./", StringComparison.Ordinal) ? path.Substring(2) : path] = line.Substring(0, 64);
            }
            return map;
        }

        private static async Task<Dictionary<string, long>> SizesAsync(INodeShell shell, string dir, CancellationToken ct)
        {
            var r = await shell.RunCheckedAsync(NodeCommand.Root("find", dir, "-type", "f", "-printf", "%P\\t%s\\n"), "list " + dir, ct).ConfigureAwait(false);
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in r.StandardOutput.Split('\n'))
            {
                int tab = line.LastIndexOf('\t');
                if (tab > 0 && long.TryParse(line.Substring(tab + 1), out long size)) map[line.Substring(0, tab)] = size;
            }
            return map;
        }
    }
}
