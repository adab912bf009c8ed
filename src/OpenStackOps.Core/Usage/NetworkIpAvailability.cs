namespace OpenStackOps.Usage
{
    /// <summary>
    /// A network's addresses as neutron counts them (network-ip-availabilities): used and total over its subnets, and
    /// per subnet. Totals are decimal: an IPv6 /64 holds more addresses than a long.
    /// </summary>
    public sealed class NetworkIpAvailability
    {
        public string NetworkId { get; set; } = null!;
        public string? NetworkName { get; set; }
        public string? ProjectId { get; set; }
        public decimal TotalIps => Subnets.Sum(s => s.TotalIps);
        public decimal UsedIps => Subnets.Sum(s => s.UsedIps);
        public decimal FreeIps => TotalIps - UsedIps;
        /// <summary>Used over total in percent, one decimal, over the IPv4 subnets when there are any (an IPv6 /64 never fills up).</summary>
        public double UsedPercent
        {
            get
            {
                var counted = Subnets.Any(s => s.IpVersion == 4) ? Subnets.Where(s => s.IpVersion == 4).ToList() : Subnets.ToList();
                decimal total = counted.Sum(s => s.TotalIps);
                return total == 0 ? 0 : System.Math.Round((double)(counted.Sum(s => s.UsedIps) * 100m / total), 1);
            }
        }
        /// <summary>Free IPv4 addresses: what runs out first.</summary>
        public decimal FreeIpv4 => Subnets.Where(s => s.IpVersion == 4).Sum(s => s.TotalIps - s.UsedIps);
        public ReadableList<SubnetIpAvailability> Subnets { get; set; } = ReadableList<SubnetIpAvailability>.Empty;
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public override string ToString() => $"{NetworkName ?? NetworkId} {UsedIps}/{TotalIps}";
    }

    /// <summary>One subnet's used and total addresses.</summary>
    public sealed class SubnetIpAvailability
    {
        public string SubnetId { get; set; } = null!;
        public string? SubnetName { get; set; }
        public string? Cidr { get; set; }
        public int IpVersion { get; set; }
        public decimal TotalIps { get; set; }
        public decimal UsedIps { get; set; }
        public decimal FreeIps => TotalIps - UsedIps;

        /// <summary>"10.0.0.0/24 12/253".</summary>
        public override string ToString() => $"{Cidr ?? SubnetId} {UsedIps}/{TotalIps}";
    }
}
