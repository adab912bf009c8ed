using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Networks
{
    /// <summary>A subnet: its CIDR, gateway and the allocation pools neutron chooses addresses from.</summary>
    public sealed class Subnet
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        public string NetworkId { get; set; } = null!;
        public int IpVersion { get; set; }
        public string? Cidr { get; set; }
        public string? GatewayIp { get; set; }
        public AllocationPool[] AllocationPools { get; set; } = new AllocationPool[0];

        public bool Contains(IPAddress address) => IpAddressText.InCidr(address, Cidr);

        public bool InAllocationPools(IPAddress address) => AllocationPools.Any(p => p.Contains(address));

        /// <summary>Addresses neutron may hand out here (the pools' sizes).</summary>
        public long PoolSize
        {
            get
            {
                long total = 0;
                foreach (var p in AllocationPools)
                {
                    long size = p.Size;
                    total = size == long.MaxValue || total > long.MaxValue - size ? long.MaxValue : total + size;
                }
                return total;
            }
        }

        public override string ToString() => (Name ?? Id) + " " + Cidr;

        [return: NotNullIfNotNull("s")]
        internal static Subnet? FromJson(JsonNode? s) => s == null ? null : new Subnet
        {
            Id = s.Str("id")!,
            Name = s.Str("name"),
            NetworkId = s.Str("network_id")!,
            IpVersion = s.Int("ip_version") ?? 4,
            Cidr = s.Str("cidr"),
            GatewayIp = s.Str("gateway_ip"),
            AllocationPools = (s.Arr("allocation_pools") ?? new JsonArray())
                .Select(p => new AllocationPool(p.Str("start"), p.Str("end"))).ToArray(),
        };
    }

    /// <summary>One allocation pool, start and end inclusive.</summary>
    public sealed class AllocationPool
    {
        public AllocationPool(string? start, string? end)
        {
            Start = start;
            End = end;
        }

        public string? Start { get; }
        public string? End { get; }

        public bool Contains(IPAddress a)
            => IPAddress.TryParse(Start, out var s) && IPAddress.TryParse(End, out var e) && s.AddressFamily == a.AddressFamily
               && IpAddressText.Compare(s, a) <= 0 && IpAddressText.Compare(a, e) <= 0;

        public long Size => IPAddress.TryParse(Start, out var s) && IPAddress.TryParse(End, out var e) ? IpAddressText.RangeSize(s, e) : 0;

        public override string ToString() => Start + "-" + End;
    }
}
