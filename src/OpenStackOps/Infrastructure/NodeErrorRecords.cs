using System;
using System.Management.Automation;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Infrastructure
{
    /// <summary>ErrorRecords for node (SSH) failures: id = operation + kind, a category per kind, the node or server as target.</summary>
    internal static class NodeErrorRecords
    {
        public static ErrorRecord From(NodeCommandException e, string operation, object target)
        {
            var record = new ErrorRecord(e, operation + e.Kind, Category(e.Kind), target ?? e.Node);
            if (e.RecommendedAction != null)
                record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.RecommendedAction };
            return record;
        }

        public static ErrorCategory Category(NodeErrorKind kind)
        {
            switch (kind)
            {
                case NodeErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case NodeErrorKind.ConnectionFailed: return ErrorCategory.ConnectionError;
                case NodeErrorKind.AuthenticationFailed: return ErrorCategory.AuthenticationError;
                case NodeErrorKind.HostKeyUnknown:
                case NodeErrorKind.HostKeyChanged: return ErrorCategory.SecurityError;
                case NodeErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case NodeErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case NodeErrorKind.Busy: return ErrorCategory.ResourceBusy;
                case NodeErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case NodeErrorKind.Unsupported: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.InvalidResult;
            }
        }
    }
}
