using System.Diagnostics;
using System.Net.Sockets;
using OpenStackOps.Http;
using OpenStackOps.Node.Shell;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>
    /// <see cref="INodeShell"/> over SSH.NET: one SSH session for commands (each in its own channel, so they can
    /// run side by side) and one SFTP session opened on first use, optionally through a jump host. Host keys are
    /// checked against known_hosts before authentication. No SSH.NET type leaves this class.
    /// </summary>
    public sealed partial class SshNodeShell : INodeShell, IDisposable
    {
        private readonly NodeConnectionOptions _options;
        private IApiLog? _log;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private SshClient _client = null!; // set by ConnectCoreAsync before ConnectAsync hands the shell out
        private SftpClient? _sftp;
        private SshClient? _jump;
        private ForwardedPortLocal? _forward;

        private SshNodeShell(NodeConnectionOptions options, IApiLog? log)
        {
            _options = options;
            _log = log;
        }

        /// <summary>Where verbose and debug lines go: the cmdlet using the connection now (a reused connection changes hands).</summary>
        public IApiLog? Log
        {
            get => _log;
            set => _log = value;
        }

        public string NodeName => _options.NodeName;
        public string UserName => _options.UserName;
        public NodeConnectionOptions Options => _options;
        /// <summary>SHA256 fingerprint of the node's verified host key.</summary>
        public string HostKeyFingerprint { get; private set; } = null!;
        public string HostKeyType { get; private set; } = null!;
        /// <summary>True when the host key was unknown and recorded in known_hosts (HostKeyPolicy.AcceptNew).</summary>
        public bool HostKeyAdded { get; private set; }
        public DateTimeOffset ConnectedAt { get; private set; }
        public bool IsConnected => _client != null && _client.IsConnected;
        public int CommandsRun => _commands;
        private int _commands;

        /// <summary>Connects and authenticates; throws <see cref="NodeCommandException"/> with what went wrong.</summary>
        public static async Task<SshNodeShell> ConnectAsync(NodeConnectionOptions options, IApiLog? log, CancellationToken ct)
        {
            if (string.IsNullOrWhiteSpace(options.NodeName)) throw new ArgumentException("A node name is needed.", nameof(options));
            var shell = new SshNodeShell(options, log);
            try
            {
                await shell.ConnectCoreAsync(ct).ConfigureAwait(false);
                return shell;
            }
            catch
            {
                shell.Dispose();
                throw;
            }
        }

        private async Task ConnectCoreAsync(CancellationToken ct)
        {
            string address = _options.EffectiveAddress;
            int port = _options.Port;
            if (_options.JumpHost != null)
            {
                var jumpInfo = CreateConnectionInfo(_options.JumpHost, _options.JumpHost.EffectiveAddress, _options.JumpHost.Port);
                _jump = new SshClient(jumpInfo);
                var jumpCheck = AttachHostKeyCheck(_jump, _options.JumpHost, _options.JumpHost.EffectiveAddress, _options.JumpHost.Port, jumpInfo);
                await ConnectClientAsync(_jump, _options.JumpHost, jumpCheck, ct).ConfigureAwait(false);
                _forward = new ForwardedPortLocal("127.0.0.1", 0, address, (uint)port);
                _jump.AddForwardedPort(_forward);
                _forward.Start();
                _log?.Verbose($"SSH: jump host {_options.JumpHost.Describe()} forwards 127.0.0.1:{_forward.BoundPort} to {address}:{port}");
            }

            var info = CreateConnectionInfo(_options, _forward == null ? address : "127.0.0.1", _forward == null ? port : (int)_forward.BoundPort);
            _client = new SshClient(info);
            var check = AttachHostKeyCheck(_client, _options, address, port, info);
            await ConnectClientAsync(_client, _options, check, ct).ConfigureAwait(false);
            // connected: the host key was received and checked, so both are set
            HostKeyFingerprint = check.Fingerprint!;
            HostKeyType = check.KeyType!;
            HostKeyAdded = check.Added;
            ConnectedAt = DateTimeOffset.UtcNow;
            _log?.Verbose($"SSH: connected to {_options.NodeName} as {_options.Describe()} (host key {check.KeyType} {check.Fingerprint}{(check.Added ? ", newly recorded in " + _options.EffectiveKnownHostsPath : "")})");
        }

        private sealed class HostKeyCheck
        {
            public HostKeyVerdict? Verdict;
            public string? Fingerprint;
            public string? KeyType;
            public bool Added;
            public string Target = null!;
            public Exception? Failure;
        }

        private HostKeyCheck AttachHostKeyCheck(BaseClient client, NodeConnectionOptions options, string address, int port, ConnectionInfo info)
        {
            var known = KnownHostsFile.Load(options.EffectiveKnownHostsPath);
            var check = new HostKeyCheck { Target = KnownHostsFile.LookupName(address, port) };
            // Ask the server for a key type known_hosts has for it, as OpenSSH does, so that a host known by its
            // ed25519 key is not reported as changed because the server preferred to show its RSA key.
            var knownTypes = known.KnownKeyTypes(address, port);
            if (knownTypes.Count > 0)
            {
                var wanted = new HashSet<string>(knownTypes.SelectMany(t => t == "ssh-rsa" ? new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" } : new[] { t }));
                foreach (var name in info.HostKeyAlgorithms.Keys.ToList())
                    if (!wanted.Contains(name)) info.HostKeyAlgorithms.Remove(name);
                if (info.HostKeyAlgorithms.Count == 0)
                    throw new NodeCommandException(NodeErrorKind.Unsupported, options.NodeName,
                        $"known_hosts ({options.EffectiveKnownHostsPath}) lists {check.Target} only with key types this client cannot use ({string.Join(", ", knownTypes)}).");
            }
            client.HostKeyReceived += (sender, e) =>
            {
                try
                {
                    byte[] blob = e.HostKey;
                    check.KeyType = KnownHostsFile.KeyTypeOf(blob);
                    check.Fingerprint = KnownHostsFile.Fingerprint(blob);
                    var verdict = known.Verify(address, port, blob);
                    if (verdict == HostKeyVerdict.Unknown && options.HostKeyPolicy == HostKeyPolicy.AcceptNew)
                    {
                        known.Add(address, port, blob);
                        check.Added = true;
                        verdict = HostKeyVerdict.Trusted;
                    }
                    check.Verdict = verdict;
                    e.CanTrust = verdict == HostKeyVerdict.Trusted;
                }
                catch (Exception ex)
                {
                    check.Failure = ex;
                    e.CanTrust = false;
                }
            };
            return check;
        }

        private static ConnectionInfo CreateConnectionInfo(NodeConnectionOptions options, string address, int port)
        {
            var methods = new List<AuthenticationMethod>();
            var keys = new List<IPrivateKeySource>();
            foreach (var path in options.EffectiveKeyFiles())
            {
                try
                {
                    keys.Add(options.KeyPassphrase == null ? new PrivateKeyFile(path) : new PrivateKeyFile(path, options.KeyPassphrase.Reveal()));
                }
                catch (Exception e) when (e is SshException || e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is InvalidOperationException)
                {
                    // The message of SSH.NET never holds the passphrase; still, say only what and where.
                    throw new NodeCommandException(NodeErrorKind.AuthenticationFailed, options.NodeName,
                        $"Cannot use the SSH key file {path}: {e.GetType().Name}: {e.Message}" +
                        (options.KeyPassphrase == null ? " (if it is encrypted, give its passphrase)" : " (is the passphrase right?)"), null, null)
                    { RecommendedAction = "Check -KeyFile and -KeyPassphrase." };
                }
            }
            if (keys.Count > 0) methods.Add(new PrivateKeyAuthenticationMethod(options.UserName, keys.ToArray()));
            if (options.Password != null) methods.Add(new PasswordAuthenticationMethod(options.UserName, options.Password.Reveal()));
            if (methods.Count == 0)
                throw new NodeCommandException(NodeErrorKind.AuthenticationFailed, options.NodeName,
                    $"No SSH credential for {options.Describe()}: no key file given or found in ~/.ssh, and no password.")
                { RecommendedAction = "Pass -KeyFile or -Credential." };
            return new ConnectionInfo(address, port, options.UserName, methods.ToArray()) { Timeout = options.ConnectTimeout };
        }

        private async Task ConnectClientAsync(BaseClient client, NodeConnectionOptions options, HostKeyCheck check, CancellationToken ct)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is NodeCommandException))
                {
                    if (check.Failure != null)
                        throw new NodeCommandException(NodeErrorKind.ConnectionFailed, options.NodeName, $"Checking the host key of {options.Describe()} failed: {check.Failure.Message}", null, check.Failure);
                    if (check.Verdict == HostKeyVerdict.Unknown)
                        throw new NodeCommandException(NodeErrorKind.HostKeyUnknown, options.NodeName,
                            $"The host key of {check.Target} ({check.KeyType} {check.Fingerprint}) is not in {options.EffectiveKnownHostsPath}; refusing to connect to {options.Describe()}.", null, e)
                        { RecommendedAction = $"Compare the fingerprint with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on its console), then add it to known_hosts (ssh-keyscan -p {options.Port} {options.EffectiveAddress}), or pass -AcceptNewHostKey once." };
                    if (check.Verdict == HostKeyVerdict.Changed || check.Verdict == HostKeyVerdict.Revoked)
                        throw new NodeCommandException(NodeErrorKind.HostKeyChanged, options.NodeName,
                            $"The host key of {check.Target} ({check.KeyType} {check.Fingerprint}) does not match {options.EffectiveKnownHostsPath}{(check.Verdict == HostKeyVerdict.Revoked ? " (it is @revoked)" : "")}: someone may be intercepting the connection, or the node was reinstalled. Refusing to connect.", null, e)
                        { RecommendedAction = $"Verify the node's new key out of band; if it is genuine, remove the old entry (ssh-keygen -R '{check.Target}' -f {options.EffectiveKnownHostsPath}) and connect again." };
                    if (e is SshAuthenticationException)
                        throw new NodeCommandException(NodeErrorKind.AuthenticationFailed, options.NodeName,
                            $"SSH authentication as {options.Describe()} failed: {e.Message}", null, e)
                        { RecommendedAction = "Check the user name, -KeyFile or -Credential, and that the key is in the user's authorized_keys." };
                    if (e is OperationCanceledException && !ct.IsCancellationRequested || e is SshOperationTimeoutException)
                        throw new NodeCommandException(NodeErrorKind.Timeout, options.NodeName,
                            $"Connecting to {options.Describe()} timed out after {options.ConnectTimeout.TotalSeconds:0} s.", null, e);
                    if (e is OperationCanceledException) throw;
                    if (e is SocketException || e is SshConnectionException || e is SshException || e is IOException)
                        throw new NodeCommandException(NodeErrorKind.ConnectionFailed, options.NodeName,
                            $"Cannot connect to {options.Describe()}: {e.Message}", null, e)
                        { RecommendedAction = "Check the address, port and that sshd runs on the node." };
                    throw;
                }
            }
        }

        public async Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct)
        {
            bool sudo = UsesSudo;
            string line = command.ToCommandLine(sudo);
            await EnsureConnectedAsync(ct).ConfigureAwait(false);
            var limit = command.Timeout ?? _options.CommandTimeout;
            var watch = Stopwatch.StartNew();
            _log?.Debug($"SSH {_options.NodeName}: {line}");
            // The channel's cancellation does not stop the remote process (sshd ignores signal requests for
            // commands without a terminal): coreutils' timeout ends it on the node a little after we give up here.
            int remoteSeconds = (int)Math.Ceiling(limit.TotalSeconds) + 3;
            string wire = "timeout -k 5 " + remoteSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " sh -c " + ShellQuote.Quote(line);
            using (var cmd = _client.CreateCommand(wire))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(limit);
                Interlocked.Increment(ref _commands);
                try
                {
                    await cmd.ExecuteAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new NodeCommandException(NodeErrorKind.Timeout, _options.NodeName,
                        $"`{line}` on {_options.NodeName} did not finish within {limit.TotalSeconds:0} s; it was interrupted.")
                    { RecommendedAction = "Look at the node (is the command stuck?) or allow more time with -CommandTimeout." };
                }
                catch (Exception e) when (e is SshException || e is SocketException || e is ObjectDisposedException)
                {
                    throw new NodeCommandException(NodeErrorKind.ConnectionFailed, _options.NodeName,
                        $"The SSH connection to {_options.Describe()} failed while running `{line}`: {e.Message}", null, e);
                }
                var result = new CommandResult(line, cmd.ExitStatus ?? -1, cmd.Result, cmd.Error, watch.Elapsed);
                _log?.Debug($"SSH {_options.NodeName}: exit {result.ExitCode} in {watch.ElapsedMilliseconds} ms");
                return result;
            }
        }

        private async Task EnsureConnectedAsync(CancellationToken ct)
        {
            if (_client.IsConnected) return;
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_client.IsConnected) return;
                _log?.Verbose($"SSH: reconnecting to {_options.Describe()}");
                DisposeClients();
                await ConnectCoreAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task<SftpClient> SftpAsync(CancellationToken ct)
        {
            await EnsureConnectedAsync(ct).ConfigureAwait(false);
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_sftp != null && _sftp.IsConnected) return _sftp;
                _sftp?.Dispose();
                string address = _options.EffectiveAddress;
                int port = _options.Port;
                var info = CreateConnectionInfo(_options, _forward == null ? address : "127.0.0.1", _forward == null ? port : (int)_forward.BoundPort);
                _sftp = new SftpClient(info) { OperationTimeout = _options.CommandTimeout };
                var check = AttachHostKeyCheck(_sftp, _options, address, port, info);
                await ConnectClientAsync(_sftp, _options, check, ct).ConfigureAwait(false);
                return _sftp;
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task DownloadAsync(string remotePath, Stream destination, Action<long>? progress, CancellationToken ct)
        {
            if (UsesSudo)
            {
                await SudoDownloadAsync(remotePath, destination, progress, ct).ConfigureAwait(false);
                return;
            }
            var sftp = await SftpAsync(ct).ConfigureAwait(false);
            try
            {
                var reporter = progress == null ? null : new Progress(progress);
                await sftp.DownloadFileAsync(remotePath, destination, reporter, ct).ConfigureAwait(false);
            }
            catch (SftpPermissionDeniedException e)
            {
                throw new NodeCommandException(NodeErrorKind.PermissionDenied, _options.NodeName,
                    $"{_options.UserName} may not read {remotePath} on {_options.NodeName} over SFTP: {e.Message}", null, e)
                { RecommendedAction = "Check the file's permissions on the node." };
            }
            catch (SftpPathNotFoundException e)
            {
                throw new NodeCommandException(NodeErrorKind.NotFound, _options.NodeName, $"{remotePath} does not exist on {_options.NodeName}.", null, e);
            }
        }

        public async Task UploadAsync(Stream source, string remotePath, CancellationToken ct)
        {
            if (UsesSudo)
            {
                await SudoUploadAsync(source, remotePath, ct).ConfigureAwait(false);
                return;
            }
            var sftp = await SftpAsync(ct).ConfigureAwait(false);
            try
            {
                await Task.Run(() => sftp.UploadFile(source, remotePath, true), ct).ConfigureAwait(false);
            }
            catch (SftpPermissionDeniedException e)
            {
                throw new NodeCommandException(NodeErrorKind.PermissionDenied, _options.NodeName,
                    $"{_options.UserName} may not write {remotePath} on {_options.NodeName} over SFTP: {e.Message}", null, e)
                { RecommendedAction = "Check the file's permissions on the node." };
            }
        }

        public async Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct)
        {
            if (UsesSudo) return await SudoFileSizeAsync(remotePath, ct).ConfigureAwait(false);
            var sftp = await SftpAsync(ct).ConfigureAwait(false);
            try
            {
                var attrs = await sftp.GetAttributesAsync(remotePath, ct).ConfigureAwait(false);
                return attrs.IsRegularFile ? attrs.Size : (long?)null;
            }
            catch (SftpPathNotFoundException)
            {
                return null;
            }
            catch (SftpPermissionDeniedException e)
            {
                throw new NodeCommandException(NodeErrorKind.PermissionDenied, _options.NodeName,
                    $"{_options.UserName} may not see {remotePath} on {_options.NodeName} over SFTP: {e.Message}", null, e)
                { RecommendedAction = "Check the file's permissions on the node." };
            }
        }

        private sealed class Progress : IProgress<DownloadFileProgressReport>
        {
            private readonly Action<long> _report;
            public Progress(Action<long> report) => _report = report;
            public void Report(DownloadFileProgressReport value) => _report((long)value.TotalBytesDownloaded);
        }

        private void DisposeClients()
        {
            try { _sftp?.Dispose(); } catch (Exception) { }
            try { _client?.Dispose(); } catch (Exception) { }
            try { _forward?.Dispose(); } catch (Exception) { }
            try { _jump?.Dispose(); } catch (Exception) { }
            _sftp = null;
            _forward = null;
            _jump = null;
        }

        public void Dispose() => DisposeClients();
    }
}
