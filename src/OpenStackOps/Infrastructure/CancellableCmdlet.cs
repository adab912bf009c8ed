using System.Management.Automation;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that waits for engine work: cancellation on Ctrl+C (StopProcessing), a queue for the
    /// messages the work leaves on other threads, and <see cref="WaitHere"/>, the one place that waits on the
    /// pipeline thread while writing them.
    /// </summary>
    public abstract class CancellableCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineMessageQueue _messages = new PipelineMessageQueue();

        /// <summary>Cancelled by Ctrl+C (StopProcessing). Not Cmdlet.Stopping, the bool that says the same.</summary>
        protected CancellationToken StopToken => _stop.Token;

        internal PipelineMessageQueue Messages => _messages;

        /// <summary>
        /// Whether this invocation runs under -WhatIf, bound or inherited: an explicit -WhatIf[:$false] wins, otherwise
        /// $WhatIfPreference as the caller's scope sees it (a runbook run with -WhatIf, or `$WhatIfPreference = $true`),
        /// which is what ShouldProcess itself decides by.
        /// </summary>
        protected bool IsWhatIf
            => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
                ? w is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(w)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// Blocks the pipeline thread until <paramref name="task"/> ends, writing the queued messages as they arrive
        /// and calling <paramref name="eachTick"/> (with whether Ctrl+C was pressed) before each drain.
        /// </summary>
        internal void WaitHere(Task task, Action<bool>? eachTick = null)
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
            {
                eachTick?.Invoke(_stop.IsCancellationRequested);
                _messages.Drain(this);
            }
            eachTick?.Invoke(_stop.IsCancellationRequested);
            _messages.Drain(this);
        }

        /// <summary>Runs engine work and waits for it here (<see cref="WaitHere"/>); Ctrl+C cancels it through <see cref="StopToken"/>.</summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = work(_stop.Token);
            WaitHere(task);
            return task.GetAwaiter().GetResult();
        }

        internal void Run(Func<CancellationToken, Task> work)
        {
            var task = work(_stop.Token);
            WaitHere(task);
            task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Like Run, but when the pipeline is stopped (Ctrl+C) it keeps waiting, without writing, until the work has
        /// finished its cleanup (deleting the ports it created, say), and only then lets the stop through.
        /// </summary>
        internal T RunToEnd<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = work(_stop.Token);
            try
            {
                WaitHere(task);
            }
            catch (PipelineStoppedException)
            {
                try { task.Wait(TimeSpan.FromMinutes(5)); } catch (AggregateException) { }
                throw;
            }
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Writes a non-terminating error for a failed operation on <paramref name="target"/>; a stopped pipeline goes through.</summary>
        internal void WriteFailure(Exception e, string operation, object? target)
        {
            _messages.Drain(this);
            if (e is PipelineStoppedException) throw e;
            WriteError(ErrorRecords.FromException(e, operation, target));
        }

        protected override void StopProcessing() => _stop.Cancel();

        protected override void EndProcessing() => _messages.Drain(this);

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing) _stop.Dispose();
        }
    }
}
