namespace OpenStackOps.Swift
{
    /// <summary>
    /// One ring (account, container or object) as its builder file describes it on the ring host, with its devices
    /// and, when the nodes were read, each node's copy of the ring file and whether it is the ring host's.
    /// </summary>
    public sealed class SwiftRing
    {
        /// <summary>account, container or object.</summary>
        public string Ring { get; set; } = null!;
        /// <summary>The node holding the builder files.</summary>
        public string RingHost { get; set; } = null!;
        public string BuilderPath { get; set; } = null!;
        public string RingFilePath { get; set; } = null!;
        public int BuildVersion { get; set; }
        public int Partitions { get; set; }
        public double Replicas { get; set; }
        public int Regions { get; set; }
        public int Zones { get; set; }
        public int DeviceCount { get; set; }
        public double Balance { get; set; }
        public double? Dispersion { get; set; }
        public int MinPartHours { get; set; }
        /// <summary>How long until partitions may move again (0 when they may now).</summary>
        internal TimeSpan MinPartTimeLeft { get; set; }
        /// <summary>How long until a rebalance may move partitions again (min_part_hours), as text [d.]hh:mm:ss.</summary>
        public string MinPartWait => Common.DurationText.Format(MinPartTimeLeft);
        public double MinPartSecondsLeft => Math.Round(MinPartTimeLeft.TotalSeconds);
        /// <summary>up-to-date, obsolete (the builder has changes not written to the ring file), missing, invalid.</summary>
        public string? RingFileState { get; set; }
        /// <summary>MD5 of the ring file on the ring host, when read.</summary>
        public string? RingFileMd5 { get; set; }
        /// <summary>MD5 of the builder file when it was read (a later change to the builder shows as a different one).</summary>
        public string? BuilderMd5 { get; set; }
        public List<SwiftRingDevice> Devices { get; set; } = new List<SwiftRingDevice>();
        /// <summary>Each node's copy of this ring's file (empty when the nodes were not read).</summary>
        public List<SwiftRingFileCopy> Copies { get; set; } = new List<SwiftRingFileCopy>();

        /// <summary>Consistent when every node read has the ring host's file; Differs, Unchecked otherwise.</summary>
        public string Status => Copies.Count == 0 ? "Unchecked" : Copies.All(c => c.Status == SwiftRingFileCopy.Same) ? "Consistent" : "Differs";

        /// <summary>Devices holding partitions after the next rebalance: weight above zero and not marked for removal.</summary>
        public int ActiveDevices => Devices.Count(d => d.Weight > 0 && d.Flags != "DEL");
    }

    /// <summary>One node's copy of one ring file, compared with the ring host's by MD5.</summary>
    public sealed class SwiftRingFileCopy
    {
        public const string Same = "Same", Differs = "Differs", Missing = "Missing", Unreachable = "Unreachable";

        public string Node { get; set; } = null!;
        public string Ring { get; set; } = null!;
        public string Path { get; set; } = null!;
        public string? Md5 { get; set; }
        public string ExpectedMd5 { get; set; } = null!;
        /// <summary>Same, Differs, Missing (no file), Unreachable (the node could not be read).</summary>
        public string Status { get; set; } = null!;
        public string Message { get; set; } = null!;
    }
}
