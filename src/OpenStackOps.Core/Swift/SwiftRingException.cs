namespace OpenStackOps.Swift
{
    public enum SwiftRingError
    {
        /// <summary>The node (its IP) has no device in any of the rings.</summary>
        NodeNotInRing,
        /// <summary>Removing the node would leave fewer devices than replicas in a ring: swift-ring-builder would refuse the rebalance. Nothing was changed.</summary>
        ReplicasNotHeld,
        /// <summary>A builder has changes not yet rebalanced (devices marked for removal, a ring file older than the builder). Nothing was changed.</summary>
        PendingChanges,
        /// <summary>swift-ring-builder failed or printed something this module cannot read.</summary>
        BuilderFailed,
        /// <summary>A step failed after the rings changed; the previous builders and ring files were put back on the ring host and every node.</summary>
        RolledBack,
        /// <summary>A step failed and putting the previous rings back failed too: the nodes may hold different rings. The message says which and where the backups are.</summary>
        Inconsistent,
        /// <summary>After the copy, a node's ring file is not the ring host's.</summary>
        RingsDiffer,
        /// <summary>The journal file already exists or cannot be written; nothing was changed.</summary>
        JournalUnwritable,
        /// <summary>The journal cannot be read or is not one of this module's.</summary>
        JournalInvalid,
        /// <summary>The journal's devices are in the rings already, or the removal never happened.</summary>
        NothingToRestore,
    }

    /// <summary>A ring change that stopped; the message says what changed, what was put back and what to do.</summary>
    public sealed class SwiftRingException : OpenStackOpsException
    {
        public SwiftRingException(SwiftRingError error, string target, string message, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
            Target = target;
        }

        public SwiftRingError Error { get; }
        /// <summary>The node, ring, file or journal the failure is about.</summary>
        public string Target { get; }
        public string? JournalPath { get; set; }

        public override string Outcome => "SwiftRing" + Error;
        public override bool IsFullId => true;
        public override object ErrorTarget => Target;

        public override FailureCategory Category
        {
            get
            {
                switch (Error)
                {
                    case SwiftRingError.NodeNotInRing: return FailureCategory.ObjectNotFound;
                    case SwiftRingError.ReplicasNotHeld: return FailureCategory.LimitsExceeded;
                    case SwiftRingError.PendingChanges: return FailureCategory.ResourceBusy;
                    case SwiftRingError.BuilderFailed: return FailureCategory.InvalidResult;
                    case SwiftRingError.RolledBack: return FailureCategory.InvalidResult;
                    case SwiftRingError.Inconsistent: return FailureCategory.InvalidResult;
                    case SwiftRingError.RingsDiffer: return FailureCategory.InvalidResult;
                    case SwiftRingError.JournalUnwritable: return FailureCategory.WriteError;
                    case SwiftRingError.NothingToRestore: return FailureCategory.InvalidOperation;
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
                    case SwiftRingError.NodeNotInRing: return "Name the node by the IP its devices have in the rings (Get-SwiftRing lists them).";
                    case SwiftRingError.ReplicasNotHeld: return "Add devices (or a node) to the ring first, or keep this node in the ring and just reboot it: requests go to the other replicas meanwhile.";
                    case SwiftRingError.PendingChanges: return "Look at the builders on the ring host (Get-SwiftRing): rebalance and distribute the pending change, or undo it, then run again.";
                    case SwiftRingError.BuilderFailed: return "Check swift-ring-builder on the ring host and the builder files named.";
                    case SwiftRingError.RolledBack: return "Fix what failed (the message names the node and step), then run again.";
                    case SwiftRingError.Inconsistent: return "Copy the ring files named to the nodes named by hand (scp), check with Get-SwiftRing that every node agrees, then run again.";
                    case SwiftRingError.RingsDiffer: return "Run Get-SwiftRing to see which node differs, and copy the ring host's ring files there.";
                    case SwiftRingError.JournalUnwritable: return "Name a new, writable file with -JournalPath.";
                    case SwiftRingError.JournalInvalid: return "Pass the journal Remove-SwiftStorageNode wrote.";
                    case SwiftRingError.NothingToRestore: return "Nothing to do: Get-SwiftRing shows the devices in the rings.";
                    default: return null;
                }
            }
        }
    }
}
