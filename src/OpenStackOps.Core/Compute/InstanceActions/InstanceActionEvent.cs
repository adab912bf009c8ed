using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.InstanceActions
{
    /// <summary>
    /// One step of an instance action (e.g. conductor_live_migrate_instance, compute_live_migration) and how it
    /// ended. The traceback is shown to admins only from 2.51; host/hostId from 2.62; details from 2.84.
    /// </summary>
    public sealed class InstanceActionEvent
    {
        public string? Event { get; set; }
        /// <summary>"Success", "Error", or null while the step still runs.</summary>
        public string? Result { get; set; }
        public DateTimeOffset? StartTime { get; set; }
        public DateTimeOffset? FinishTime { get; set; }
        /// <summary>The Python traceback of a failed step (admin; null when hidden by policy or microversion).</summary>
        public string? Traceback { get; set; }
        /// <summary>The failure's message without the traceback (2.84+).</summary>
        public string? Details { get; set; }
        /// <summary>The compute host that ran the step (2.62+, admin).</summary>
        public string? Host { get; set; }

        public bool Failed => string.Equals(Result, "Error", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Nova's own words for a failed step: <see cref="Details"/> (2.84+), else the last line of the traceback,
        /// which is the exception and its message ("nova.exception.MigrationPreCheckError: …"). Null when neither exists.
        /// </summary>
        public string? Reason
        {
            get
            {
                if (!string.IsNullOrWhiteSpace(Details)) return Details!.Trim();
                if (string.IsNullOrWhiteSpace(Traceback)) return null;
                var lines = Traceback!.Replace("\r", "").Split('\n');
                for (int i = lines.Length - 1; i >= 0; i--)
                    if (!string.IsNullOrWhiteSpace(lines[i])) return lines[i].Trim();
                return null;
            }
        }

        internal static InstanceActionEvent FromJson(JsonNode e) => new InstanceActionEvent
        {
            Event = e.Str("event"),
            Result = e.Str("result"),
            StartTime = e.Date("start_time"),
            FinishTime = e.Date("finish_time"),
            Traceback = e.Str("traceback"),
            Details = e.Str("details"),
            Host = e.Str("host"),
        };
    }
}
