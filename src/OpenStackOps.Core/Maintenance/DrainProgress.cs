namespace OpenStackOps.Maintenance
{
    /// <summary>A snapshot of the whole run, for one overall progress bar.</summary>
    public sealed class DrainProgress
    {
        /// <summary>Servers given to the run so far (final once <see cref="InputComplete"/>).</summary>
        public int Total { get; set; }
        public bool InputComplete { get; set; }
        /// <summary>Servers with a result.</summary>
        public int Finished { get; set; }
        public int InFlight { get; set; }
        /// <summary>Given but not started yet (throttled).</summary>
        public int Waiting { get; set; }
        public int Succeeded { get; set; }
        public int Skipped { get; set; }
        /// <summary>Finished without success and not skipped (failed, rolled back, aborted, timed out...).</summary>
        public int Unsuccessful { get; set; }
        /// <summary>Memory copied by the migrations in flight, when asked for and reported.</summary>
        public long MemoryProcessedBytes { get; set; }
        public long MemoryTotalBytes { get; set; }

        /// <summary>Finished out of total, 0-100.</summary>
        public int PercentComplete => Total == 0 ? 0 : (int)(100L * Finished / Total);
    }
}
