namespace OpenStackOps.Http
{
    /// <summary>What went wrong with an API call, in the terms an operator acts on.</summary>
    public enum ApiErrorKind
    {
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        /// <summary>406: the microversion asked for is outside what the cloud offers.</summary>
        NotAcceptable,
        ServiceUnavailable,
        ServerError,
        Timeout,
        ConnectionFailed,
        TlsFailure,
        InvalidResponse,
        Other,
    }
}
