namespace OpenStackOps.Swift
{
    /// <summary>What one rebalance of one ring did.</summary>
    public sealed class SwiftRebalanceResult
    {
        public const string Rebalanced = "Rebalanced", HeldBack = "HeldBack", NotNeeded = "NotNeeded", Failed = "Failed", Planned = "Planned";

        public string Ring { get; set; } = null!;
        /// <summary>Rebalanced (the ring file was written), HeldBack (min_part_hours), NotNeeded, Failed, Planned (-WhatIf).</summary>
        public string Status { get; set; } = null!;
        public int PartitionsReassigned { get; set; }
        public double Balance { get; set; }
        public double Dispersion { get; set; }
        public int MinPartHours { get; set; }
        /// <summary>When held back: how long until partitions may move again.</summary>
        public TimeSpan TimeLeft { get; set; }
        /// <summary>When held back: the earliest time the rebalance can be done (UTC).</summary>
        public DateTimeOffset? PossibleAt { get; set; }
        public int ExitCode { get; set; }
        public string? Output { get; set; }
        public string Message { get; set; } = null!;

        /// <summary>True when the ring file was written.</summary>
        public bool Written => Status == Rebalanced;
    }
}
