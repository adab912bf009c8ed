using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// How every node cmdlet reaches a node over SSH, whether or not it also talks to nova. The connection comes from
    /// the runspace's pool: the options Connect-ComputeNode registered for the node, or what ~/.ssh/config says for it,
    /// else the defaults (root, ~/.ssh keys, ~/.ssh/known_hosts, port 22, strict host key checking).
    /// </summary>
    internal static class NodeShells
    {
        /// <summary>
        /// The shell of a node, connecting on first use and reusing the connection afterwards: with the options
        /// Connect-ComputeNode registered, else as ssh would (~/.ssh/config's Host entries, then root, port 22,
        /// ~/.ssh keys and known_hosts). A connection that fails then says how to set one up.
        /// </summary>
        internal static SshNodeShell Open(CancellableCmdlet cmdlet, string node)
        {
            var pool = NodeConnectionStore.Current;
            var options = pool.Find(node);
            if (options != null) return cmdlet.Run(ct => pool.GetAsync(options, cmdlet.Messages, ct));

            string configPath = SshConfigFile.DefaultPath(HomeDirectory);
            options = new NodeConnectionOptions { NodeName = node };
            bool fromConfig = ApplySshConfig(cmdlet, options, configPath, SshSettingsGiven.None);
            string used = fromConfig ? $"the Host entry of {configPath}"
                : System.IO.File.Exists(configPath) ? $"ssh's defaults ({configPath} has no Host entry for it)" : $"ssh's defaults (there is no {configPath})";
            cmdlet.WriteVerbose($"SSH: no Connect-ComputeNode for {node} in this session: connecting as ssh would, {options.Describe()} from {used}");
            try
            {
                return cmdlet.Run(ct => pool.GetAsync(options, cmdlet.Messages, ct));
            }
            catch (NodeCommandException e) when (e.Kind == NodeErrorKind.ConnectionFailed || e.Kind == NodeErrorKind.AuthenticationFailed || e.Kind == NodeErrorKind.Timeout)
            {
                string how = HowToConnect(node, configPath);
                throw new NodeCommandException(e.Kind, e.Node,
                    $"{e.Message} No Connect-ComputeNode for {node} in this session, so {options.Describe()} came from {used}. {how}", e.Result, e)
                { RecommendedAction = how };
            }
        }

        /// <summary>What to do when a node cannot be reached with what is known about it.</summary>
        internal static string HowToConnect(string node, string configPath)
            => $"Connect with: Connect-ComputeNode {node} -User <login> -KeyFile <private key> (add -Address and -Port when its sshd is not {node}:22, " +
               $"-JumpHost for a bastion), or add a Host entry for {node} to {configPath} (HostName, User, Port, IdentityFile, ProxyJump) as for ssh.";

        /// <summary>The home directory ~ stands for ($HOME, else the profile directory).</summary>
        internal static string HomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        /// <summary>
        /// Fills what <paramref name="given"/> does not cover from an ssh_config file (a missing file changes nothing);
        /// writes what it took as verbose lines. True when the file had settings for the node.
        /// </summary>
        internal static bool ApplySshConfig(CancellableCmdlet cmdlet, NodeConnectionOptions options, string? configPath, SshSettingsGiven given)
        {
            if (configPath == null || !System.IO.File.Exists(configPath)) return false;
            SshConfigFile config;
            IReadOnlyList<string> taken;
            try
            {
                config = SshConfigFile.Load(configPath, HomeDirectory);
                taken = SshConnectionDefaults.Apply(options, config, given);
            }
            catch (Exception e) when (e is FormatException || e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, options.NodeName, $"Cannot read the ssh configuration {configPath}: {e.Message}", null, e)
                { RecommendedAction = "Fix the file, or pass -SshConfigPath none to Connect-ComputeNode to skip it." };
            }
            foreach (var line in taken) cmdlet.WriteVerbose("SSH config: " + line);
            return taken.Count > 0 && config.Resolve(options.NodeName).HasSettings;
        }
    }
}
