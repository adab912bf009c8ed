using System.Globalization;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// One device of a Swift ring as <c>swift-ring-builder &lt;builder&gt;</c> lists it: where it is (region, zone,
    /// ip:port, replication ip:port, device name), its weight and meta, and how many partitions it holds.
    /// </summary>
    public sealed class SwiftRingDevice
    {
        /// <summary>account, container or object.</summary>
        public string Ring { get; set; } = null!;
        public int Id { get; set; }
        public int Region { get; set; }
        public int Zone { get; set; }
        public string Ip { get; set; } = null!;
        public int Port { get; set; }
        public string ReplicationIp { get; set; } = null!;
        public int ReplicationPort { get; set; }
        /// <summary>The device name under /srv/node (d1, sdb1).</summary>
        public string Device { get; set; } = null!;
        /// <summary>The weight as swift-ring-builder prints it (two decimals).</summary>
        public double Weight { get; set; }
        public int Partitions { get; set; }
        public double Balance { get; set; }
        /// <summary>DEL when marked for removal at the next rebalance, else empty.</summary>
        public string Flags { get; set; } = "";
        public string Meta { get; set; } = "";

        /// <summary>Swift's own short form: r1z1-127.0.0.11:6200R127.0.1.11:6210/d1.</summary>
        public string Address => $"r{Region}z{Zone}-{Host(Ip)}:{Port}R{Host(ReplicationIp)}:{ReplicationPort}/{Device}";

        /// <summary>The device's place and parameters without what a rebalance changes (id, partitions, balance, flags).</summary>
        public string Parameters => string.Format(CultureInfo.InvariantCulture, "{0} weight {1:0.00} meta '{2}'", Address, Weight, Meta);

        /// <summary>Same ip, port and device name: the same disk as far as the ring is concerned.</summary>
        public bool IsSameDisk(SwiftRingDevice? other)
            => other != null && string.Equals(Ip, other.Ip, StringComparison.OrdinalIgnoreCase) && Port == other.Port && Device == other.Device;

        /// <summary>The arguments of <c>swift-ring-builder &lt;builder&gt; add</c> that recreate this device with its parameters.</summary>
        public IReadOnlyList<string> AddArguments() => new[]
        {
            "--region", Region.ToString(CultureInfo.InvariantCulture),
            "--zone", Zone.ToString(CultureInfo.InvariantCulture),
            "--ip", Ip,
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--replication-ip", ReplicationIp,
            "--replication-port", ReplicationPort.ToString(CultureInfo.InvariantCulture),
            "--device", Device,
            "--weight", Weight.ToString("0.00", CultureInfo.InvariantCulture),
            "--meta", Meta ?? "",
        };

        public SwiftRingDevice Copy() => (SwiftRingDevice)MemberwiseClone();

        public override string ToString() => $"{Ring} d{Id} {Parameters}";

        private static string? Host(string? ip) => ip != null && ip.IndexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }
}
