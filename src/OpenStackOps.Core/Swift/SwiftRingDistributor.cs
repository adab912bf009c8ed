using System.Security.Cryptography;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// The guide's <c>scp *.ring.gz $node:/etc/swift</c>, checked: the ring host's ring files are read once and
    /// written to each node beside the real ones (<c>.&lt;ring&gt;.ring.gz.osops-new</c>), compared by MD5 there,
    /// given the owner and mode of the file they replace and only then renamed over it, so a node never holds a
    /// half-written ring file. <see cref="VerifyAsync"/> then compares every node's files with the ring host's.
    /// </summary>
    public sealed class SwiftRingDistributor
    {
        // $1 staging file, $2 ring file: same owner and mode as the file it replaces, then an atomic rename.
        private const string PlaceScript =
            "if [ -e \"$2\" ]; then chown --reference=\"$2\" \"$1\" && chmod --reference=\"$2\" \"$1\"; else chmod 0644 \"$1\"; fi && mv -f -- \"$1\" \"$2\"";

        /// <summary>Called as each node is done (node, ring names), for progress and verbose lines.</summary>
        public Action<string>? OnProgress { get; set; }

        public static string Md5(byte[] content)
        {
            using (var md5 = MD5.Create())
                return string.Concat(md5.ComputeHash(content).Select(b => b.ToString("x2")));
        }

        /// <summary>Writes <paramref name="files"/> (ring name → bytes) to every target; throws naming the node and step that failed.</summary>
        public async Task PushAsync(IReadOnlyList<SwiftRingTarget> targets, IReadOnlyDictionary<string, byte[]> files, CancellationToken ct)
        {
            foreach (var target in targets)
            {
                ct.ThrowIfCancellationRequested();
                var staged = new List<(string staging, string final)>();
                try
                {
                    foreach (var kv in files.OrderBy(k => k.Key, StringComparer.Ordinal))
                    {
                        string final = target.RingFilePath(kv.Key);
                        string staging = target.Directory + "/." + kv.Key + ".ring.gz.osops-new";
                        using (var source = new MemoryStream(kv.Value, false))
                            await target.Shell.UploadAsync(source, staging, ct).ConfigureAwait(false);
                        staged.Add((staging, final));
                        var got = await SwiftRingHost.Md5Async(target.Shell, new[] { staging }, ct).ConfigureAwait(false);
                        string expected = Md5(kv.Value);
                        if (!got.TryGetValue(staging, out var h) || h != expected)
                            throw new NodeCommandException(NodeErrorKind.CommandFailed, target.Name,
                                $"{staging} on {target.Name} has MD5 {h ?? "(missing)"} after the copy, not {expected}.");
                    }
                    foreach (var (staging, final) in staged)
                        await target.Shell.RunCheckedAsync(NodeCommand.Script(true, PlaceScript, staging, final), "put " + final + " in place", ct).ConfigureAwait(false);
                    staged.Clear();
                }
                finally
                {
                    foreach (var (staging, _) in staged)
                        try { await target.Shell.RunAsync(NodeCommand.Root("rm", "-f", "--", staging), CancellationToken.None).ConfigureAwait(false); } catch (Exception) { }
                }
                OnProgress?.Invoke(target.Name);
            }
        }

        /// <summary>Every target's ring files compared with <paramref name="expected"/> (ring → MD5); an unreachable node is a copy with status Unreachable.</summary>
        public static async Task<List<SwiftRingFileCopy>> VerifyAsync(IReadOnlyList<SwiftRingTarget> targets, IReadOnlyDictionary<string, string> expected, CancellationToken ct)
        {
            var copies = new List<SwiftRingFileCopy>();
            foreach (var target in targets)
            {
                var paths = expected.Keys.Select(target.RingFilePath).ToList();
                Dictionary<string, string> got;
                try
                {
                    got = await SwiftRingHost.Md5Async(target.Shell, paths, ct).ConfigureAwait(false);
                }
                catch (NodeCommandException e)
                {
                    foreach (var ring in expected.Keys)
                        copies.Add(new SwiftRingFileCopy { Node = target.Name, Ring = ring, Path = target.RingFilePath(ring), ExpectedMd5 = expected[ring], Status = SwiftRingFileCopy.Unreachable, Message = e.Message });
                    continue;
                }
                foreach (var ring in expected.Keys)
                {
                    string path = target.RingFilePath(ring);
                    var copy = new SwiftRingFileCopy { Node = target.Name, Ring = ring, Path = path, ExpectedMd5 = expected[ring] };
                    if (!got.TryGetValue(path, out var md5)) { copy.Status = SwiftRingFileCopy.Missing; copy.Message = $"{path} does not exist on {target.Name}"; }
                    else
                    {
                        copy.Md5 = md5;
                        copy.Status = md5 == expected[ring] ? SwiftRingFileCopy.Same : SwiftRingFileCopy.Differs;
                        copy.Message = copy.Status == SwiftRingFileCopy.Same ? "the ring host's file" : $"MD5 {md5}, the ring host's is {expected[ring]}";
                    }
                    copies.Add(copy);
                }
            }
            return copies;
        }
    }
}
