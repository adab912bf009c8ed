using OpenStackOps.Http;

namespace OpenStackOps.Compute.ServerGroups
{
    /// <summary>os-server-groups: every project's groups (admin, all_projects), paged with limit/offset.</summary>
    public sealed class ServerGroupsApi
    {
        private readonly ComputeClient _compute;

        internal ServerGroupsApi(ComputeClient compute) => _compute = compute;

        /// <summary>Groups per page (nova's max_limit defaults to 1000).</summary>
        public int PageSize { get; set; } = 1000;

        /// <summary>GET /os-server-groups?all_projects=True&amp;limit=…&amp;offset=…, every page.</summary>
        public async Task<IReadOnlyList<ServerGroup>> ListAllAsync(CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Listing server groups", ComputeClient.V(1), ComputeClient.V(64), ct).ConfigureAwait(false);
            var all = new List<ServerGroup>();
            int offset = 0;
            while (true)
            {
                var response = await _compute.Http.GetAsync($"os-server-groups?all_projects=True&limit={PageSize}&offset={offset}", ct, mv.ToString()).ConfigureAwait(false);
                var page = response.Body.Arr("server_groups");
                if (page == null || page.Count == 0) break;
                foreach (var g in page) all.Add(ServerGroup.FromJson(g!));
                if (page.Count < PageSize) break;
                offset += page.Count;
            }
            return all;
        }
    }
}
