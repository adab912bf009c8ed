namespace OpenStackOps.Identity
{
    /// <summary>Why the session has no usable token (the last word of the error id: ...TokenExpired, ...TokenRenewalFailed).</summary>
    public enum TokenProblem
    {
        /// <summary>A token the operator supplied has expired; without a password or application credential there is nothing to renew it with.</summary>
        Expired,
        /// <summary>The cloud refused a token the operator supplied (revoked, or from another cloud).</summary>
        Refused,
        /// <summary>The session had to renew its token and Keystone did not give a new one.</summary>
        RenewalFailed,
    }
}
