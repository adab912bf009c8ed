using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Sessions
{
    /// <summary>
    /// <para type="synopsis">Gets the default OpenStack session of this PowerShell session.</para>
    /// <para type="description">Shows which cloud, project and user the cmdlets talk to, when the token expires, which compute API microversions the cloud offers and how many API calls the session has made. Writes nothing when not connected.</para>
    /// <example>
    ///   <code>Get-OpenStackSession</code>
    ///   <para>Shows the session the last Connect-OpenStack opened.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OpenStackSession")]
    [OutputType(typeof(OpenStackSession))]
    public sealed class GetOpenStackSessionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var session = SessionStore.GetDefault();
            if (session != null) WriteObject(session);
        }
    }
}
