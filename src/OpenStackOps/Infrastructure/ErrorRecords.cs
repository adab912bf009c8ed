using System;
using System.Management.Automation;
using OpenStackOps.Compute;
using OpenStackOps.Configuration;
using OpenStackOps.Http;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Turns engine exceptions into ErrorRecords with a stable id (operation + what went wrong), the matching
    /// category, the target the operator named, and the engine's message (which never holds secrets).
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord FromException(Exception e, string operation, object target)
        {
            switch (e)
            {
                case MicroversionNotSupportedException m:
                    return Make(m, operation + "MicroversionNotSupported", ErrorCategory.NotImplemented, target);
                case Identity.TokenRenewalException token:
                    // Its own ids (...TokenExpired, ...TokenRefused, ...TokenRenewalFailed): the fix is Connect-OpenStack, not the call.
                    return Make(token, operation + "Token" + token.Problem, token.MayRecover ? Category(token.Kind) : ErrorCategory.AuthenticationError, target);
                case OpenStackApiException api:
                    return Make(api, operation + Suffix(api.Kind), Category(api.Kind), target);
                case ConfigurationException c:
                    return Make(c, "OpenStackConfiguration" + c.Reason, c.Reason == ConfigurationError.CloudNotFound
                        ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, c.Target ?? target);
                case Node.Shell.NodeCommandException node:
                    return NodeErrorRecords.From(node, operation, target);
                case ArgumentException arg:
                    return Make(arg, operation + "InvalidArgument", ErrorCategory.InvalidArgument, target);
                case OperationCanceledException oce:
                    return Make(oce, operation + "Cancelled", ErrorCategory.OperationStopped, target);
                default:
                    return Make(e, operation + "Failed", ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord Make(Exception e, string id, ErrorCategory category, object target)
        {
            var record = new ErrorRecord(e, id, category, target);
            if (e is OpenStackApiException api && api.RequestId != null)
                record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Search the service logs for request " + api.RequestId + "." };
            return record;
        }

        public static ErrorRecord Make(string message, string id, ErrorCategory category, object target, string recommendedAction = null)
        {
            var record = new ErrorRecord(new InvalidOperationException(message), id, category, target);
            if (recommendedAction != null)
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }

        private static string Suffix(ApiErrorKind kind)
        {
            switch (kind)
            {
                case ApiErrorKind.BadRequest: return "InvalidRequest";
                case ApiErrorKind.Unauthorized: return "AuthenticationFailed";
                case ApiErrorKind.Forbidden: return "Forbidden";
                case ApiErrorKind.NotFound: return "NotFound";
                case ApiErrorKind.Conflict: return "Conflict";
                case ApiErrorKind.NotAcceptable: return "MicroversionNotSupported";
                case ApiErrorKind.ServiceUnavailable: return "ServiceUnavailable";
                case ApiErrorKind.ServerError: return "ServerError";
                case ApiErrorKind.Timeout: return "Timeout";
                case ApiErrorKind.ConnectionFailed: return "Unreachable";
                case ApiErrorKind.TlsFailure: return "TlsFailure";
                case ApiErrorKind.InvalidResponse: return "InvalidResponse";
                default: return "Failed";
            }
        }

        private static ErrorCategory Category(ApiErrorKind kind)
        {
            switch (kind)
            {
                case ApiErrorKind.BadRequest: return ErrorCategory.InvalidArgument;
                case ApiErrorKind.Unauthorized: return ErrorCategory.AuthenticationError;
                case ApiErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case ApiErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case ApiErrorKind.Conflict: return ErrorCategory.ResourceBusy;
                case ApiErrorKind.NotAcceptable: return ErrorCategory.NotImplemented;
                case ApiErrorKind.ServiceUnavailable:
                case ApiErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case ApiErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case ApiErrorKind.ConnectionFailed: return ErrorCategory.ConnectionError;
                case ApiErrorKind.TlsFailure: return ErrorCategory.SecurityError;
                case ApiErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
