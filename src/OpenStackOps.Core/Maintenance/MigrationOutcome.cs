namespace OpenStackOps.Maintenance
{
    /// <summary>How one server's move ended, as far as this run knows.</summary>
    public enum MigrationOutcome
    {
        /// <summary>The migration record says completed and the server is back in its state on another host.</summary>
        Completed,
        /// <summary>A stopped server was cold-migrated, the move confirmed, and it is SHUTOFF on another host.</summary>
        ColdMigrated,
        /// <summary>Nova failed the migration and put the server back, unchanged, on its source. Error says why.</summary>
        RolledBack,
        /// <summary>Refused (409, 400…) or failed without a clean rollback. Error says why.</summary>
        Failed,
        /// <summary>The migration was cancelled: by this run's abort after a timeout, or by someone else.</summary>
        Aborted,
        /// <summary>Still in progress when its time was up, and not (or not yet) ended by the timeout action.</summary>
        TimedOut,
        /// <summary>Not attempted: the reason says why (state, lock, already there).</summary>
        Skipped,
        /// <summary>Accepted by nova and not waited for (fire-and-forget).</summary>
        Submitted,
        /// <summary>The run was stopped (Ctrl+C) while nova was still moving the server; nova carries on.</summary>
        StillRunning,
        /// <summary>The run was stopped before this server's move was started.</summary>
        Cancelled,
        /// <summary>Nova's record ended but the server could not be read to check the result.</summary>
        Unverified,
        /// <summary>A plan, not a result: what a run would do (Move-ServerLive -WhatIf -PassThru).</summary>
        Planned,
    }
}
