using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that talks to a cloud: -Session, cancellation on Ctrl+C (StopProcessing), and
    /// <see cref="Run{T}"/>, which waits for engine work on the pipeline thread while relaying its messages.
    /// </summary>
    public abstract class OpenStackCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineMessageQueue _messages = new PipelineMessageQueue();
        private OpenStackSession _session;

        /// <summary>
        /// <para type="description">The session to use (from Connect-OpenStack -PassThru). Default: the session the last Connect-OpenStack in this PowerShell session opened.</para>
        /// </summary>
        [Parameter]
        public OpenStackSession Session { get; set; }

        /// <summary>Cancelled by Ctrl+C (StopProcessing); hides Cmdlet.Stopping, the bool of the same name.</summary>
        protected new CancellationToken Stopping => _stop.Token;

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
                _session.LogTarget = _messages;
                return _session;
            }
        }

        internal PipelineMessageQueue Messages => _messages;

        /// <summary>
        /// Runs engine work and waits for it here, on the pipeline thread, writing its verbose and progress
        /// messages as they arrive. Ctrl+C cancels the work through <see cref="Stopping"/>.
        /// </summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = work(_stop.Token);
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
                _messages.Drain(this);
            _messages.Drain(this);
            return task.GetAwaiter().GetResult();
        }

        protected void Run(Func<CancellationToken, Task> work)
            => Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

        /// <summary>
        /// Waits here, on the pipeline thread, for a run that reports through <paramref name="pump"/> (migrations,
        /// evacuations), writing its progress and results and the API's messages as they arrive.
        /// </summary>
        internal void PumpUntilDone(Task run, MigrationEventPump pump)
        {
            while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(100))
            {
                pump.Drain(_stop.IsCancellationRequested);
                _messages.Drain(this);
            }
            pump.Drain(_stop.IsCancellationRequested);
        }

        /// <summary>
        /// The server a piped object, id or name stands for: a piped Server as it is, an id read from nova (its
        /// failures are the caller's to report), a name looked up across projects; null, with a ServerNotFound or
        /// ServerNameAmbiguous error written, when the name is not unique.
        /// </summary>
        internal Compute.Servers.Server ResolveServer(Commands.Compute.ServerTarget target)
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

        /// <summary>Writes a non-terminating error for a failed operation on <paramref name="target"/>.</summary>
        protected void WriteFailure(Exception e, string operation, object target)
        {
            _messages.Drain(this);
            if (e is PipelineStoppedException) throw e;
            WriteError(ErrorRecords.FromException(e, operation, target));
        }

        protected override void StopProcessing() => _stop.Cancel();

        protected override void EndProcessing()
        {
            _messages.Drain(this);
            if (_session != null && ReferenceEquals(_session.LogTarget, _messages))
                _session.LogTarget = null;
        }

        public void Dispose()
        {
            if (_session != null && ReferenceEquals(_session.LogTarget, _messages))
                _session.LogTarget = null;
            _stop.Dispose();
        }
    }
}
