using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Networks
{
    /// <summary>A neutron network (what GET /v2.0/networks/{id} says), with the fields address recovery needs.</summary>
    public sealed class NeutronNetwork
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        public string? ProjectId { get; set; }
        public bool Shared { get; set; }
        public bool External { get; set; }
        public string[] SubnetIds { get; set; } = new string[0];

        public override string ToString() => string.IsNullOrEmpty(Name) ? Id : Name!;

        [return: NotNullIfNotNull("n")]
        internal static NeutronNetwork? FromJson(JsonNode? n) => n == null ? null : new NeutronNetwork
        {
            Id = n.Str("id")!,
            Name = n.Str("name"),
            ProjectId = n.Str("project_id") ?? n.Str("tenant_id"),
            Shared = n.Bool("shared") ?? false,
            External = n.Bool("router:external") ?? false,
            SubnetIds = (n.Arr("subnets") ?? new JsonArray()).Select(s => (string?)s).ToArray()!,
        };
    }
}
