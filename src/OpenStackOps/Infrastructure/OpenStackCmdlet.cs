using System.Management.Automation;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that talks to a cloud: -Session, or the runspace's default session, whose API
    /// messages this invocation writes.
    /// </summary>
    public abstract class OpenStackCmdlet : CancellableCmdlet
    {
        private OpenStackSession? _session;
        private ComputeHostResolver? _hosts;

        /// <summary>
        /// <para type="description">The session to use (from Connect-OpenStack -PassThru). Default: the session the last Connect-OpenStack in this PowerShell session opened.</para>
        /// </summary>
        [Parameter]
        public OpenStackSession? Session { get; set; }

        /// <summary>The session this invocation works with; a terminating error when there is none.</summary>
        protected OpenStackSession CurrentSession
        {
            get
            {
                if (_session != null) return _session;
                _session = Session ?? SessionStore.GetDefault();
                if (_session == null)
                    ThrowTerminatingError(ErrorRecords.Make(
                        "Not connected to an OpenStack cloud. Run Connect-OpenStack first, or pass -Session.",
                        "NotConnected", ErrorCategory.ConnectionError, null,
                        "Connect-OpenStack -Cloud <name from clouds.yaml>, or set the OS_* variables of an openrc file and run Connect-OpenStack. " +
                        "In ForEach-Object -Parallel, Start-ThreadJob or a new runspace the default session is not there: pass -Session $using:s " +
                        "(with $s = Connect-OpenStack -PassThru, or Get-OpenStackSession, outside). See about_OpenStackOps."));
                _session!.LogTarget = Messages; // ThrowTerminatingError above does not return
                return _session;
            }
        }

        /// <summary>
        /// Warns when the session's user has no admin role: <paramref name="whatOnlyAdminsSee"/> says
        /// what the services show only to admins, and so what the output will lack.
        /// </summary>
        protected void WarnIfNotAdmin(string whatOnlyAdminsSee)
        {
            var session = CurrentSession;
            if (!session.IsAdmin)
                WriteWarning($"The session's user has no admin role in project {session.ProjectName}: {whatOnlyAdminsSee}");
        }

        /// <summary>Compute host names resolved against nova's nova-compute services, listed once per invocation.</summary>
        internal ComputeHostResolver ComputeHosts => _hosts ?? (_hosts = FreshComputeHosts());

        /// <summary>A resolver that lists the services anew, for a check that reports nova's current view of each node.</summary>
        internal ComputeHostResolver FreshComputeHosts()
        {
            var session = CurrentSession;
            return new ComputeHostResolver(this, () => Run(ct => session.Compute.Services.ListAsync(null, "nova-compute", ct)));
        }

        /// <summary>
        /// Waits here, on the pipeline thread, for a run that reports through <paramref name="pump"/> (migrations,
        /// evacuations), writing its progress and results and the API's messages as they arrive. When the pipeline is
        /// stopped (Ctrl+C) the run is cancelled and ends at once, reporting what is in flight: that end is waited for
        /// (at most <see cref="StoppedRunGrace"/>), so no run goes on behind the prompt, and only then the stop goes through.
        /// </summary>
        internal void PumpUntilDone(Task run, MigrationEventPump pump)
        {
            try
            {
                WaitHere(run, pump.Drain);
            }
            catch (PipelineStoppedException)
            {
                try { run.Wait(StoppedRunGrace); } catch (AggregateException) { }
                pump.Drain(true);
                throw;
            }
        }

        /// <summary>How long a stopped run may take to end before the stop goes through regardless.</summary>
        internal static readonly TimeSpan StoppedRunGrace = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The server a piped object, id or name stands for: a piped Server as it is, an id read from nova (its
        /// failures are the caller's to report), a name looked up across projects; null, with a ServerNotFound or
        /// ServerNameAmbiguous error written, when the name is not unique.
        /// </summary>
        internal Compute.Servers.Server? ResolveServer(Commands.Compute.ServerTarget target)
        {
            var session = CurrentSession;
            if (target.Server != null) return target.Server;
            if (target.IsId) return Run(ct => session.Compute.Servers.GetAsync(target.Text, ct));
            var found = Run(ct => session.Compute.Servers.FindByNameAsync(target.Text, ct));
            if (found.Count == 1) return found[0];
            WriteError(ErrorRecords.Make(found.Count == 0
                    ? $"No server is named '{target.Text}' in any project. Give its id, or pipe it from Get-NodeServer."
                    : $"{found.Count} servers are named '{target.Text}' ({string.Join(", ", found.Select(x => x.Id))}); give the id.",
                found.Count == 0 ? "ServerNotFound" : "ServerNameAmbiguous",
                found.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, target.Text));
            return null;
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            ReleaseSession();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) ReleaseSession();
            base.Dispose(disposing);
        }

        /// <summary>The session outlives this invocation: its messages must stop going to this cmdlet's queue.</summary>
        private void ReleaseSession()
        {
            if (_session != null && ReferenceEquals(_session.LogTarget, Messages))
                _session.LogTarget = null;
        }
    }
}
