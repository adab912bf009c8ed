using System.Diagnostics;
using System.Net.Sockets;
using OpenStackOps.Node.Shell;
using Renci.SshNet.Common;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>
    /// File transfer for a login other than root. SFTP runs with the login's own rights and cannot sudo, so a guest's
    /// /root or /var/log (0700 in real images) or nova's instance files would be out of reach: the bytes go through
    /// `sudo -n cat` instead, with the same privileges as every other command this shell runs.
    /// </summary>
    public sealed partial class SshNodeShell
    {
        private const int StreamBuffer = 81920;

        /// <summary>Root logs in with every right: SFTP. Anyone else: sudo, like the commands.</summary>
        private bool UsesSudo => !string.Equals(_options.UserName, "root", StringComparison.Ordinal);

        private async Task SudoDownloadAsync(string remotePath, Stream destination, Action<long>? progress, CancellationToken ct)
        {
            var command = NodeCommand.Root("cat", "--", remotePath);
            await StreamAsync(command, "read " + remotePath, async cmd =>
            {
                var output = cmd.OutputStream;
                var buffer = new byte[StreamBuffer];
                long total = 0;
                int n;
                // The output stream ends when the remote command closes its channel.
                while ((n = await output.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
                {
                    await destination.WriteAsync(buffer, 0, n, ct).ConfigureAwait(false);
                    total += n;
                    progress?.Invoke(total);
                }
            }, ct).ConfigureAwait(false);
        }

        private async Task SudoUploadAsync(Stream source, string remotePath, CancellationToken ct)
        {
            var command = NodeCommand.Script(true, "cat > \"$1\"", remotePath);
            await StreamAsync(command, "write " + remotePath, async cmd =>
            {
                using (var input = cmd.CreateInputStream())
                    await source.CopyToAsync(input, StreamBuffer, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }

        private async Task<long?> SudoFileSizeAsync(string remotePath, CancellationToken ct)
        {
            // %F: "regular file" or "regular empty file" for what can be copied.
            var stat = NodeCommand.Root("stat", "-c", "%F:%s", "--", remotePath);
            var r = await RunAsync(stat, ct).ConfigureAwait(false);
            if (r.ExitCode != 0 && NodeCommandException.Classify(r) == NodeErrorKind.NotFound) return null;
            NodeCommandException.Check(this, stat, r, "Reading the size of " + remotePath);
            string line = r.StandardOutput.Trim();
            int colon = line.LastIndexOf(':');
            if (!line.StartsWith("regular", StringComparison.Ordinal) || colon < 0) return null;
            return long.TryParse(line.Substring(colon + 1), out long size) ? size : (long?)null;
        }

        /// <summary>Runs <paramref name="command"/> while <paramref name="transfer"/> moves its bytes; a failure says why, from its stderr.</summary>
        private async Task StreamAsync(NodeCommand command, string step, Func<Renci.SshNet.SshCommand, Task> transfer, CancellationToken ct)
        {
            string line = command.ToCommandLine(true);
            await EnsureConnectedAsync(ct).ConfigureAwait(false);
            _log?.Debug($"SSH {_options.NodeName}: {line} (streamed)");
            var watch = Stopwatch.StartNew();
            using (var cmd = _client.CreateCommand(line))
            {
                Interlocked.Increment(ref _commands);
                try
                {
                    var run = cmd.ExecuteAsync(ct);
                    // A transfer that fails leaves here without waiting: disposing the command closes the channel,
                    // which ends the remote side (a cat blocked on a full window would otherwise never finish).
                    await transfer(cmd).ConfigureAwait(false);
                    await run.ConfigureAwait(false);
                }
                catch (Exception e) when (e is SshException || e is SocketException || e is ObjectDisposedException)
                {
                    throw new NodeCommandException(NodeErrorKind.ConnectionFailed, _options.NodeName,
                        $"The SSH connection to {_options.Describe()} failed while running `{line}`: {e.Message}", null, e);
                }
                var result = new CommandResult(line, cmd.ExitStatus ?? -1, "", cmd.Error, watch.Elapsed);
                _log?.Debug($"SSH {_options.NodeName}: exit {result.ExitCode} in {watch.ElapsedMilliseconds} ms");
                if (result.ExitCode != 0)
                {
                    var error = new NodeCommandException(NodeCommandException.Classify(result), _options.NodeName,
                        $"Could not {step} on {_options.NodeName} as {_options.UserName} through sudo: `{line}` exited {result.ExitCode}: {result.Summary()}", result);
                    if (error.Kind == NodeErrorKind.PermissionDenied)
                        error.RecommendedAction = $"Give {_options.UserName} passwordless sudo on the node (NOPASSWD), or connect as root.";
                    throw error;
                }
            }
        }
    }
}
