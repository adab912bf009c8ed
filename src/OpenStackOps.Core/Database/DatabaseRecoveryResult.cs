namespace OpenStackOps.Database
{
    /// <summary>The outcome of a database move or restore.</summary>
    public sealed class DatabaseRecoveryResult
    {
        /// <summary>Move or Restore.</summary>
        public string Operation { get; set; } = null!;
        /// <summary>Applied, Restored.</summary>
        public string Status { get; set; } = null!;
        public string Server { get; set; } = null!;
        public string NovaDatabase { get; set; } = null!;
        public string NeutronDatabase { get; set; } = null!;
        public string FailedHost { get; set; } = null!;
        public string Destination { get; set; } = null!;
        public string? DestinationNode { get; set; }
        public int Instances { get; set; }
        public int Bindings { get; set; }
        public int Levels { get; set; }
        /// <summary>The servers' placement allocations moved (or put back) with the rows.</summary>
        public int Allocations { get; set; }
        public ReadableList<string> InstanceIds { get; set; } = ReadableList<string>.Empty;
        public string JournalPath { get; set; } = null!;
        public DateTimeOffset CompletedAt { get; set; }
        public string Message { get; set; } = null!;
    }
}
