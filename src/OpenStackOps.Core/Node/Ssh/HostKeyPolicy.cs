namespace OpenStackOps.Node.Ssh
{
    /// <summary>What to do with a host key that known_hosts does not list. A changed key is always refused.</summary>
    public enum HostKeyPolicy
    {
        /// <summary>Only keys known_hosts lists (OpenSSH StrictHostKeyChecking=yes). The default.</summary>
        Strict,
        /// <summary>Accept and record the key of a host known_hosts has never seen (StrictHostKeyChecking=accept-new).</summary>
        AcceptNew,
    }
}
