using System.Text;
using System.Text.Json.Nodes;
using OpenStackOps.Compute;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Usage
{
    /// <summary>What "largest" means: the flavor's vCPUs, RAM or root disk (ties broken by the other two).</summary>
    public enum ServerSizeKey
    {
        Vcpus,
        RamMb,
        DiskGb,
    }

    /// <summary>
    /// The largest servers of every project by their flavor: nova's server pages (2.47+ embed each server's flavor);
    /// on an older API, one paged flavor listing more to size them. Never a call per server.
    /// </summary>
    public sealed class LargestServerQuery
    {
        private readonly ComputeClient _compute;

        public LargestServerQuery(ComputeClient compute) => _compute = compute ?? throw new ArgumentNullException(nameof(compute));

        public async Task<IReadOnlyList<Server>> ListAsync(ServerSizeKey by, int top, CancellationToken ct)
        {
            var servers = await _compute.Servers.ListAllAsync(ct).ConfigureAwait(false);
            if (servers.Any(s => s.FlavorVcpus == null))
                await SizeFromFlavorsAsync(servers.Where(s => s.FlavorVcpus == null).ToList(), ct).ConfigureAwait(false);
            Func<Server, int> vcpus = s => s.FlavorVcpus ?? 0, ram = s => s.FlavorRamMb ?? 0, disk = s => s.FlavorDiskGb ?? 0;
            var keys = by == ServerSizeKey.RamMb ? new[] { ram, vcpus, disk } : by == ServerSizeKey.DiskGb ? new[] { disk, vcpus, ram } : new[] { vcpus, ram, disk };
            return servers.OrderByDescending(keys[0]).ThenByDescending(keys[1]).ThenByDescending(keys[2])
                .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Take(top).ToList();
        }

        /// <summary>Before 2.47 a server names only its flavor's id: GET /flavors/detail?is_public=None (all flavors, paged) sizes them.</summary>
        private async Task SizeFromFlavorsAsync(IReadOnlyList<Server> unsized, CancellationToken ct)
        {
            var flavors = new Dictionary<string, JsonNode>(StringComparer.OrdinalIgnoreCase);
            var items = await MarkerPager.ReadAllAsync(marker =>
            {
                var path = new StringBuilder("flavors/detail?is_public=None&limit=1000");
                if (marker != null) path.Append("&marker=").Append(Json.Escape(marker));
                return _compute.Http.GetAsync(path.ToString(), ct);
            }, "flavors", MarkerPager.LastItemWhenNextLink("flavors_links"), ct).ConfigureAwait(false);
            foreach (var f in items) flavors[f.Str("id") ?? ""] = f;
            foreach (var s in unsized)
            {
                if (s.Flavor == null || !flavors.TryGetValue(s.Flavor, out var f)) continue;
                s.FlavorVcpus = f.Int("vcpus");
                s.FlavorRamMb = f.Int("ram");
                s.FlavorDiskGb = f.Int("disk");
                s.Flavor = f.Str("name") ?? s.Flavor;
            }
        }
    }
}
