namespace OpenStackOps.Volumes
{
    /// <summary>What reattaching one volume did.</summary>
    public sealed class VolumeReattachResult
    {
        public string? Cloud { get; set; }
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string VolumeId { get; set; } = null!;
        public string? Device { get; set; }
        /// <summary>Planned, Reattached, Failed or TimedOut.</summary>
        public string Status { get; set; } = null!;
        /// <summary>The step that failed: detach, wait-available, attach, wait-in-use.</summary>
        public string? FailedStep { get; set; }
        /// <summary>Cinder's status of the volume at the end.</summary>
        public string? VolumeStatus { get; set; }
        /// <summary>The time taken as the engine measured it.</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>
        /// The time taken as text, [d.]hh:mm:ss to the second: the same in a table, in JSON and in CSV (`[TimeSpan]$r.Duration`
        /// gives the TimeSpan back). Settable, e.g. for a runbook test's data.
        /// </summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond): a number in JSON and CSV, for sums and sorting.</summary>
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 3);
        public string? Message { get; set; }
        public string? Error { get; set; }
        public string? DetachRequestId { get; set; }
        public string? AttachRequestId { get; set; }

        public override string ToString() => $"{VolumeId} on {ServerName ?? ServerId}: {Status}";
    }
}
