namespace OpenStackOps.Swift
{
    /// <summary>One step of a ring change, as -WhatIf and -Confirm show it.</summary>
    public sealed class SwiftRingStep
    {
        /// <summary>What the step acts on: a builder on the ring host, or a node's ring files.</summary>
        public string Target { get; set; } = null!;
        public string Action { get; set; } = null!;
        /// <summary>The exact command (swift-ring-builder ...), when the step is one.</summary>
        public string? Command { get; set; }
        public override string ToString() => Action + " on " + Target;
    }

    /// <summary>
    /// A storage node taken out of the rings or put back: the plan under -WhatIf -PassThru, else what was done.
    /// </summary>
    public sealed class SwiftStorageNodeResult
    {
        public const string Planned = "Planned", Removed = "Removed", Added = "Added", HeldBack = "HeldBack";

        /// <summary>The node as the operator named it.</summary>
        public string Node { get; set; } = null!;
        /// <summary>The IP its devices have in the rings.</summary>
        public string NodeIp { get; set; } = null!;
        /// <summary>Remove or Add.</summary>
        public string Action { get; set; } = null!;
        /// <summary>Planned (-WhatIf), Removed, Added, HeldBack (added to the builders, the rebalance waits for min_part_hours).</summary>
        public string Status { get; set; } = null!;
        public string RingHost { get; set; } = null!;
        public string? JournalPath { get; set; }
        /// <summary>The node's devices, in each ring, with their parameters.</summary>
        public List<SwiftRingDevice> Devices { get; set; } = new List<SwiftRingDevice>();
        public List<SwiftRebalanceResult> Rebalances { get; set; } = new List<SwiftRebalanceResult>();
        /// <summary>The nodes given the ring files.</summary>
        public List<string> Nodes { get; set; } = new List<string>();
        /// <summary>After the copy: each node's ring files compared with the ring host's.</summary>
        public List<SwiftRingFileCopy> Copies { get; set; } = new List<SwiftRingFileCopy>();
        public List<SwiftRingStep> Steps { get; set; } = new List<SwiftRingStep>();
        public List<string> Warnings { get; set; } = new List<string>();
        public string Message { get; set; } = null!;
        /// <summary>The time taken as the engine measured it.</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>The time taken as text, [d.]hh:mm:ss (the same in a table, JSON and CSV; `[TimeSpan]$r.Duration` reads it back).</summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond).</summary>
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 3);

        public int DeviceCount => Devices.Count;
        public string Rings => string.Join(",", Devices.Select(d => d.Ring).Distinct());
        /// <summary>Consistent when every node has the ring host's three ring files; Unchecked before the copy.</summary>
        public string RingsState => Copies.Count == 0 ? "Unchecked" : Copies.All(c => c.Status == SwiftRingFileCopy.Same) ? "Consistent" : "Differs";
    }
}
