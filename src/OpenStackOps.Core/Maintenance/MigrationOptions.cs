using OpenStackOps.Compute.Migrations;

namespace OpenStackOps.Maintenance
{
    /// <summary>How a <see cref="LiveMigrationEngine"/> run moves servers and waits for them.</summary>
    public sealed class MigrationOptions
    {
        public BlockMigration BlockMigration { get; set; } = BlockMigration.Auto;

        /// <summary>
        /// Migrations in flight at once, across everything given to one run. 1 matches nova's default
        /// max_concurrent_live_migrations per compute host; more only queue inside nova unless the servers'
        /// hosts differ or the cloud allows more.
        /// </summary>
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>
        /// Moves in flight at once from any one source host (0: no such limit, only <see cref="ThrottleLimit"/>). A
        /// rolling drain of several hosts: ThrottleLimit 10 with 2 per host drains five hosts at a time, two servers
        /// each, as nova's max_concurrent_live_migrations would queue the rest anyway; a server of a full host lets the
        /// next host's pass.
        /// </summary>
        public int ThrottleLimitPerHost { get; set; }

        /// <summary>
        /// How long one server's move may take, counted from its submission (time queued inside nova included).
        /// Null: nova's own completion timeout for the server's flavor (800 s per GiB of RAM + disk, at least
        /// 2 GiB; nova's live_migration_completion_timeout default) plus a minute, or an hour when the flavor is unknown.
        /// </summary>
        public TimeSpan? Timeout { get; set; }

        public TimeoutAction TimeoutAction { get; set; } = TimeoutAction.Abort;

        /// <summary>False: fire-and-forget; every accepted move is reported as Submitted and nothing is polled.</summary>
        public bool Wait { get; set; } = true;

        /// <summary>Cold-migrate SHUTOFF servers (and confirm the move) instead of skipping them.</summary>
        public bool ColdMigrateStopped { get; set; }

        /// <summary>
        /// Move locked servers too. Nova lets an admin move a locked server, but a lock usually means "leave
        /// this alone", so they are skipped unless asked.
        /// </summary>
        public bool IncludeLocked { get; set; }

        /// <summary>
        /// Below 2.30 a named destination bypasses the scheduler (forced host). Refused unless this is set.
        /// </summary>
        public bool AllowUnvalidatedHost { get; set; }

        /// <summary>
        /// Read memory transferred for each running live migration (GET /servers/{id}/migrations/{mid}, 2.23):
        /// one extra call per running migration per poll, so off unless a progress display wants it.
        /// </summary>
        public bool ReportMemoryProgress { get; set; }

        /// <summary>Before any migration of this run has finished: how long to wait before the first poll.</summary>
        public TimeSpan InitialPollDelay { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>The shortest gap between two polls.</summary>
        public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>The longest gap between two polls of a long migration.</summary>
        public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>After an abort or force-complete, how long nova gets to end the migration before the run gives up on it.</summary>
        public TimeSpan TimeoutGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How many polls may pass before a finished migration's server shows its final state.</summary>
        public int MaxVerifyAttempts { get; set; } = 3;

        internal void Validate()
        {
            if (ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(ThrottleLimit), ThrottleLimit, "ThrottleLimit must be at least 1.");
            if (ThrottleLimitPerHost < 0) throw new ArgumentOutOfRangeException(nameof(ThrottleLimitPerHost), ThrottleLimitPerHost, "ThrottleLimitPerHost must not be negative.");
            if (Timeout.HasValue && Timeout.Value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Timeout must be positive.");
            if (MinPollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MinPollInterval), MinPollInterval, "MinPollInterval must be positive.");
            if (MaxPollInterval < MinPollInterval) throw new ArgumentOutOfRangeException(nameof(MaxPollInterval), MaxPollInterval, "MaxPollInterval must not be below MinPollInterval.");
            if (InitialPollDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialPollDelay), InitialPollDelay, "InitialPollDelay must not be negative.");
            if (TimeoutGracePeriod < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeoutGracePeriod), TimeoutGracePeriod, "TimeoutGracePeriod must not be negative.");
            if (MaxVerifyAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxVerifyAttempts), MaxVerifyAttempts, "MaxVerifyAttempts must be at least 1.");
        }
    }
}
