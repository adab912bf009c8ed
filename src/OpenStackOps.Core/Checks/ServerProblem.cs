namespace OpenStackOps.Checks
{
    /// <summary>
    /// One thing wrong with one server (or with an allocation no server owns): what, since when, why, and what to do
    /// next. A server with two problems gives two of these.
    /// </summary>
    public sealed class ServerProblem
    {
        internal ServerProblemKind KindValue { get; set; }
        /// <summary>Error, StuckTask, PowerMismatch, OnDownHost, OnForcedDownHost, MigrationStuck, MigrationHoldsResources, AllocationElsewhere, AllocationMissing or OrphanAllocation.</summary>
        public string Kind => KindValue.ToString();
        /// <summary>The server's id; for an orphan allocation, the consumer's uuid.</summary>
        public string? ServerId { get; set; }
        public string? ServerName { get; set; }
        public string? ProjectId { get; set; }
        /// <summary>The server's host; for an allocation problem, the compute node placement names.</summary>
        public string? Host { get; set; }
        public string? Status { get; set; }
        public string? TaskState { get; set; }
        public string? PowerState { get; set; }
        /// <summary>The migration involved, when there is one.</summary>
        public long? MigrationId { get; set; }
        /// <summary>When the state began, as far as nova records it (the fault's time, the last update, the migration's update).</summary>
        public DateTimeOffset? Since { get; set; }
        /// <summary>What is wrong, with nova's or placement's own words where there are some.</summary>
        public string Reason { get; set; } = null!;
        /// <summary>The operator's next step.</summary>
        public string NextStep { get; set; } = null!;
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public override string ToString() => $"{Kind} {ServerName ?? ServerId}: {Reason}";
    }
}
