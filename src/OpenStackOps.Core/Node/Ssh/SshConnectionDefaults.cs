using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>Which connection settings the operator gave explicitly (they win over the ssh configuration).</summary>
    [Flags]
    public enum SshSettingsGiven
    {
        None = 0,
        Address = 1,
        Port = 2,
        User = 4,
        KeyFiles = 8,
        KnownHosts = 16,
        JumpHost = 32,
        /// <summary>A password (-Credential): then no key file is taken from the configuration either.</summary>
        Password = 64,
        HostKeyPolicy = 128,
    }

    /// <summary>
    /// Fills a node's connection options from an OpenSSH client configuration the way ssh would for that name:
    /// HostName, Port, User, IdentityFile (those that exist), UserKnownHostsFile (the first), ProxyJump (one hop,
    /// whose own Host entry is read too) and StrictHostKeyChecking accept-new; whatever was given explicitly stays.
    /// </summary>
    public static class SshConnectionDefaults
    {
        /// <summary>Applies <paramref name="config"/> to <paramref name="options"/>; returns what it took, for verbose lines.</summary>
        /// <exception cref="NodeCommandException">The configuration asks for something this client cannot do (ProxyCommand, several jumps).</exception>
        public static IReadOnlyList<string> Apply(NodeConnectionOptions options, SshConfigFile? config, SshSettingsGiven given, Func<string, bool>? fileExists = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var taken = new List<string>();
            if (config == null) return taken;
            fileExists = fileExists ?? File.Exists;
            var s = config.Resolve(options.NodeName);
            string from = config.Path ?? "ssh config";
            foreach (var note in s.Notes) taken.Add(note);
            if (!s.HasSettings) return taken;
            taken.Add($"{from}: {string.Join("; ", s.MatchedBlocks)} for {options.NodeName}");

            if (!Has(given, SshSettingsGiven.Address) && !string.Equals(s.HostName, options.NodeName, StringComparison.OrdinalIgnoreCase))
            {
                options.Address = s.HostName;
                taken.Add("HostName " + s.HostName);
            }
            if (!Has(given, SshSettingsGiven.Port) && s.Port != null)
            {
                options.Port = s.Port.Value;
                taken.Add("Port " + s.Port.Value);
            }
            if (!Has(given, SshSettingsGiven.User) && s.User != null)
            {
                options.UserName = s.User;
                taken.Add("User " + s.User);
            }
            if (!Has(given, SshSettingsGiven.KeyFiles) && !Has(given, SshSettingsGiven.Password) && s.IdentityFiles.Count > 0)
            {
                // ssh skips an IdentityFile that does not exist (the default ones are then not tried either).
                var existing = s.IdentityFiles.Where(fileExists).ToList();
                options.KeyFiles = existing;
                options.KeyFilesFromConfig = true;
                taken.Add("IdentityFile " + string.Join(", ", s.IdentityFiles.Select(f => existing.Contains(f) ? f : f + " (missing, skipped)")));
            }
            if (!Has(given, SshSettingsGiven.KnownHosts) && s.UserKnownHostsFiles.Count > 0)
            {
                options.KnownHostsPath = s.UserKnownHostsFiles[0];
                taken.Add("UserKnownHostsFile " + s.UserKnownHostsFiles[0] + (s.UserKnownHostsFiles.Count > 1 ? " (only the first of " + s.UserKnownHostsFiles.Count + " is read)" : ""));
            }
            if (!Has(given, SshSettingsGiven.HostKeyPolicy) && s.StrictHostKeyChecking == "accept-new")
            {
                options.HostKeyPolicy = HostKeyPolicy.AcceptNew;
                taken.Add("StrictHostKeyChecking accept-new");
            }
            if (!Has(given, SshSettingsGiven.JumpHost))
            {
                if (s.ProxyJump != null)
                {
                    if (s.ProxyJump.IndexOf(',') >= 0)
                        throw new NodeCommandException(NodeErrorKind.Unsupported, options.NodeName,
                            $"{from} gives {options.NodeName} ProxyJump {s.ProxyJump}: only one jump host is supported.")
                        { RecommendedAction = "Give the node a single ProxyJump, or pass -JumpHost to Connect-ComputeNode." };
                    options.JumpHost = JumpHostFromConfig(s.ProxyJump, options, config, fileExists);
                    taken.Add("ProxyJump " + options.JumpHost.Describe());
                }
                else if (s.ProxyCommand != null)
                {
                    throw new NodeCommandException(NodeErrorKind.Unsupported, options.NodeName,
                        $"{from} gives {options.NodeName} a ProxyCommand, which this client cannot run; it would not connect the way ssh does.")
                    { RecommendedAction = "Use ProxyJump in the Host entry, or pass -JumpHost (and -SshConfigPath none to skip the file) to Connect-ComputeNode." };
                }
            }
            return taken;
        }

        /// <summary>A jump host as [user@]host[:port], with what the configuration says for that host; credentials as the node's.</summary>
        private static NodeConnectionOptions JumpHostFromConfig(string text, NodeConnectionOptions node, SshConfigFile config, Func<string, bool> fileExists)
        {
            var jump = ParseJumpHost(text, null);
            var s = config.Resolve(jump.NodeName);
            if (!string.Equals(s.HostName, jump.NodeName, StringComparison.OrdinalIgnoreCase)) jump.Address = s.HostName;
            if (jump.UserName == null) jump.UserName = s.User ?? node.UserName;
            if (!jump.PortGiven && s.Port != null) jump.Port = s.Port.Value;
            ShareLogin(node, jump);
            var keys = s.IdentityFiles.Where(fileExists).ToList();
            if (keys.Count > 0) jump.KeyFiles = keys;
            if (s.UserKnownHostsFiles.Count > 0) jump.KnownHostsPath = s.UserKnownHostsFiles[0];
            return jump;
        }

        /// <summary>A jump host logs in with the node's keys, password and passphrase, and checks host keys the same way.</summary>
        public static void ShareLogin(NodeConnectionOptions node, NodeConnectionOptions jump)
        {
            jump.KeyFiles = node.KeyFiles;
            jump.KeyFilesFromConfig = node.KeyFilesFromConfig;
            jump.Password = node.Password;
            jump.KeyPassphrase = node.KeyPassphrase;
            jump.KnownHostsPath = node.KnownHostsPath;
            jump.HostKeyPolicy = node.HostKeyPolicy;
            jump.ConnectTimeout = node.ConnectTimeout;
        }

        /// <summary>[user@]host[:port]; the user is <paramref name="defaultUser"/> when not written (null: left to the caller).</summary>
        public static NodeConnectionOptions ParseJumpHost(string text, string? defaultUser)
        {
            string? user = defaultUser, host = text;
            int at = text.LastIndexOf('@');
            if (at > 0) { user = text.Substring(0, at); host = text.Substring(at + 1); }
            int port = 22;
            bool portGiven = false;
            int colon = host.LastIndexOf(':');
            if (colon > 0 && host.IndexOf(':') == colon)
            {
                if (!int.TryParse(host.Substring(colon + 1), out port) || port < 1 || port > 65535)
                    throw new ArgumentException($"'{text}' is not [user@]host[:port].");
                host = host.Substring(0, colon);
                portGiven = true;
            }
            if (host.Length == 0 || (user != null && user.Length == 0)) throw new ArgumentException($"'{text}' is not [user@]host[:port].");
            // a null user only with no defaultUser: the caller sets it then (JumpHostFromConfig)
            return new NodeConnectionOptions { NodeName = host, Port = port, UserName = user!, PortGiven = portGiven };
        }

        private static bool Has(SshSettingsGiven given, SshSettingsGiven flag) => (given & flag) == flag;
    }
}
