namespace OpenStackOps.Compute.Nodes
{
    /// <summary>Builds <see cref="ComputeNode"/>s from two calls: the nova-compute services and the hypervisor details.</summary>
    public sealed class ComputeNodeQuery
    {
        private readonly ComputeClient _compute;
        private readonly string? _cloud;
        private readonly string? _region;

        public ComputeNodeQuery(ComputeClient compute, string? cloud, string? region)
        {
            _compute = compute;
            _cloud = cloud;
            _region = region;
        }

        /// <summary>
        /// All nova-compute hosts, or those <paramref name="chooseHosts"/> picks from the full list of host names
        /// (so name resolution sees every host, yet the cloud is asked only twice), sorted by host.
        /// </summary>
        public async Task<IReadOnlyList<ComputeNode>> ListAsync(Func<IReadOnlyList<string>, IEnumerable<string>>? chooseHosts, CancellationToken ct)
        {
            var services = await _compute.Services.ListAsync(null, "nova-compute", ct).ConfigureAwait(false);
            var wanted = chooseHosts == null
                ? null
                : new HashSet<string>(chooseHosts(services.Select(s => s.Host).ToList()), StringComparer.OrdinalIgnoreCase);
            var chosen = services.Where(s => wanted == null || wanted.Contains(s.Host)).ToList();
            if (chosen.Count == 0) return new ComputeNode[0];
            var hypervisors = await _compute.Hypervisors.ListDetailAsync(ct).ConfigureAwait(false);
            var byHost = hypervisors.ToLookup(h => h.ServiceHost ?? h.HypervisorHostname, StringComparer.OrdinalIgnoreCase);
            return chosen
                .OrderBy(s => s.Host, StringComparer.OrdinalIgnoreCase)
                .Select(s => ComputeNode.Join(s, byHost[s.Host], _cloud, _region))
                .ToList();
        }
    }
}
