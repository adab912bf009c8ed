using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Sessions
{
    /// <summary>
    /// <para type="synopsis">Closes an OpenStack session.</para>
    /// <para type="description">Forgets the session's token and closes its connections. Without -Session it closes the default session, after which cmdlets need Connect-OpenStack again.</para>
    /// <example>
    ///   <code>Disconnect-OpenStack</code>
    ///   <para>Closes the default session.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "OpenStack")]
    [OutputType(typeof(void))]
    public sealed class DisconnectOpenStackCommand : PSCmdlet
    {
        /// <summary><para type="description">The session to close. Default: the default session.</para></summary>
        [Parameter(ValueFromPipeline = true)]
        public OpenStackSession Session { get; set; }

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
            session.Dispose();
            WriteVerbose($"Closed the session to {session.Cloud}.");
        }
    }
}
