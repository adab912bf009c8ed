using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Services
{
    /// <summary>One row of nova's os-services: a nova-compute (or other) service on a host.</summary>
    public sealed class ComputeService
    {
        /// <summary>UUID from 2.53, an integer before.</summary>
        public string Id { get; set; } = null!;
        public string? Binary { get; set; }
        public string Host { get; set; } = null!;
        public string? Zone { get; set; }
        /// <summary>enabled | disabled</summary>
        public string? Status { get; set; }
        /// <summary>up | down</summary>
        public string? State { get; set; }
        public string? DisabledReason { get; set; }
        public bool ForcedDown { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }

        public bool IdIsUuid => Guid.TryParse(Id, out _);

        /// <summary>A copy to change (a -WhatIf plan, an update merged into what was known).</summary>
        internal ComputeService Copy() => (ComputeService)MemberwiseClone();

        internal static ComputeService FromJson(JsonNode s) => new ComputeService
        {
            Id = s.Str("id")!,
            Binary = s.Str("binary"),
            Host = s.Str("host")!,
            Zone = s.Str("zone"),
            Status = s.Str("status"),
            State = s.Str("state"),
            DisabledReason = s.Str("disabled_reason"),
            ForcedDown = s.Bool("forced_down") ?? false,
            UpdatedAt = s.Date("updated_at"),
        };
    }
}
