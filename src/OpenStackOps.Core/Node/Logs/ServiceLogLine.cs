namespace OpenStackOps.Node.Logs
{
    /// <summary>
    /// One line of an OpenStack service's log (oslo.log's format) as found on a controller or compute node: when, where,
    /// which service and process, the request ids of its context and the instance it is about.
    /// </summary>
    public sealed class ServiceLogLine
    {
        /// <summary>The time the line was logged, as the node's clock wrote it (oslo.log logs local time; Debian controllers run UTC).</summary>
        public DateTime? Time { get; set; }
        /// <summary>The node the log file is on.</summary>
        public string Host { get; set; } = null!;
        /// <summary>The log file's name without .log: nova-api, nova-conductor, nova-scheduler, nova-compute, neutron-server, cinder-volume...</summary>
        public string Service { get; set; } = null!;
        public string File { get; set; } = null!;
        public int? ProcessId { get; set; }
        /// <summary>DEBUG, INFO, WARNING, ERROR, CRITICAL.</summary>
        public string? Level { get; set; }
        /// <summary>The Python logger (nova.scheduler.manager, oslo_messaging.rpc.server...).</summary>
        public string? Logger { get; set; }
        /// <summary>The request id of the line's context (the service's own).</summary>
        public string? RequestId { get; set; }
        /// <summary>The request id the caller passed along (nova's, in neutron's and cinder's lines of nova's calls), if any.</summary>
        public string? GlobalRequestId { get; set; }
        /// <summary>The instance the line is about ("[instance: uuid]").</summary>
        public string? InstanceId { get; set; }
        /// <summary>Why the line was returned: the id it carries in its context (RequestId), the id named only in its text by another request or an access-log line (Mentioned), a related id, or the time window (Window).</summary>
        public string? MatchedBy { get; set; }
        /// <summary>The text after the context.</summary>
        public string Message { get; set; } = null!;
        /// <summary>The whole line as logged.</summary>
        public string Line { get; set; } = null!;

        public override string ToString() => $"{Time:yyyy-MM-dd HH:mm:ss.fff} {Host} {Service}: {Message}";
    }
}
