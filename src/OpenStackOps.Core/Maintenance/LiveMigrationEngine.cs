using OpenStackOps.Compute;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Drains servers off their hosts by live migration (cold migration for stopped servers when asked),
    /// at most <see cref="MigrationOptions.ThrottleLimit"/> at a time, and reports exactly one
    /// <see cref="MigrationResult"/> per server. Knows nothing of PowerShell: progress and results go to an
    /// <see cref="IMigrationObserver"/>, and the caller's CancellationToken (Ctrl+C) stops new moves while the
    /// ones in flight are reported as still running.
    /// </summary>
    public sealed class LiveMigrationEngine
    {
        private readonly ComputeClient _compute;
        private readonly IWaitClock _clock;

        public LiveMigrationEngine(ComputeClient compute, IWaitClock? clock = null)
        {
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
            _clock = clock ?? SystemWaitClock.Instance;
        }

        /// <summary>
        /// Starts a run that takes servers as they come (<see cref="LiveMigrationRun.Add"/>, e.g. from a pipeline)
        /// until <see cref="LiveMigrationRun.Complete"/>; its <see cref="LiveMigrationRun.Completion"/> ends with every result.
        /// </summary>
        public LiveMigrationRun Start(MigrationOptions options, IMigrationObserver? observer, CancellationToken ct)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            options.Validate();
            return LiveMigrationRun.Start(_compute, options, observer, _clock, ct);
        }

        /// <summary>Moves <paramref name="requests"/> and returns their results, one per request, in the order they ended.</summary>
        public Task<IReadOnlyList<MigrationResult>> RunAsync(IEnumerable<MigrationRequest> requests, MigrationOptions options,
            IMigrationObserver? observer, CancellationToken ct)
        {
            var run = Start(options, observer, ct);
            foreach (var r in requests) run.Add(r);
            run.Complete();
            return run.Completion;
        }
    }
}
