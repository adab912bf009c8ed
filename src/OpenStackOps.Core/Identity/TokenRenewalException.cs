using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// The session's token ran out or was refused and no new one could be had. Raised before a request is sent
    /// (never after), so whatever it stopped did not reach the service. Still an <see cref="OpenStackApiException"/>,
    /// so code that copes with a failed call copes with it; its <see cref="ApiErrorKind"/> is Keystone's failure
    /// (Unauthorized, or ConnectionFailed/Timeout/ServiceUnavailable when Keystone could not be reached).
    /// </summary>
    public sealed class TokenRenewalException : OpenStackApiException
    {
        public TokenRenewalException(TokenProblem problem, ApiErrorKind kind, string message, Exception? inner = null)
            : base(kind, message, inner)
        {
            Problem = problem;
            Service = "identity";
        }

        public TokenProblem Problem { get; }

        /// <summary>Its own ids (...TokenExpired, ...TokenRefused, ...TokenRenewalFailed): the fix is Connect-OpenStack, not the call.</summary>
        public override string Outcome => "Token" + Problem;

        public override FailureCategory Category => MayRecover ? base.Category : FailureCategory.AuthenticationError;

        /// <summary>
        /// Whether trying again later may work: Keystone was unreachable or failing. False when only the operator can
        /// help (a supplied token lapsed or was refused, the password or application credential was refused).
        /// </summary>
        public bool MayRecover => Problem == TokenProblem.RenewalFailed && Transient(Kind);

        /// <summary>Keystone could not be reached or was failing, as opposed to refusing.</summary>
        internal static bool Transient(ApiErrorKind kind)
            => kind == ApiErrorKind.ConnectionFailed || kind == ApiErrorKind.Timeout ||
               kind == ApiErrorKind.ServiceUnavailable || kind == ApiErrorKind.ServerError;
    }
}
