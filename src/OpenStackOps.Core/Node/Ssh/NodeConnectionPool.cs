using OpenStackOps.Http;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>
    /// Open node connections, reused while their options are the same (one pool per PowerShell runspace).
    /// </summary>
    public sealed class NodeConnectionPool : IDisposable
    {
        private readonly Dictionary<string, SshNodeShell> _open = new Dictionary<string, SshNodeShell>();
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);

        /// <summary>The options registered for a node by Connect-ComputeNode, keyed by node name (case-insensitive).</summary>
        private readonly Dictionary<string, NodeConnectionOptions> _registered = new Dictionary<string, NodeConnectionOptions>(StringComparer.OrdinalIgnoreCase);

        public async Task<SshNodeShell> GetAsync(NodeConnectionOptions options, IApiLog? log, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_open.TryGetValue(options.PoolKey, out var shell))
                {
                    shell.Log = log;
                    log?.Verbose($"SSH: reusing the connection to {options.NodeName} ({options.Describe()})");
                    return shell;
                }
                shell = await SshNodeShell.ConnectAsync(options, log, ct).ConfigureAwait(false);
                _open[options.PoolKey] = shell;
                return shell;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Register(NodeConnectionOptions options) { lock (_registered) _registered[options.NodeName] = options; }

        /// <summary>The options registered for <paramref name="node"/> (exact, or unique short name like c01).</summary>
        public NodeConnectionOptions? Find(string node)
        {
            lock (_registered)
            {
                if (_registered.TryGetValue(node, out var o)) return o;
                // c01 finds c01.example.com, and c01.example.com (nova's host name) finds a node registered as c01.
                var shortMatches = _registered.Values.Where(v => v.NodeName.StartsWith(node + ".", StringComparison.OrdinalIgnoreCase)
                    || node.StartsWith(v.NodeName + ".", StringComparison.OrdinalIgnoreCase)).ToList();
                return shortMatches.Count == 1 ? shortMatches[0] : null;
            }
        }

        /// <summary>
        /// The options registered for a node reached at <paramref name="address"/>: registered under that name, or the only
        /// one whose -Address it is (a Swift ring names its nodes by IP). Null when none or several.
        /// </summary>
        public NodeConnectionOptions? FindByAddress(string address)
        {
            lock (_registered)
            {
                if (_registered.TryGetValue(address, out var o)) return o;
                var matches = _registered.Values.Where(v => string.Equals(v.EffectiveAddress, address, StringComparison.OrdinalIgnoreCase)).ToList();
                return matches.Count == 1 ? matches[0] : null;
            }
        }

        public IReadOnlyList<SshNodeShell> Open { get { lock (_open) return _open.Values.ToList(); } }

        /// <summary>Closes and forgets every connection to <paramref name="node"/>; returns how many.</summary>
        public int Close(string node)
        {
            _gate.Wait();
            try
            {
                var keys = _open.Where(kv => string.Equals(kv.Value.NodeName, node, StringComparison.OrdinalIgnoreCase)).Select(kv => kv.Key).ToList();
                foreach (var k in keys)
                {
                    _open[k].Dispose();
                    _open.Remove(k);
                }
                lock (_registered) _registered.Remove(node);
                return keys.Count;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            foreach (var s in _open.Values) s.Dispose();
            _open.Clear();
        }
    }
}
