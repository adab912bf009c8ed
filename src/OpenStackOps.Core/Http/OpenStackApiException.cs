namespace OpenStackOps.Http
{
    /// <summary>
    /// A failed OpenStack API call. Carries what an operator needs to act: the service, the
    /// request, the HTTP status, nova/neutron's own fault text and the request id to grep logs for.
    /// Never carries a token or a password.
    /// </summary>
    public class OpenStackApiException : OpenStackOpsException
    {
        public OpenStackApiException(ApiErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        public ApiErrorKind Kind { get; }
        public int? StatusCode { get; set; }
        public string? Service { get; set; }
        public string? Method { get; set; }
        public string? Url { get; set; }
        public string? RequestId { get; set; }
        /// <summary>Nova's fault name (itemNotFound, conflictingRequest...) or neutron's error type.</summary>
        public string? FaultName { get; set; }
        /// <summary>The server's own message, without our decoration.</summary>
        public string? ServerMessage { get; set; }
        /// <summary>How long the service asked us to wait (Retry-After of a 429 or 503), when it said.</summary>
        public TimeSpan? RetryAfter { get; set; }
        /// <summary>How many times the request was sent (a read is sent again after a passing fault).</summary>
        public int Attempts { get; set; } = 1;

        /// <summary>A read that failed after being sent again says so: one dropped connection and four are different problems.</summary>
        public override string Message => Attempts > 1 ? $"{base.Message} (sent {Attempts} times)" : base.Message;

        public override string Outcome
        {
            get
            {
                switch (Kind)
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
        }

        public override FailureCategory Category
        {
            get
            {
                switch (Kind)
                {
                    case ApiErrorKind.BadRequest: return FailureCategory.InvalidArgument;
                    case ApiErrorKind.Unauthorized: return FailureCategory.AuthenticationError;
                    case ApiErrorKind.Forbidden: return FailureCategory.PermissionDenied;
                    case ApiErrorKind.NotFound: return FailureCategory.ObjectNotFound;
                    case ApiErrorKind.Conflict: return FailureCategory.ResourceBusy;
                    case ApiErrorKind.NotAcceptable: return FailureCategory.NotImplemented;
                    case ApiErrorKind.ServiceUnavailable:
                    case ApiErrorKind.ServerError: return FailureCategory.ResourceUnavailable;
                    case ApiErrorKind.Timeout: return FailureCategory.OperationTimeout;
                    case ApiErrorKind.ConnectionFailed: return FailureCategory.ConnectionError;
                    case ApiErrorKind.TlsFailure: return FailureCategory.SecurityError;
                    case ApiErrorKind.InvalidResponse: return FailureCategory.InvalidResult;
                    default: return FailureCategory.NotSpecified;
                }
            }
        }

        /// <summary>With the request id, the service's logs say the rest.</summary>
        protected override string? DefaultAction => RequestId == null ? null : "Search the service logs for request " + RequestId + ".";

        public static ApiErrorKind KindFromStatus(int status)
        {
            switch (status)
            {
                case 400: return ApiErrorKind.BadRequest;
                case 401: return ApiErrorKind.Unauthorized;
                case 403: return ApiErrorKind.Forbidden;
                case 404: return ApiErrorKind.NotFound;
                case 409: return ApiErrorKind.Conflict;
                case 406: return ApiErrorKind.NotAcceptable;
                case 503: return ApiErrorKind.ServiceUnavailable;
                default: return status >= 500 ? ApiErrorKind.ServerError : ApiErrorKind.Other;
            }
        }
    }
}
