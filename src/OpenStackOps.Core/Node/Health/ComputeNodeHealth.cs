namespace OpenStackOps.Node.Health
{
    /// <summary>
    /// The guide's after-reboot checks for one node in one object: the nova-compute process and service, its
    /// "Connected to AMQP server" log line since it last started, libvirt, and nova's own view of the service.
    /// </summary>
    public sealed class ComputeNodeHealth
    {
        public string Node { get; set; } = null!;
        /// <summary>True when every check passed.</summary>
        public bool Healthy { get; set; }
        /// <summary>One sentence per failed check.</summary>
        public ReadableList<string> Problems { get; set; } = ReadableList<string>.Empty;

        public string InitSystem { get; set; } = null!;
        /// <summary>systemctl is-active / service status of nova-compute.</summary>
        public string ServiceState { get; set; } = null!;
        public bool ServiceActive { get; set; }
        public int? ProcessId { get; set; }
        /// <summary>The process exists and runs nova-compute.</summary>
        public bool ProcessRunning { get; set; }
        public DateTimeOffset? ProcessStartedAt { get; set; }
        /// <summary>A "Connected to AMQP server" line was logged by the running process.</summary>
        public bool AmqpConnected { get; set; }
        public string? LastAmqpLine { get; set; }
        public bool LibvirtRunning { get; set; }

        /// <summary>nova's os-services state (up/down) and status (enabled/disabled), when a cloud session was given.</summary>
        public string? NovaState { get; set; }
        public string? NovaStatus { get; set; }
        public DateTimeOffset? NovaUpdatedAt { get; set; }
        /// <summary>nova's updated_at is within the allowed age (default 60 s, nova's service_down_time).</summary>
        public bool? NovaRecentlyUpdated { get; set; }
        /// <summary>
        /// The guide's "a restart of the nova services on the compute nodes is required": the node answers and its
        /// nova-compute process lives, but it is cut off from the message queue: nova reports it down or has no fresh
        /// heartbeat from it, or its log's last word on the broker is a lost connection, or it never logged a connection.
        /// False for a stopped or pinned service (that is a start, not a restart).
        /// </summary>
        public bool NeedsRestart { get; set; }
        /// <summary>Why <see cref="NeedsRestart"/> is true.</summary>
        public string? RestartReason { get; set; }
        /// <summary>The last lines of nova-compute's log when something is wrong.</summary>
        public ReadableList<string> RecentLogLines { get; set; } = ReadableList<string>.Empty;
        public DateTimeOffset CheckedAt { get; set; }

        public override string ToString() => $"{Node}: {(Healthy ? "healthy" : string.Join("; ", Problems))}";
    }
}
