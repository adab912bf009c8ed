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
        /// <summary>Placement refused or failed moving (or restoring) an allocation; the message says what was rolled back.</summary>
        PlacementFailed,
    }

    /// <summary>A database recovery or restore that stopped; the message says what changed and what to do.</summary>
    public sealed class DatabaseRecoveryException : OpenStackOpsException
    {
        public DatabaseRecoveryException(DatabaseRecoveryError error, string? target, string message, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
            Target = target;
        }

        public DatabaseRecoveryError Error { get; }
        /// <summary>The port, instance, database or journal the failure is about.</summary>
        public string? Target { get; }
        public string? JournalPath { get; set; }
        /// <summary>True when nova had been committed and was restored from the journal automatically.</summary>
        public bool NovaRestored { get; set; }

        public override string Outcome => "DatabaseRecovery" + Error;
        public override bool IsFullId => true;
        public override object? ErrorTarget => Target;

        public override FailureCategory Category
        {
            get
            {
                switch (Error)
                {
                    case DatabaseRecoveryError.DatabaseFailed:
                    case DatabaseRecoveryError.PlacementFailed: return FailureCategory.ResourceUnavailable;
                    case DatabaseRecoveryError.JournalUnwritable: return FailureCategory.WriteError;
                    case DatabaseRecoveryError.StartedOnDestination: return FailureCategory.ResourceBusy;
                    case DatabaseRecoveryError.NothingToRestore: return FailureCategory.InvalidOperation;
                    case DatabaseRecoveryError.HalfApplied: return FailureCategory.InvalidResult;
                    default: return FailureCategory.InvalidData;
                }
            }
        }

        protected override string? DefaultAction
        {
            get
            {
                switch (Error)
                {
                    case DatabaseRecoveryError.Blocked: return "Resolve the rows named, then run again.";
                    case DatabaseRecoveryError.RowsChanged: return "Something changed the rows since they were read: look at them, then plan again.";
                    case DatabaseRecoveryError.DatabaseFailed: return "Check the database server, user and grants.";
                    case DatabaseRecoveryError.JournalUnwritable: return "Name a new, writable file with -JournalPath.";
                    case DatabaseRecoveryError.JournalInvalid: return "Pass the journal Move-ServerDatabaseRecord wrote, and its databases.";
                    case DatabaseRecoveryError.ChangedSinceMove: return "Look at the rows named: if the change after the move is right, the move stands and there is nothing to restore; if not, undo that change first, then restore.";
                    case DatabaseRecoveryError.StartedOnDestination: return "Leave the servers where they run; once the failed host is repaired, move them back through nova (Move-ServerLive).";
                    case DatabaseRecoveryError.NothingToRestore: return "Nothing to do: the change is not in the databases.";
                    case DatabaseRecoveryError.PlacementFailed: return "The message says what was put back. Look at the servers' allocations (openstack resource provider allocation show <uuid>) and placement's log, then run again; with no OpenStack session, Connect-OpenStack first.";
                    default: return "Run Restore-ServerDatabaseRecord -JournalPath '" + JournalPath + "' now.";
                }
            }
        }
    }
}
