namespace OpenStackOps.Sessions
{
    /// <summary>What closing a session did to its token.</summary>
    public enum TokenRevocationOutcome
    {
        Revoked,
        /// <summary>Keystone no longer knew it (expired, or revoked elsewhere).</summary>
        AlreadyInvalid,
        /// <summary>The operator supplied the token: not revoked.</summary>
        NotOurs,
    }
}
