namespace OpenStackOps.Usage
{
    /// <summary>
    /// One quota of one project in one service (nova, cinder, neutron): its limit and what the project holds, flat
    /// for tables, Export-Csv and ConvertTo-Json. An unlimited quota has Limit -1 and no Free or UsedPercent.
    /// </summary>
    public sealed class ProjectQuotaUsage
    {
        public string ProjectId { get; set; } = null!;
        public string? ProjectName { get; set; }
        /// <summary>compute, volume or network.</summary>
        public string Service { get; set; } = null!;
        /// <summary>The quota's name as the service spells it: cores, ram, instances, gigabytes, volumes, port, floatingip...</summary>
        public string Resource { get; set; } = null!;
        /// <summary>The limit; -1 when unlimited.</summary>
        public long Limit { get; set; }
        public long InUse { get; set; }
        /// <summary>Held by requests in flight (nova's and cinder's reservations, neutron's reserved).</summary>
        public long Reserved { get; set; }
        public bool Unlimited => Limit < 0;
        /// <summary>Limit - InUse - Reserved (never below 0); null when unlimited.</summary>
        public long? Free => Unlimited ? (long?)null : System.Math.Max(0, Limit - InUse - Reserved);
        /// <summary>(InUse + Reserved) / Limit in percent, one decimal; null when unlimited, 100 for a zero limit in use.</summary>
        public double? UsedPercent => Unlimited ? (double?)null
            : Limit == 0 ? (InUse + Reserved > 0 ? 100.0 : 0.0)
            : System.Math.Round(100.0 * (InUse + Reserved) / Limit, 1);
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public override string ToString() => $"{ProjectName ?? ProjectId} {Service} {Resource} {InUse}/{(Unlimited ? "unlimited" : Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
    }
}
