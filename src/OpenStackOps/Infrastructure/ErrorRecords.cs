using System.Management.Automation;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// The one place that turns failures into ErrorRecords: a stable id (operation + outcome, or the engine failure's
    /// own id), the category, the target the operator named, and the engine's message (which never holds secrets).
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord FromException(Exception e, string? operation, object? target)
        {
            switch (e)
            {
                case OpenStackOpsException ops:
                    return Make(ops, ops.IsFullId ? ops.Outcome : operation + ops.Outcome, Category(ops.Category),
                        ops.IsFullId ? ops.ErrorTarget ?? target : target ?? ops.ErrorTarget);
                case ArgumentException arg:
                    return Make(arg, operation + "InvalidArgument", ErrorCategory.InvalidArgument, target);
                case OperationCanceledException oce:
                    return Make(oce, operation + "Cancelled", ErrorCategory.OperationStopped, target);
                default:
                    return Make(e, operation + "Failed", ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>An engine failure's category: its name is PowerShell's (FailureCategory says so).</summary>
        public static ErrorCategory Category(FailureCategory category) =>
            (ErrorCategory)Enum.Parse(typeof(ErrorCategory), category.ToString());

        public static ErrorRecord Make(Exception e, string id, ErrorCategory category, object? target)
        {
            var record = new ErrorRecord(e, id, category, target);
            if (e is OpenStackOpsException ops && ops.Details != null)
                record.ErrorDetails = new ErrorDetails(ops.Details) { RecommendedAction = ops.RecommendedAction };
            return record;
        }

        public static ErrorRecord Make(string message, string id, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(new InvalidOperationException(message), id, category, target);
            if (recommendedAction != null)
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }
    }
}
