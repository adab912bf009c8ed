using System.Management.Automation;
using OpenStackOps.Http;
using OpenStackOps.Infrastructure;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Sessions
{
    /// <summary>
    /// <para type="synopsis">Closes an OpenStack session and revokes the token it obtained.</para>
    /// <para type="description">Revokes the session's token at Keystone when the session obtained it (password or application credential), so it cannot be used again, then forgets it and closes the session's connections. A token you supplied (-Token, or auth_type token) is left valid: other tools may be using it. Without -Session it closes the default session, after which cmdlets need Connect-OpenStack again. When Keystone cannot be reached the session is still closed, and an error says until when the token stays valid.</para>
    /// <example>
    ///   <code>Disconnect-OpenStack</code>
    ///   <para>Closes the default session and revokes its token.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "OpenStack")]
    [OutputType(typeof(void))]
    public sealed class DisconnectOpenStackCommand : CancellableCmdlet
    {
        /// <summary>How long Keystone gets to revoke the token: closing a session must not hang on an unreachable cloud.</summary>
        private static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(10);

        /// <summary><para type="description">The session to close. Default: the default session.</para></summary>
        [Parameter(ValueFromPipeline = true)]
        public OpenStackSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var current = SessionStore.GetDefault();
            var session = Session ?? current;
            if (session == null)
            {
                WriteVerbose("Not connected: nothing to close.");
                return;
            }
            if (ReferenceEquals(session, current)) SessionStore.SetDefault(null);
            try
            {
                switch (Run(ct => session.RevokeTokenAsync(RevocationTimeout, ct)))
                {
                    case TokenRevocationOutcome.Revoked: WriteVerbose("Keystone revoked the session's token."); break;
                    case TokenRevocationOutcome.AlreadyInvalid: WriteVerbose("The session's token had already expired or been revoked."); break;
                    default: WriteVerbose("The token was supplied to Connect-OpenStack: left valid."); break;
                }
            }
            catch (OpenStackApiException e)
            {
                WriteError(ErrorRecords.Make(
                    $"Closed the session to {session.Cloud}, but its token could not be revoked ({e.Message}); it stays valid until {session.TokenExpiresAt:u}.",
                    "TokenNotRevoked", ErrorCategory.ConnectionError, session,
                    "Check that Keystone is reachable; the token cannot be used from this PowerShell session any more."));
            }
            catch (OperationCanceledException)
            {
                WriteWarning($"Stopped before Keystone answered: the token may stay valid until {session.TokenExpiresAt:u}.");
            }
            finally
            {
                session.Dispose();
            }
            WriteVerbose($"Closed the session to {session.Cloud}.");
        }
    }
}
