namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// "Something was added since you last looked": lets the run's loop sleep until the pipeline hands it a
    /// server, without holding a thread. A wake-up may be spurious; the loop re-checks its queue.
    /// </summary>
    internal sealed class InputSignal
    {
        private readonly object _gate = new object();
        private TaskCompletionSource<bool> _pending = NewSource();

        internal void Set()
        {
            lock (_gate) _pending.TrySetResult(true);
        }

        /// <summary>Completes at the next <see cref="Set"/>, or at once if one happened since the last call.</summary>
        internal Task WaitAsync()
        {
            lock (_gate)
            {
                if (!_pending.Task.IsCompleted) return _pending.Task;
                _pending = NewSource();
                return Task.CompletedTask;
            }
        }

        private static TaskCompletionSource<bool> NewSource()
            => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
