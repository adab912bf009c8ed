using System.Management.Automation;
using System.Net;
using System.Security;
using OpenStackOps.Configuration;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Opens an SSH connection to a compute node and remembers how to reach it for the other node cmdlets.</para>
    /// <para type="description">Connects to the node over SSH (SSH.NET), verifies its host key against an OpenSSH known_hosts file (plain, [host]:port and hashed entries) and authenticates with key files or a PSCredential. An unknown host key is refused unless -AcceptNewHostKey is given, which records it; a changed key is always refused. A user other than root runs root commands through `sudo -n`, which must not ask for a password. -JumpHost goes through a bastion like `ssh -J`. What is not given is taken from ~/.ssh/config (or -SshConfigPath) as ssh would take it: the first value of each keyword in the Host entries matching the node name, every IdentityFile. Node cmdlets used without Connect-ComputeNode connect the same way. The connection is kept for this PowerShell session and reused by Stop-NodeComputeService, Test-ComputeNodeHealth, Mount-InstanceDisk and the others, which find it by the node name (a short name such as c01 matches c01.example.com). Passwords and passphrases never appear in output, verbose lines or errors.</para>
    /// <example>
    ///   <code>Connect-ComputeNode c01.example.com -User osops -KeyFile ~/.ssh/id_ed25519</code>
    ///   <para>Connects as osops (root commands through sudo -n) and checks the host key against ~/.ssh/known_hosts.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-ComputeNode c01 -Address 127.0.0.1 -Port 2201 -KeyFile $W/ssh/id_ed25519 -KnownHostsPath $W/ssh/known_hosts -PassThru</code>
    ///   <para>Connects to a node whose sshd listens elsewhere and shows the verified host key fingerprint.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-ComputeNode c01.example.com -Credential (Get-Credential osops) -JumpHost ops@bastion.example.com</code>
    ///   <para>Password authentication through a jump host.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-ComputeNode c01</code>
    ///   <para>Connects as ssh c01 would: HostName, Port, User, IdentityFile, UserKnownHostsFile and ProxyJump from the Host entries of ~/.ssh/config that match c01 (-Verbose shows what was taken).</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "ComputeNode")]
    [OutputType(typeof(NodeConnectionInfo))]
    public sealed class ConnectComputeNodeCommand : CancellableCmdlet
    {
        /// <summary><para type="description">The node's name as nova knows it (the host of Get-ComputeNode); also the name looked up in the ssh configuration's Host entries, and the address to connect to unless -Address or the entry's HostName says otherwise.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;

        /// <summary><para type="description">Host name or IP address of the node's sshd, when it is not the node name.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Address { get; set; }

        /// <summary><para type="description">The sshd port (the ssh configuration's Port, else 22).</para></summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary><para type="description">The login user (the ssh configuration's User, else root). Other users need passwordless `sudo -n` for root commands.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? User { get; set; }

        /// <summary><para type="description">Private key files (OpenSSH, PEM, PKCS#8, PuTTY). Default: the ssh configuration's IdentityFile entries, else ~/.ssh/id_ed25519, id_ecdsa and id_rsa that exist.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? KeyFile { get; set; }

        /// <summary><para type="description">The passphrase of encrypted key files.</para></summary>
        [Parameter]
        public SecureString? KeyPassphrase { get; set; }

        /// <summary><para type="description">User name and password for password authentication (also sets the user).</para></summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary><para type="description">The OpenSSH known_hosts file to verify host keys against (the ssh configuration's UserKnownHostsFile, else ~/.ssh/known_hosts).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? KnownHostsPath { get; set; }

        /// <summary><para type="description">Accept the host key of a node known_hosts has never seen and record it there (like StrictHostKeyChecking=accept-new). A key that differs from a recorded one is still refused.</para></summary>
        [Parameter]
        public SwitchParameter AcceptNewHostKey { get; set; }

        /// <summary><para type="description">A bastion to connect through, as [user@]host[:port]; it uses the same keys, credential and known_hosts. Default: the ssh configuration's ProxyJump (one hop).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JumpHost { get; set; }

        /// <summary><para type="description">The OpenSSH client configuration whose Host entries fill in what is not given here (HostName, Port, User, IdentityFile, UserKnownHostsFile, ProxyJump), as ssh -F. Default: ~/.ssh/config when it exists; none reads no file. Parameters given here win over the file.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SshConfigPath { get; set; }

        /// <summary><para type="description">Seconds to wait for the connection and authentication (20).</para></summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int ConnectTimeoutSeconds { get; set; } = 20;

        /// <summary><para type="description">Seconds any single remote command may run before it is interrupted (120).</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int CommandTimeoutSeconds { get; set; } = 120;

        /// <summary><para type="description">Writes the connection (node, user, verified host key) to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var options = BuildOptions();
                var pool = NodeConnectionStore.Current;
                pool.Close(options.NodeName); // new options replace the old connection
                var shell = Run(ct => pool.GetAsync(options, Messages, ct));
                pool.Register(options);
                if (PassThru) WriteObject(NodeConnectionInfo.From(shell));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NodeConnect", ComputeNode);
            }
        }

        private NodeConnectionOptions BuildOptions()
        {
            string? password = Credential?.GetNetworkCredential().Password;
            string? passphrase = KeyPassphrase == null ? null : new NetworkCredential("", KeyPassphrase).Password;
            string? user = User ?? Credential?.UserName.TrimStart('\\');
            var bound = MyInvocation.BoundParameters;
            var options = new NodeConnectionOptions
            {
                NodeName = ComputeNode,
                Address = Address,
                Port = Port,
                UserName = user ?? "root",
                Password = Secret.FromNullable(password),
                KeyPassphrase = Secret.FromNullable(passphrase),
                KnownHostsPath = KnownHostsPath == null ? null : GetUnresolvedProviderPathFromPSPath(KnownHostsPath),
                HostKeyPolicy = AcceptNewHostKey ? HostKeyPolicy.AcceptNew : HostKeyPolicy.Strict,
                ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSeconds),
                CommandTimeout = TimeSpan.FromSeconds(CommandTimeoutSeconds),
            };
            if (KeyFile != null)
                foreach (var k in KeyFile) options.KeyFiles.Add(GetUnresolvedProviderPathFromPSPath(k));

            // Whatever was not given comes from the ssh configuration, as ssh's own options beat ~/.ssh/config.
            var given = SshSettingsGiven.None;
            if (Address != null) given |= SshSettingsGiven.Address;
            if (bound.ContainsKey(nameof(Port))) given |= SshSettingsGiven.Port;
            if (user != null) given |= SshSettingsGiven.User;
            if (KeyFile != null) given |= SshSettingsGiven.KeyFiles;
            if (Credential != null) given |= SshSettingsGiven.Password;
            if (KnownHostsPath != null) given |= SshSettingsGiven.KnownHosts;
            if (JumpHost != null) given |= SshSettingsGiven.JumpHost;
            if (AcceptNewHostKey) given |= SshSettingsGiven.HostKeyPolicy;
            string? configPath = SshConfigPath == null ? SshConfigFile.DefaultPath(NodeShells.HomeDirectory)
                : string.Equals(SshConfigPath, "none", StringComparison.OrdinalIgnoreCase) ? null
                : GetUnresolvedProviderPathFromPSPath(SshConfigPath);
            if (SshConfigPath != null && configPath != null && !System.IO.File.Exists(configPath))
                throw new NodeCommandException(NodeErrorKind.NotFound, ComputeNode, $"The ssh configuration {configPath} (-SshConfigPath) does not exist.")
                { RecommendedAction = "Check the path, or pass -SshConfigPath none to read no ssh configuration." };
            NodeShells.ApplySshConfig(this, options, configPath, given);

            if (JumpHost != null)
            {
                var jump = SshConnectionDefaults.ParseJumpHost(JumpHost, options.UserName);
                SshConnectionDefaults.ShareLogin(options, jump);
                options.JumpHost = jump;
            }
            return options;
        }
    }
}
