using OpenStackOps.Configuration;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>How to reach a compute node over SSH. Passwords and passphrases are <see cref="Secret"/>s.</summary>
    public sealed class NodeConnectionOptions
    {
        /// <summary>The node's name as nova knows it (c01.example.com); also the SSH address unless <see cref="Address"/> is set.</summary>
        public string NodeName { get; set; } = null!;
        /// <summary>Host name or IP to connect to; default <see cref="NodeName"/>.</summary>
        public string? Address { get; set; }
        public int Port { get; set; } = 22;
        public string UserName { get; set; } = "root";
        /// <summary>Private key files (OpenSSH, PEM/PKCS#1, PKCS#8, PuTTY). Default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exist.</summary>
        public IList<string> KeyFiles { get; set; } = new List<string>();
        public Secret? KeyPassphrase { get; set; }
        public Secret? Password { get; set; }
        public string? KnownHostsPath { get; set; }
        public HostKeyPolicy HostKeyPolicy { get; set; } = HostKeyPolicy.Strict;
        /// <summary>Connect through this host (like ssh -J); its own host key is verified the same way.</summary>
        public NodeConnectionOptions? JumpHost { get; set; }
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);
        /// <summary>Default limit for one remote command.</summary>
        public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>The key files came from an ssh configuration's IdentityFile: no default key is tried then, as in ssh.</summary>
        internal bool KeyFilesFromConfig { get; set; }
        /// <summary>A jump host's port was written ([user@]host:port), so its Host entry's Port does not apply.</summary>
        internal bool PortGiven { get; set; }

        // netstandard2.0's string.IsNullOrEmpty does not tell the compiler that the value is not null when it returns false
        public string EffectiveAddress => string.IsNullOrEmpty(Address) ? NodeName : Address!;
        public string EffectiveKnownHostsPath => string.IsNullOrEmpty(KnownHostsPath) ? KnownHostsFile.DefaultPath : KnownHostsPath!;

        /// <summary>Identifies a reusable connection: same target, user, credentials and route.</summary>
        public string PoolKey =>
            string.Join("|", UserName, EffectiveAddress, Port, NodeName, string.Join(",", KeyFiles ?? new List<string>()),
                Password == null ? "" : "pw", EffectiveKnownHostsPath, HostKeyPolicy, JumpHost?.PoolKey ?? "");

        /// <summary>user@address:port (via jump), for messages.</summary>
        public string Describe()
            => $"{UserName}@{EffectiveAddress}:{Port}" + (JumpHost == null ? "" : " via " + JumpHost.Describe());

        internal IEnumerable<string> EffectiveKeyFiles()
        {
            if (KeyFiles != null && (KeyFiles.Count > 0 || KeyFilesFromConfig)) return KeyFiles;
            if (Password != null) return new string[0]; // a credential was given: do not try whatever lies in ~/.ssh
            string ssh = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
            return new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => System.IO.Path.Combine(ssh, n)).Where(System.IO.File.Exists);
        }
    }
}
