namespace OpenStackOps.Node.Ssh
{
    /// <summary>An open (or registered) node connection, as PowerShell shows it. Holds no secret.</summary>
    public sealed class NodeConnectionInfo
    {
        public string Node { get; set; } = null!;
        public string Address { get; set; } = null!;
        public int Port { get; set; }
        public string UserName { get; set; } = null!;
        /// <summary>Root commands go through sudo -n (any user but root).</summary>
        public bool UsesSudo { get; set; }
        /// <summary>publickey, password, or both.</summary>
        public string Authentication { get; set; } = null!;
        public string? JumpHost { get; set; }
        public string HostKeyType { get; set; } = null!;
        public string HostKeyFingerprint { get; set; } = null!;
        /// <summary>The key was unknown and has just been added to known_hosts (-AcceptNewHostKey).</summary>
        public bool HostKeyAdded { get; set; }
        public string KnownHostsPath { get; set; } = null!;
        public bool Connected { get; set; }
        public DateTimeOffset? ConnectedAt { get; set; }
        /// <summary>Commands run over this connection so far (it is reused by every cmdlet in the PowerShell session).</summary>
        public int CommandsRun { get; set; }

        public static NodeConnectionInfo From(SshNodeShell shell)
        {
            var o = shell.Options;
            return new NodeConnectionInfo
            {
                Node = o.NodeName, Address = o.EffectiveAddress, Port = o.Port, UserName = o.UserName,
                UsesSudo = o.UserName != "root",
                Authentication = string.Join("+", new[] { o.KeyFiles?.Count > 0 || o.Password == null ? "publickey" : null, o.Password != null ? "password" : null }.Where(x => x != null)),
                JumpHost = o.JumpHost?.Describe(), HostKeyType = shell.HostKeyType, HostKeyFingerprint = shell.HostKeyFingerprint,
                HostKeyAdded = shell.HostKeyAdded, KnownHostsPath = o.EffectiveKnownHostsPath, Connected = shell.IsConnected,
                ConnectedAt = shell.ConnectedAt, CommandsRun = shell.CommandsRun,
            };
        }

        public override string ToString() => $"{UserName}@{Node} ({Address}:{Port})";
    }
}
