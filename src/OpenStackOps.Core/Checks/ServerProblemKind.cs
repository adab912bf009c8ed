namespace OpenStackOps.Checks
{
    /// <summary>The kinds of "failed or weird state" the daily check looks for (the guide's daily task).</summary>
    internal enum ServerProblemKind
    {
        /// <summary>Status ERROR: nova's fault says why.</summary>
        Error,
        /// <summary>A task_state that has not changed for longer than the threshold.</summary>
        StuckTask,
        /// <summary>The status says one thing and the hypervisor's power state another.</summary>
        PowerMismatch,
        /// <summary>Its host's nova-compute is down (not fenced).</summary>
        OnDownHost,
        /// <summary>Its host was forced down (fenced): only an evacuation brings it back.</summary>
        OnForcedDownHost,
        /// <summary>A migration that has not reached an end state for longer than the threshold.</summary>
        MigrationStuck,
        /// <summary>A failed migration whose record still holds resources in placement.</summary>
        MigrationHoldsResources,
        /// <summary>Placement holds its resources on another compute node than the one it runs on.</summary>
        AllocationElsewhere,
        /// <summary>A server on a host with no allocation at all: the scheduler will overfill that host.</summary>
        AllocationMissing,
        /// <summary>Placement holds resources for a consumer that is neither a server nor a migration nova lists.</summary>
        OrphanAllocation,
    }
}
