using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.InstanceActions
{
    /// <summary>
    /// What nova recorded for one API request on a server (GET /servers/{id}/os-instance-actions/{request_id}):
    /// the action (live-migration, migrate, confirmResize…), its message and its events.
    /// </summary>
    public sealed class InstanceAction
    {
        public string? Action { get; set; }
        public string? InstanceUuid { get; set; }
        public string? RequestId { get; set; }
        /// <summary>Set by nova when the action failed (often just "Error"); the events say why.</summary>
        public string? Message { get; set; }
        public string? ProjectId { get; set; }
        public string? UserId { get; set; }
        public DateTimeOffset? StartTime { get; set; }
        /// <summary>2.58+.</summary>
        public DateTimeOffset? UpdatedAt { get; set; }
        public IReadOnlyList<InstanceActionEvent> Events { get; set; } = new InstanceActionEvent[0];

        /// <summary>
        /// Why the action failed, in nova's words: every failed event as "event: reason", else the action's
        /// message; null when nothing failed.
        /// </summary>
        public string? FailureReason
        {
            get
            {
                var failed = Events.Where(e => e.Failed).ToList();
                if (failed.Count > 0)
                    return string.Join("; ", failed.Select(e => e.Reason == null ? e.Event + " failed" : e.Event + ": " + e.Reason));
                return string.IsNullOrWhiteSpace(Message) ? null : Message;
            }
        }

        internal static InstanceAction FromJson(JsonNode a) => new InstanceAction
        {
            Action = a.Str("action"),
            InstanceUuid = a.Str("instance_uuid"),
            RequestId = a.Str("request_id"),
            Message = a.Str("message"),
            ProjectId = a.Str("project_id"),
            UserId = a.Str("user_id"),
            StartTime = a.Date("start_time"),
            UpdatedAt = a.Date("updated_at"),
            Events = (a.Arr("events") ?? new JsonArray()).Select(e => InstanceActionEvent.FromJson(e!)).ToList(),
        };
    }
}
