namespace OpenStackOps.Database
{
    /// <summary>Why a plan must not be applied.</summary>
    public enum RecoveryProblemKind
    {
        /// <summary>The port already has a binding for the destination host (PK (port_id, host) would collide).</summary>
        DestinationBindingExists,
        /// <summary>A binding that is not ACTIVE (left by an unfinished live migration).</summary>
        InactiveBinding,
        /// <summary>More than one binding row for one port.</summary>
        DuplicateBinding,
        /// <summary>A binding whose host is neither the failed host nor empty.</summary>
        StaleBinding,
        /// <summary>ml2_port_binding_levels rows that do not match their binding (other host, gaps, missing).</summary>
        InconsistentLevels,
        /// <summary>The destination has no, or more than one, undeleted nova.compute_nodes row.</summary>
        DestinationNodeUnknown,
        /// <summary>An instance UUID the operator named is not an undeleted instance on the failed host.</summary>
        InstanceNotOnFailedHost,
        /// <summary>Failed host and destination are the same.</summary>
        SameHost,
        /// <summary>Placement has no resource provider for the destination node: the allocations could not move with the rows.</summary>
        PlacementProviderMissing,
        /// <summary>A server already holds an allocation on the destination's provider as well (an unfinished migration's).</summary>
        PlacementAllocationOnDestination,
    }

    /// <summary>One reason a plan is blocked, with the row it is about.</summary>
    public sealed class RecoveryProblem
    {
        public RecoveryProblemKind Kind { get; set; }
        /// <summary>The port id or instance UUID (or host) the problem is about.</summary>
        public string? Target { get; set; }
        public string Message { get; set; } = null!;
        public override string ToString() => $"{Kind} {Target}: {Message}";
    }
}
