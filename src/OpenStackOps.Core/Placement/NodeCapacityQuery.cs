using OpenStackOps.Compute;

namespace OpenStackOps.Placement
{
    /// <summary>
    /// Joins nova's hypervisors (service host → node) with placement's providers (named after the node) and reads each
    /// chosen provider's inventories and usages: 2 calls, then 2 per node.
    /// </summary>
    public sealed class NodeCapacityQuery
    {
        private readonly ComputeClient _compute;
        private readonly PlacementClient _placement;

        public NodeCapacityQuery(ComputeClient compute, PlacementClient placement)
        {
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
            _placement = placement ?? throw new ArgumentNullException(nameof(placement));
        }

        /// <param name="hosts">Service hosts to report, or null for every compute node.</param>
        public async Task<IReadOnlyList<NodeCapacity>> ListAsync(ICollection<string>? hosts, CancellationToken ct)
        {
            var hypervisors = await _compute.Hypervisors.ListDetailAsync(ct).ConfigureAwait(false);
            var providers = (await _placement.ListProvidersAsync(ct).ConfigureAwait(false))
                .GroupBy(p => p.Name ?? "", StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var wanted = hosts == null ? null : new HashSet<string?>(hosts, StringComparer.OrdinalIgnoreCase);
            var found = new List<NodeCapacity>();
            foreach (var h in hypervisors.OrderBy(h => h.ServiceHost ?? h.HypervisorHostname, StringComparer.OrdinalIgnoreCase))
            {
                string? host = h.ServiceHost ?? h.HypervisorHostname;
                if (wanted != null && !wanted.Contains(host)) continue;
                if (h.HypervisorHostname == null || !providers.TryGetValue(h.HypervisorHostname, out var provider))
                {
                    found.Add(new NodeCapacity { Host = host, Node = h.HypervisorHostname });   // nova knows it, placement does not (yet)
                    continue;
                }
                var resources = await _placement.GetCapacityAsync(provider, ct).ConfigureAwait(false);
                found.Add(new NodeCapacity { Host = host, Node = h.HypervisorHostname, ProviderId = provider.Uuid, Resources = resources.ToArray() });
            }
            return found;
        }
    }
}
