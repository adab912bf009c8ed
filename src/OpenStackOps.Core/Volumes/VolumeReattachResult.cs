using System;

namespace OpenStackOps.Volumes
{
    /// <summary>What reattaching one volume did.</summary>
    public sealed class VolumeReattachResult
    {
        public string Cloud { get; set; }
        public string ServerId { get; set; }
        public string ServerName { get; set; }
        public string VolumeId { get; set; }
        public string Device { get; set; }
        /// <summary>Planned, Reattached, Failed or TimedOut.</summary>
        public string Status { get; set; }
        /// <summary>The step that failed: detach, wait-available, attach, wait-in-use.</summary>
        public string FailedStep { get; set; }
        /// <summary>Cinder's status of the volume at the end.</summary>
        public string VolumeStatus { get; set; }
        public TimeSpan Duration { get; set; }
        /// <summary>Duration in seconds: a number in JSON and CSV.</summary>
        public double DurationSeconds => Math.Round(Duration.TotalSeconds, 3);
        public string Message { get; set; }
        public string Error { get; set; }
        public string DetachRequestId { get; set; }
        public string AttachRequestId { get; set; }

        public override string ToString() => $"{VolumeId} on {ServerName ?? ServerId}: {Status}";
    }
}
