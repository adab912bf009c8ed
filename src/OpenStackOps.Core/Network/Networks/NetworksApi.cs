using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Networks
{
    /// <summary>/v2.0/networks, /v2.0/subnets and the two read-only figures address recovery sizes its work from:
    /// network-ip-availabilities (admin) and quota details (the project's own).</summary>
    public sealed class NetworksApi
    {
        private readonly NetworkClient _network;

        internal NetworksApi(NetworkClient network) => _network = network;

        /// <summary>GET /v2.0/networks/{id}; null on 404.</summary>
        public async Task<NeutronNetwork?> GetAsync(string id, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/networks/" + Json.Escape(id), ct, null, 200, 404).ConfigureAwait(false);
            return r.StatusCode == 404 ? null : NeutronNetwork.FromJson(r.Body?["network"]);
        }

        /// <summary>GET /v2.0/networks?name=… (exact; neutron compares names exactly).</summary>
        public async Task<IReadOnlyList<NeutronNetwork>> FindByNameAsync(string name, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/networks?name=" + Json.Escape(name), ct).ConfigureAwait(false);
            return (r.Body.Arr("networks") ?? new JsonArray()).Select(n => NeutronNetwork.FromJson(n!)).Where(n => n.Name == name).ToList();
        }

        /// <summary>GET /v2.0/networks with only ids and names: the networks the session can see (tab completion).</summary>
        public async Task<IReadOnlyList<NeutronNetwork>> ListNamesAsync(CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/networks?fields=id&fields=name", ct).ConfigureAwait(false);
            return (r.Body.Arr("networks") ?? new JsonArray()).Select(n => NeutronNetwork.FromJson(n!)).ToList();
        }

        /// <summary>GET /v2.0/subnets?network_id=….</summary>
        public async Task<IReadOnlyList<Subnet>> ListSubnetsAsync(string? networkId, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync(networkId == null ? "v2.0/subnets" : "v2.0/subnets?network_id=" + Json.Escape(networkId), ct).ConfigureAwait(false);
            return (r.Body.Arr("subnets") ?? new JsonArray()).Select(s => Subnet.FromJson(s!)).ToList();
        }

        /// <summary>
        /// Used and total addresses per subnet (GET /v2.0/network-ip-availabilities/{id}), or null when the caller
        /// may not see them: neutron answers 404 (not 403) to non-admins.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, (long Used, long Total)>?> GetIpAvailabilityAsync(string networkId, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/network-ip-availabilities/" + Json.Escape(networkId), ct, null, 200, 403, 404).ConfigureAwait(false);
            if (r.StatusCode != 200) return null;
            var result = new Dictionary<string, (long, long)>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in r.Body?["network_ip_availability"].Arr("subnet_ip_availability") ?? new JsonArray())
                result[s.Str("subnet_id")!] = (s.Long("used_ips") ?? 0, s.Long("total_ips") ?? 0);
            return result;
        }

        /// <summary>
        /// How many more ports the project may create (GET /v2.0/quotas/{project}/details: limit − used − reserved),
        /// long.MaxValue for an unlimited quota (-1), or null when neutron will not say (no quota_details, policy).
        /// </summary>
        public async Task<long?> GetPortHeadroomAsync(string projectId, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/quotas/" + Json.Escape(projectId) + "/details", ct, null, 200, 403, 404).ConfigureAwait(false);
            if (r.StatusCode != 200) return null;
            var port = r.Body?["quota"]?["port"];
            long? limit = port.Long("limit");
            if (limit == null) return null;
            if (limit < 0) return long.MaxValue;
            return Math.Max(0, limit.Value - (port.Long("used") ?? 0) - (port.Long("reserved") ?? 0));
        }
    }
}
