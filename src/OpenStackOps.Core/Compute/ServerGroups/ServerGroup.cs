using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.ServerGroups
{
    /// <summary>
    /// A nova server group (os-server-groups): its policy (anti-affinity, affinity, soft-anti-affinity, soft-affinity)
    /// and its members' server ids. Hard policies are enforced by nova's scheduler filters; soft ones only weigh.
    /// </summary>
    public sealed class ServerGroup
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        /// <summary>anti-affinity, affinity, soft-anti-affinity or soft-affinity.</summary>
        public string? Policy { get; set; }
        /// <summary>Anti-affinity only (2.64+ rules): at most this many members on one host; 1 when not given.</summary>
        public int MaxServerPerHost { get; set; } = 1;
        public ReadableList<string> Members { get; set; } = ReadableList<string>.Empty;
        public string? ProjectId { get; set; }

        public bool IsAntiAffinity => string.Equals(Policy, "anti-affinity", StringComparison.OrdinalIgnoreCase);
        public bool IsAffinity => string.Equals(Policy, "affinity", StringComparison.OrdinalIgnoreCase);
        public bool IsSoftAntiAffinity => string.Equals(Policy, "soft-anti-affinity", StringComparison.OrdinalIgnoreCase);
        public bool IsSoftAffinity => string.Equals(Policy, "soft-affinity", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"{Name ?? Id} ({Policy})";

        internal static ServerGroup FromJson(JsonNode g)
        {
            // 2.64 replaced "policies": [..] with "policy" and "rules".
            string? policy = g.Str("policy") ?? g.Arr("policies")?.Select(p => p?.GetValue<string>()).FirstOrDefault(p => p != null);
            return new ServerGroup
            {
                Id = g.Str("id")!,
                Name = g.Str("name"),
                Policy = policy,
                MaxServerPerHost = g["rules"]?.Int("max_server_per_host") ?? 1,
                Members = (g.Arr("members") ?? new JsonArray()).Select(m => m?.GetValue<string>()).Where(m => m != null).ToArray()!,
                ProjectId = g.Str("project_id"),
            };
        }
    }
}
