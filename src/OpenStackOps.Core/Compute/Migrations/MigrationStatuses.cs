namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// The status values nova writes on migration records, and what they mean to a caller. Live:
    /// accepted → queued → preparing → running → post-migrating → completed; failures error/failed;
    /// aborted cancelled. Cold: pre-migrating → migrating → post-migrating → finished (VERIFY_RESIZE) →
    /// confirming → confirmed; reverted when the resize was reverted.
    /// (nova/conductor/manager.py, nova/compute/manager.py, nova/compute/api.py)
    /// </summary>
    public static class MigrationStatuses
    {
        public const string Accepted = "accepted";
        public const string Queued = "queued";
        public const string Preparing = "preparing";
        public const string Running = "running";
        public const string PostMigrating = "post-migrating";
        public const string Completed = "completed";
        public const string Error = "error";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
        public const string Finished = "finished";
        public const string Confirming = "confirming";
        public const string Confirmed = "confirmed";
        public const string Reverted = "reverted";
        public const string Done = "done";

        /// <summary>A live migration that ended well.</summary>
        public static bool IsLiveSuccess(string? status) => Is(status, Completed);

        /// <summary>Accepted but not started: waiting for the conductor, or queued behind the source host's max_concurrent_live_migrations.</summary>
        public static bool IsWaiting(string? status) => Is(status, Accepted) || Is(status, Queued);

        /// <summary>A move that ended badly (the instance was, or is being, put back).</summary>
        public static bool IsFailure(string? status) => Is(status, Error) || Is(status, Failed);

        /// <summary>
        /// Whether nova accepts an abort in this status: 'running' from 2.24; 'queued' and 'preparing' too from 2.65.
        /// </summary>
        public static bool CanAbort(string? status, Microversion mv)
            => Is(status, Running) || (mv >= ComputeClient.V(65) && (Is(status, Queued) || Is(status, Preparing)));

        /// <summary>Force-complete needs the migration to be 'running' (nova/compute/api.py live_migrate_force_complete).</summary>
        public static bool CanForceComplete(string? status) => Is(status, Running);

        internal static bool Is(string? status, string value) => string.Equals(status, value, StringComparison.OrdinalIgnoreCase);
    }
}
