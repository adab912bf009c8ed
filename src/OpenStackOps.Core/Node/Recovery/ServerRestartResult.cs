using System;

namespace OpenStackOps.Node.Recovery
{
    /// <summary>One server of a node after the after-reboot step: what was asked of nova and how it ended.</summary>
    public sealed class ServerRestartResult
    {
        public string Host { get; set; }
        public string ServerId { get; set; }
        public string ServerName { get; set; }
        public string StatusBefore { get; set; }
        /// <summary>Start, Reboot, HardReboot, or None (skipped, or -WhatIf).</summary>
        public string Action { get; set; }
        public string RequestId { get; set; }
        /// <summary>The server's status at the end (ACTIVE when it came back).</summary>
        public string Status { get; set; }
        public string TaskState { get; set; }
        public bool Succeeded { get; set; }
        public TimeSpan Elapsed { get; set; }
        /// <summary>Elapsed in seconds: a number in JSON and CSV.</summary>
        public double ElapsedSeconds => Math.Round(Elapsed.TotalSeconds, 3);
        public string Message { get; set; }
        /// <summary>nova-compute log lines on the node that name this server, when it did not come back.</summary>
        public ReadableList<string> LogLines { get; set; } = ReadableList<string>.Empty;

        public override string ToString() => $"{ServerName ?? ServerId}: {Action} -> {Status}";
    }
}
