using OpenStackOps.Http;

namespace OpenStackOps.Compute.Hypervisors
{
    /// <summary>os-hypervisors/detail, paged from 2.33.</summary>
    public sealed class HypervisorsApi
    {
        /// <summary>2.88 removed vcpus/memory/disk/running_vms from the hypervisor resource: never ask above 2.87.</summary>
        internal static readonly Microversion LastWithResourceFigures = ComputeClient.V(87);
        internal static readonly Microversion Paging = ComputeClient.V(33);
        private readonly ComputeClient _compute;

        internal HypervisorsApi(ComputeClient compute) => _compute = compute;

        /// <summary>Maximum hypervisors per page (nova's own max_limit defaults to 1000).</summary>
        public int PageSize { get; set; } = 1000;

        public async Task<IReadOnlyList<Hypervisor>> ListDetailAsync(CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Listing hypervisors", ComputeClient.V(1), LastWithResourceFigures, ct).ConfigureAwait(false);
            var items = await MarkerPager.ReadAllAsync(marker =>
            {
                string path = "os-hypervisors/detail";
                if (mv >= Paging)
                    path += "?limit=" + PageSize + (marker == null ? "" : "&marker=" + Json.Escape(marker));
                return _compute.Http.GetAsync(path, ct, mv.ToString());
            }, "hypervisors", mv >= Paging ? MarkerPager.LastItemWhenNextLink("hypervisors_links") : MarkerPager.SinglePage, ct).ConfigureAwait(false);
            return items.Select(Hypervisor.FromJson).ToList();
        }

    }
}
