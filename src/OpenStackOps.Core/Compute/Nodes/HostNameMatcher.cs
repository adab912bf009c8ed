namespace OpenStackOps.Compute.Nodes
{
    /// <summary>
    /// Resolves what an operator typed to nova-compute host names. Exact by default, because substring
    /// matching drained compute-10 when compute-1 was meant (novaclient LP #1667794). A name without a
    /// domain also matches a host's short name ("c01" → "c01.example.com") when exactly one host has it.
    /// </summary>
    public static class HostNameMatcher
    {
        public static IReadOnlyList<string> Resolve(string typed, IEnumerable<string> hosts, out string? problem)
            => Resolve(typed, hosts, out problem, out _);

        /// <summary>
        /// The hosts <paramref name="typed"/> names; none with <paramref name="problem"/> saying why, and
        /// <paramref name="candidates"/> the hosts it could mean when it is an ambiguous short name (else empty).
        /// </summary>
        public static IReadOnlyList<string> Resolve(string typed, IEnumerable<string> hosts, out string? problem, out IReadOnlyList<string> candidates)
        {
            problem = null;
            candidates = new string[0];
            var list = hosts.Distinct(StringComparer.Ordinal).ToList();
            var exact = list.Where(h => string.Equals(h, typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (exact.Count > 0) return exact;
            if (typed.IndexOf('.') < 0)
            {
                var shortMatches = list.Where(h => string.Equals(ShortName(h), typed, StringComparison.OrdinalIgnoreCase)).ToList();
                if (shortMatches.Count == 1) return shortMatches;
                if (shortMatches.Count > 1)
                {
                    candidates = shortMatches;
                    problem = $"'{typed}' is the short name of several hosts ({string.Join(", ", shortMatches)}); give the full host name.";
                    return new string[0];
                }
            }
            problem = $"No nova-compute host is named '{typed}'.";
            return new string[0];
        }

        public static string ShortName(string host)
        {
            int dot = host.IndexOf('.');
            return dot < 0 ? host : host.Substring(0, dot);
        }
    }
}
