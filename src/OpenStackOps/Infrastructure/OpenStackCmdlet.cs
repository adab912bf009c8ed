using System;
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

        protected CancellationToken Stopping => _stop.Token;

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
                        "Connect-OpenStack -Cloud <name from clouds.yaml>, or set the OS_* variables of an openrc file and run Connect-OpenStack."));
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
