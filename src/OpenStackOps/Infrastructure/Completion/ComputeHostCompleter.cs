using System.Collections;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>Completes nova-compute host names, full and short (c01 for c01.example.com when no other host shares it), as the cmdlets accept them.</summary>
    public class ComputeHostCompleter : OpenStackArgumentCompleter
    {
        protected override string CacheKey => "compute-hosts";

        /// <summary>False where only nova's exact name is right (the database path).</summary>
        protected virtual bool OffersShortNames => true;

        protected override async Task<IEnumerable<string>> FetchAsync(OpenStackSession session, CancellationToken ct)
            => (await session.Compute.Services.ListAsync(null!, "nova-compute", ct).ConfigureAwait(false))
                .Select(s => s.Host).Where(h => !string.IsNullOrEmpty(h)).Distinct().ToList();

        protected override IEnumerable<string>? Candidates(IDictionary fakeBoundParameters)
        {
            var hosts = base.Candidates(fakeBoundParameters)?.ToList();
            if (hosts == null || !OffersShortNames) return hosts;
            // A short name only where it resolves to exactly one host, as HostNameMatcher resolves it.
            var shortNames = hosts.Select(HostNameMatcher.ShortName).Where(s => !hosts.Contains(s))
                .GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() == 1).Select(g => g.Key);
            return hosts.Concat(shortNames);
        }
    }
}
