namespace OpenStackOps.Node.Services
{
    /// <summary>nova-compute on a node, as its init system reports it (after a stop or start, or when asked).</summary>
    public sealed class NodeServiceState
    {
        public string Node { get; set; } = null!;
        public string Service { get; set; } = null!;
        internal InitSystem Init { get; set; }
        /// <summary>Systemd, SysV or Upstart: the name of the <see cref="Services.InitSystem"/> used.</summary>
        public string InitSystem => Init.ToString();
        /// <summary>active, inactive, failed (systemd) or running/stopped (service).</summary>
        public string State { get; set; } = null!;
        public bool Active { get; set; }
        public int? MainPid { get; set; }
        /// <summary>True when OpenStackOps pinned it down (masked at runtime or init files moved away).</summary>
        public bool Pinned { get; set; }
        /// <summary>How it is pinned: "systemctl mask --runtime", or the init files that were moved and where to.</summary>
        public string? PinMethod { get; set; }
        /// <summary>What this call did: Stopped, Started, AlreadyStopped, AlreadyRunning, Planned (-WhatIf).</summary>
        public string? Action { get; set; }
        public ReadableList<string> Steps { get; set; } = ReadableList<string>.Empty;
        public DateTimeOffset CheckedAt { get; set; } = DateTimeOffset.UtcNow;
        /// <summary>nova's view after waiting (-Wait): up/down, or null when not asked.</summary>
        public string? NovaState { get; set; }
        /// <summary>With a wait after a restart: nova's heartbeat of the restarted service (newer than the one before).</summary>
        public DateTimeOffset? NovaUpdatedAt { get; set; }
        /// <summary>With a wait after a restart: the seconds from the restart until nova had the new heartbeat.</summary>
        public double? SecondsUntilReported { get; set; }

        public override string ToString() => $"{Service} on {Node}: {State}{(Pinned ? " (pinned)" : "")}";
    }
}
