using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Tests.Swift
{
    /// <summary>
    /// A "node" that is this machine: commands run as `sh -c '<quoted command line>'` (the line the SSH layer would
    /// send), files are read and written directly. Lets the engine drive the real swift-ring-builder in a temp dir.
    /// <see cref="FailUploadsAfter"/> makes later uploads fail, as a node that goes away in the middle of a copy.
    /// </summary>
    public sealed class LocalNodeShell : INodeShell
    {
        private int _uploads;

        public LocalNodeShell(string name) => NodeName = name;

        public string NodeName { get; }
        public string UserName => "root";
        /// <summary>Uploads after this many succeed fail with a connection error; null: never.</summary>
        public int? FailUploadsAfter { get; set; }
        /// <summary>The injected failure happens once: the connection is back for the next upload (a transient loss).</summary>
        public bool FailOnce { get; set; }
        public int Uploads => _uploads;

        /// <summary>
        /// swift-ring-builder calls go to <see cref="RingBuilderServer"/> (the tool's own main() in a forked child of a
        /// python that imported it once); false: every call starts /usr/bin/swift-ring-builder as the node would.
        /// </summary>
        public bool PreloadedRingBuilder { get; set; } = true;
        /// <summary>A command line for which this returns a message fails with exit 2 and that message on stderr (not run).</summary>
        public Func<string, string> FailCommand { get; set; }

        public async Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct)
        {
            string line = command.ToCommandLine(false);
            var clock = Stopwatch.StartNew();
            if (FailCommand?.Invoke(line) is string injected)
                return new CommandResult(line, 2, "", injected + "\n", clock.Elapsed);
            if (PreloadedRingBuilder && command.Words.Count > 1 && command.Words[0] == SwiftRingTestBed.Tool && !line.Contains("|"))
            {
                var (rc, stdout, stderr) = await RingBuilderServer.RunAsync(command.Words, ct);
                return new CommandResult(line, rc, stdout, stderr, clock.Elapsed);
            }
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(line);
            // swift-ring-builder imports eventlet, whose DNS module (dnspython) is a third of its start-up; the ring
            // builder resolves nothing (the devices are IPs), so the tests skip that import.
            psi.Environment["EVENTLET_NO_GREENDNS"] = "yes";
            using (var p = Process.Start(psi))
            {
                p.StandardInput.Close(); // swift-ring-builder's questions get EOF, as over a non-interactive SSH channel
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync(ct);
                return new CommandResult(line, p.ExitCode, await stdout, await stderr, clock.Elapsed);
            }
        }

        public async Task DownloadAsync(string remotePath, Stream destination, Action<long> progress, CancellationToken ct)
        {
            if (!File.Exists(remotePath)) throw new NodeCommandException(NodeErrorKind.NotFound, NodeName, $"{remotePath} does not exist on {NodeName}.");
            var bytes = await File.ReadAllBytesAsync(remotePath, ct);
            await destination.WriteAsync(bytes, 0, bytes.Length, ct);
            progress?.Invoke(bytes.Length);
        }

        public async Task UploadAsync(Stream source, string remotePath, CancellationToken ct)
        {
            if (FailUploadsAfter is int n && _uploads >= n)
            {
                if (FailOnce) FailUploadsAfter = null;
                throw new NodeCommandException(NodeErrorKind.ConnectionFailed, NodeName, $"{NodeName}: the connection was lost while writing {remotePath} (injected).");
            }
            _uploads++;
            using (var f = File.Create(remotePath)) await source.CopyToAsync(f, ct);
        }

        public Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct)
            => Task.FromResult(File.Exists(remotePath) ? new FileInfo(remotePath).Length : (long?)null);
    }
}
