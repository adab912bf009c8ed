namespace OpenStackOps.Node.Recovery
{
    /// <summary>One server of a node after the after-reboot step: what was asked of nova and how it ended.</summary>
    public sealed class ServerRestartResult
    {
        public string Host { get; set; } = null!;
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string? StatusBefore { get; set; }
        /// <summary>Start, Reboot, HardReboot, or None (skipped, or -WhatIf).</summary>
        public string Action { get; set; } = null!;
        public string? RequestId { get; set; }
        /// <summary>The server's status at the end (ACTIVE when it came back).</summary>
        public string? Status { get; set; }
        public string? TaskState { get; set; }
        public bool Succeeded { get; set; }
        /// <summary>The time taken as the engine measured it.</summary>
        internal TimeSpan ElapsedTime { get; set; }
        /// <summary>
        /// The time taken as text, [d.]hh:mm:ss to the second: the same in a table, in JSON and in CSV (`[TimeSpan]$r.Elapsed`
        /// gives the TimeSpan back). Settable, e.g. for a runbook test's data.
        /// </summary>
        public string Elapsed { get => Common.DurationText.Format(ElapsedTime); set => ElapsedTime = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond): a number in JSON and CSV, for sums and sorting.</summary>
        public double ElapsedSeconds => Math.Round(ElapsedTime.TotalSeconds, 3);
        public string? Message { get; set; }
        /// <summary>nova-compute log lines on the node that name this server, when it did not come back.</summary>
        public ReadableList<string> LogLines { get; set; } = ReadableList<string>.Empty;

        public override string ToString() => $"{ServerName ?? ServerId}: {Action} -> {Status}";
    }
}
