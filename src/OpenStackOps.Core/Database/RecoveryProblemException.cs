namespace OpenStackOps.Database
{
    /// <summary>
    /// One problem of a database recovery plan, as the failure the cmdlet writes for it (one per problem; the
    /// plan then stops before changing anything).
    /// </summary>
    public sealed class RecoveryProblemException : OpenStackOpsException
    {
        public RecoveryProblemException(RecoveryProblemKind kind, string? target, string message, Exception? inner = null)
            : base(message + " Nothing was changed.", inner)
        {
            Kind = kind;
            Target = target;
            RecommendedAction = "Resolve this row (or leave the instance out with -InstanceId), then run again.";
        }

        public RecoveryProblemKind Kind { get; }
        /// <summary>The port id or instance UUID (or host) the problem is about.</summary>
        public string? Target { get; }

        public override string Outcome => "DatabaseRecovery" + Kind;
        public override bool IsFullId => true;
        public override object? ErrorTarget => Target;

        public override FailureCategory Category
        {
            get
            {
                switch (Kind)
                {
                    case RecoveryProblemKind.DestinationBindingExists: return FailureCategory.ResourceExists;
                    case RecoveryProblemKind.DestinationNodeUnknown:
                    case RecoveryProblemKind.PlacementProviderMissing:
                    case RecoveryProblemKind.InstanceNotOnFailedHost: return FailureCategory.ObjectNotFound;
                    case RecoveryProblemKind.SameHost: return FailureCategory.InvalidArgument;
                    default: return FailureCategory.InvalidData;
                }
            }
        }
    }
}
