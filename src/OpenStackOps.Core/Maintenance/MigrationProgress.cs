namespace OpenStackOps.Maintenance
{
    /// <summary>A snapshot of one server's move, for a progress bar per migration.</summary>
    public sealed class MigrationProgress
    {
        /// <summary>1-based position of the server in the run: a stable id for one progress bar.</summary>
        public int Sequence { get; set; }
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public MigrationKind Kind { get; set; }
        public string? SourceHost { get; set; }
        /// <summary>The destination nova chose (from the migration record) or the one asked for.</summary>
        public string? DestinationHost { get; set; }
        /// <summary>"submitted" until nova's record is seen, then nova's status (queued, running...); "done" at the end.</summary>
        public string Phase { get; set; } = null!;
        public long? MigrationId { get; set; }
        public TimeSpan Elapsed { get; set; }
        public TimeSpan Timeout { get; set; }
        /// <summary>How long this run expects the move to take, from the moves already finished (null before any).</summary>
        public TimeSpan? ExpectedDuration { get; set; }
        public long? MemoryTotalBytes { get; set; }
        public long? MemoryProcessedBytes { get; set; }
        public long? MemoryRemainingBytes { get; set; }
        /// <summary>0-100 from memory copied when known, else from elapsed/expected time (capped at 99); -1 when unknown.</summary>
        public int PercentComplete { get; set; }
        /// <summary>True on the last snapshot of this server (its result follows): close its progress bar.</summary>
        public bool IsFinished { get; set; }
    }
}
