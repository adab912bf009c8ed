using System.Text;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>/servers: listing, showing and the server actions.</summary>
    public sealed class ServersApi
    {
        private readonly ComputeClient _compute;

        internal ServersApi(ComputeClient compute) => _compute = compute;

        /// <summary>Servers per page; nova caps pages at its max_limit (1000 by default).</summary>
        public int PageSize { get; set; } = 1000;

        /// <summary>
        /// Every server whose nova-compute host is exactly <paramref name="host"/>, across all projects
        /// (GET /servers/detail?host=…&amp;all_tenants=1, admin), following pages with limit/marker.
        /// </summary>
        public async Task<IReadOnlyList<Server>> ListOnHostAsync(string host, CancellationToken ct)
        {
            var all = await ListDetailAsync("Listing the servers of a host", "host=" + Json.Escape(host), ct).ConfigureAwait(false);
            // Nova silently ignores ?host= for non-admins and returns their servers everywhere:
            // keep only what is really on the host (non-admins cannot see hosts at all).
            return all.Where(s => string.Equals(s.Host, host, System.StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>
        /// Every server (all projects, admin) updated at or after <paramref name="since"/> in nova's clock, deleted ones
        /// included (GET /servers/detail?all_tenants=1&amp;changes-since=…, paged). One call checks many servers
        /// that were just moved, instead of one GET each.
        /// </summary>
        public Task<IReadOnlyList<Server>> ListChangedSinceAsync(System.DateTimeOffset since, CancellationToken ct)
        {
            string sinceText = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return ListDetailAsync("Listing recently changed servers", "changes-since=" + Json.Escape(sinceText), ct);
        }

        /// <summary>Every server of every project (admin), with details, page by page: one call per page, not per server.</summary>
        public Task<IReadOnlyList<Server>> ListAllAsync(CancellationToken ct)
            => ListDetailAsync("Listing every server", null, ct);

        /// <summary>GET /servers/detail?all_tenants=1[&amp;filter], following nova's pages with limit/marker.</summary>
        private async Task<IReadOnlyList<Server>> ListDetailAsync(string what, string? filter, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync(what, ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var items = await MarkerPager.ReadAllAsync(marker =>
            {
                var path = new StringBuilder("servers/detail?all_tenants=1");
                if (filter != null) path.Append('&').Append(filter);
                path.Append("&limit=").Append(PageSize);
                if (marker != null) path.Append("&marker=").Append(Json.Escape(marker));
                return _compute.Http.GetAsync(path.ToString(), ct, mv.ToString());
            }, "servers", MarkerPager.LastItemWhenNextLink("servers_links"), ct).ConfigureAwait(false);
            return items.Select(Server.FromJson).ToList();
        }

        /// <summary>
        /// Servers named exactly <paramref name="name"/> in any project (nova's name filter is a regular expression:
        /// the name is escaped and anchored so that "web-1" never matches "web-10").
        /// </summary>
        public async Task<IReadOnlyList<Server>> FindByNameAsync(string name, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Finding a server by name", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            string pattern = "^" + System.Text.RegularExpressions.Regex.Escape(name) + "$";
            var response = await _compute.Http.GetAsync("servers/detail?all_tenants=1&name=" + Json.Escape(pattern), ct, mv.ToString()).ConfigureAwait(false);
            var found = new List<Server>();
            foreach (var s in response.Body.Arr("servers") ?? new System.Text.Json.Nodes.JsonArray())
            {
                var server = Server.FromJson(s!);
                if (server.Name == name) found.Add(server);
            }
            return found;
        }

        /// <summary>
        /// The first <paramref name="limit"/> servers' ids and names (GET /servers, not /detail: the cheap listing), of every
        /// project when <paramref name="allProjects"/> (admins; nova refuses all_tenants to others). For tab completion.
        /// </summary>
        public async Task<IReadOnlyList<Server>> ListNamesAsync(bool allProjects, int limit, CancellationToken ct)
        {
            var response = await _compute.Http.GetAsync("servers?" + (allProjects ? "all_tenants=1&" : "") + "limit=" + limit, ct).ConfigureAwait(false);
            var found = new List<Server>();
            foreach (var s in response.Body.Arr("servers") ?? new System.Text.Json.Nodes.JsonArray())
                found.Add(Server.FromJson(s!));
            return found;
        }

        /// <summary>GET /servers/{id}.</summary>
        public async Task<Server> GetAsync(string id, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Showing a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.GetAsync("servers/" + Json.Escape(id), ct, mv.ToString()).ConfigureAwait(false);
            return Server.FromJson(response.Body?["server"]!);
        }
    }
}
