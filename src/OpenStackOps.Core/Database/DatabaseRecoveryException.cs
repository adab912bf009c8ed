using System;

namespace OpenStackOps.Database
{
    public enum DatabaseRecoveryError
    {
        /// <summary>The plan has problems (conflicting, stale or inconsistent rows); nothing was changed.</summary>
        Blocked,
        /// <summary>A statement matched a different number of rows than planned: the rows changed since the plan. Rolled back.</summary>
        RowsChanged,
        /// <summary>The database refused or failed a statement, or could not be reached.</summary>
        DatabaseFailed,
        /// <summary>The journal file already exists, or cannot be written; nothing was changed.</summary>
        JournalUnwritable,
        /// <summary>The journal cannot be read or is not one of ours.</summary>
        JournalInvalid,
        /// <summary>The journal's change was rolled back or restored already.</summary>
        NothingToRestore,
        /// <summary>nova was committed, neutron failed, and restoring nova failed too: the operator must restore.</summary>
        HalfApplied,
        /// <summary>Restore: a journalled row is not as the move left it (a column changed, a row went or appeared); nothing was restored.</summary>
        ChangedSinceMove,
        /// <summary>Restore: nova acted on a moved server after the move (a reboot or start on the destination); nothing was restored.</summary>
        StartedOnDestination,
    }

    /// <summary>A database recovery or restore that stopped; the message says what changed and what to do.</summary>
    public sealed class DatabaseRecoveryException : Exception
    {
        public DatabaseRecoveryException(DatabaseRecoveryError error, string target, string message, Exception inner = null)
            : base(message, inner)
        {
            Error = error;
            Target = target;
        }

        public DatabaseRecoveryError Error { get; }
        /// <summary>The port, instance, database or journal the failure is about.</summary>
        public string Target { get; }
        public string JournalPath { get; set; }
        /// <summary>True when nova had been committed and was restored from the journal automatically.</summary>
        public bool NovaRestored { get; set; }
    }
}
