using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
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
            var all = new List<Hypervisor>();
            string marker = null;
            while (true)
            {
                string path = "os-hypervisors/detail";
                if (mv >= Paging)
                    path += "?limit=" + PageSize + (marker == null ? "" : "&marker=" + Json.Escape(marker));
                var response = await _compute.Http.GetAsync(path, ct, mv.ToString()).ConfigureAwait(false);
                var page = response.Body.Arr("hypervisors");
                if (page != null)
                    foreach (var h in page) all.Add(Hypervisor.FromJson(h));
                // Only a page that came with a "next" link has a successor.
                if (mv < Paging || page == null || page.Count == 0 || !PageLinks.HasNext(response.Body, "hypervisors_links")) break;
                marker = all[all.Count - 1].Id;
            }
            return all;
        }

    }
}
