namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// A server a run did not move (or evacuate) as asked: the engine failure the cmdlets write for a failed
    /// result, beside the result itself in the output. Its outcome follows the operation (NovaLiveMigrateRolledBack).
    /// </summary>
    public sealed class MigrationFailedException : OpenStackOpsException
    {
        private readonly string _outcome;
        private readonly FailureCategory _category;

        private MigrationFailedException(MigrationResult result, string message, string outcome, FailureCategory category)
            : base(message, null)
        {
            Result = result;
            _outcome = outcome;
            _category = category;
        }

        /// <summary>The failed result, as the output has it.</summary>
        public MigrationResult Result { get; }
        public override string Outcome => _outcome;
        public override FailureCategory Category => _category;
        public override object ErrorTarget => Result.ServerId;

        /// <summary>A live or cold move that failed: nova's 409 is a conflict whatever the outcome, nova's words and request id in the message.</summary>
        internal static MigrationFailedException OfMove(MigrationResult r) => new MigrationFailedException(r,
            $"{r.ServerName ?? r.ServerId} was not moved from {r.SourceHost}: {r.Status}" +
            (r.Error == null ? "" : $": {r.Error}") + (r.Message == null || r.Message == r.Error ? "" : $" ({r.Message})") +
            (r.RequestId == null ? "" : $" [request {r.RequestId}]"),
            r.HttpStatus == 409 ? "Conflict" : r.Status,
            r.HttpStatus == 409 ? FailureCategory.ResourceBusy
            : r.Outcome == MigrationOutcome.TimedOut ? FailureCategory.OperationTimeout
            : r.Outcome == MigrationOutcome.Aborted ? FailureCategory.OperationStopped
            : r.HttpStatus == 400 ? FailureCategory.InvalidArgument
            : FailureCategory.InvalidResult);

        /// <summary>An evacuation that failed: its status is the outcome.</summary>
        internal static MigrationFailedException OfEvacuation(MigrationResult r) => new MigrationFailedException(r,
            $"{r.ServerName} ({r.ServerId}) was not evacuated from {r.SourceHost}: {r.Status}. {r.Error ?? r.Message}",
            r.Status, r.Outcome == MigrationOutcome.TimedOut ? FailureCategory.OperationTimeout : FailureCategory.InvalidResult);
    }
}
