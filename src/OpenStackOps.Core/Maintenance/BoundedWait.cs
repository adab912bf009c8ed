namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// The engine's one way to wait for something with a time limit: read, decide, pause, on an
    /// <see cref="IWaitClock"/>, so that tests drive every such wait with a virtual clock instead of sleeping.
    /// The limit counts from construction, so one instance can bound several waits in a row.
    /// </summary>
    public sealed class BoundedWait
    {
        private readonly IWaitClock _clock;

        public BoundedWait(IWaitClock? clock, TimeSpan timeout, TimeSpan interval)
        {
            _clock = clock ?? SystemWaitClock.Instance;
            Timeout = timeout;
            Interval = interval;
            StartedAt = _clock.UtcNow;
        }

        public TimeSpan Timeout { get; }
        public TimeSpan Interval { get; }
        public DateTimeOffset StartedAt { get; }
        public DateTimeOffset Now => _clock.UtcNow;
        public TimeSpan Elapsed => _clock.UtcNow - StartedAt;

        /// <summary>True once more than <see cref="Timeout"/> has passed since the start.</summary>
        public bool IsOver => Elapsed > Timeout;

        /// <summary>Waits one <see cref="Interval"/>; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
        public Task PauseAsync(CancellationToken ct) => _clock.DelayAsync(Interval, ct);

        /// <summary>
        /// Reads with <paramref name="probe"/> until <paramref name="settled"/> accepts what it read or the time is up,
        /// pausing <see cref="Interval"/> between reads (also before the first with <paramref name="pauseFirst"/>).
        /// Returns the last value read and whether it settled; a probe's exception ends the wait.
        /// </summary>
        public async Task<(T Last, bool Settled)> UntilAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> settled, CancellationToken ct, bool pauseFirst = false)
        {
            while (true)
            {
                if (pauseFirst) await PauseAsync(ct).ConfigureAwait(false);
                var value = await probe(ct).ConfigureAwait(false);
                if (settled(value)) return (value, true);
                if (IsOver) return (value, false);
                if (!pauseFirst) await PauseAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
