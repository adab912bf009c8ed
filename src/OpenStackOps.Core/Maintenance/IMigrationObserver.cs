namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Receives a run's progress and results as they happen. Called on thread-pool threads, one call at a time:
    /// a PowerShell cmdlet must queue what it gets and write it on the pipeline thread
    /// (<see cref="MigrationEventQueue"/> does exactly that).
    /// </summary>
    public interface IMigrationObserver
    {
        void OnServerProgress(MigrationProgress progress);
        void OnOverallProgress(DrainProgress progress);
        /// <summary>Each server's one result, as soon as it is known.</summary>
        void OnResult(MigrationResult result);
        /// <summary>A line for verbose output (what was submitted, polled, aborted...).</summary>
        void OnMessage(string message);
    }
}
