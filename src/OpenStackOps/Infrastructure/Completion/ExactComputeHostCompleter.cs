namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>Full host names only, for parameters that take nova's exact name (Move-ServerDatabaseRecord).</summary>
    public sealed class ExactComputeHostCompleter : ComputeHostCompleter
    {
        protected override bool OffersShortNames => false;
    }
}
