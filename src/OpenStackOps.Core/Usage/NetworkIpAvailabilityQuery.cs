using System.Text;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Usage
{
    /// <summary>
    /// Neutron's network-ip-availabilities (admin), every network in one listing (followed page by page where neutron
    /// pages it), with the subnets' used and total addresses; a network's name and a subnet's CIDR come with it.
    /// </summary>
    public sealed class NetworkIpAvailabilityQuery
    {
        private readonly ServiceClient _network;

        public NetworkIpAvailabilityQuery(ServiceClient network) => _network = network ?? throw new ArgumentNullException(nameof(network));

        public int PageSize { get; set; } = 1000;

        public async Task<IReadOnlyList<NetworkIpAvailability>> ListAsync(CancellationToken ct)
        {
            var items = await MarkerPager.ReadAllAsync(marker =>
            {
                var path = new StringBuilder("v2.0/network-ip-availabilities?limit=").Append(PageSize);
                if (marker != null) path.Append("&marker=").Append(Json.Escape(marker));
                return _network.GetAsync(path.ToString(), ct);
            }, "network_ip_availabilities", MarkerPager.FromNextLink("network_ip_availabilities_links"), ct).ConfigureAwait(false);
            return items.Select(FromJson).OrderBy(n => n.NetworkName, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.NetworkId, StringComparer.Ordinal).ToList();
        }

        private static NetworkIpAvailability FromJson(JsonNode n) => new NetworkIpAvailability
        {
            NetworkId = n.Str("network_id")!,
            NetworkName = n.Str("network_name"),
            ProjectId = n.Str("project_id") ?? n.Str("tenant_id"),
            Subnets = (n.Arr("subnet_ip_availability") ?? new JsonArray()).Select(s => new SubnetIpAvailability
            {
                SubnetId = s.Str("subnet_id")!, SubnetName = s.Str("subnet_name"), Cidr = s.Str("cidr"), IpVersion = s.Int("ip_version") ?? 4,
                TotalIps = Dec(s?["total_ips"]), UsedIps = Dec(s?["used_ips"]),
            }).OrderBy(s => s.IpVersion).ThenBy(s => s.Cidr, StringComparer.Ordinal).ToList(),
        };

        /// <summary>An address count as decimal: an IPv6 /64's 2^64 - 2 does not fit a long.</summary>
        private static decimal Dec(JsonNode? value)
        {
            if (value is JsonValue v)
            {
                if (v.TryGetValue<decimal>(out var d)) return d;
                if (v.TryGetValue<double>(out var f)) return (decimal)f;
            }
            return 0;
        }
    }
}
