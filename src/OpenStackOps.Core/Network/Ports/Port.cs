using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Ports
{
    /// <summary>
    /// A neutron port: the object that carries a server's public IPv4/IPv6 address on a provider network
    /// without floating IPs, and that is moved between servers to move the address.
    /// </summary>
    public sealed class Port
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        public string? NetworkId { get; set; }
        /// <summary>The network's name, when the cmdlet that wrote the port looked it up.</summary>
        public string? NetworkName { get; set; }
        public string? ProjectId { get; set; }
        /// <summary>ACTIVE, DOWN, BUILD...</summary>
        public string? Status { get; set; }
        public string? MacAddress { get; set; }
        /// <summary>The server (or router, DHCP agent...) the port is attached to; empty when free.</summary>
        public string? DeviceId { get; set; }
        /// <summary>compute:&lt;zone&gt; for a server's port; empty when free.</summary>
        public string? DeviceOwner { get; set; }
        /// <summary>The name of the server the port is attached to, when the cmdlet that wrote the port already knew the server (Get-NetworkPort -Server); else null (DeviceId is its id).</summary>
        public string? ServerName { get; set; }
        /// <summary>binding:host_id: the compute host the port is bound on (admin only).</summary>
        public string? BindingHost { get; set; }
        /// <summary>binding:profile as JSON text ("{}" when empty).</summary>
        public string? BindingProfile { get; set; }
        public ReadableList<PortFixedIp> FixedIps { get; set; } = ReadableList<PortFixedIp>.Empty;
        public string? Description { get; set; }
        public DateTimeOffset? Created { get; set; }
        public DateTimeOffset? Updated { get; set; }
        /// <summary>The request id of the call that created or changed the port, when this object came from one.</summary>
        public string? RequestId { get; set; }
        /// <summary>True for the port as it would be under -WhatIf (nothing was changed).</summary>
        public bool Planned { get; set; }

        /// <summary>The port's addresses (IPv4 and IPv6), as strings.</summary>
        public ReadableList<string> IpAddresses => new ReadableList<string>(FixedIps.Select(f => f.IpAddress));
        /// <summary>True when the port is attached to nothing.</summary>
        public bool IsFree => string.IsNullOrEmpty(DeviceId) && string.IsNullOrEmpty(DeviceOwner);
        /// <summary>True when nova owns the attachment (device_owner compute:*): the port belongs to server DeviceId.</summary>
        public bool IsServerPort => DeviceOwner != null && DeviceOwner.StartsWith("compute:", StringComparison.Ordinal);
        /// <summary>The server id when the port is a server's port, else null. Lets a port pipe into -Server.</summary>
        public string? ServerId => IsServerPort ? DeviceId : null;

        public bool HasAddress(string? ip) => FixedIps.Any(f => IpAddressText.SameAddress(f.IpAddress, ip));

        public override string ToString() => string.IsNullOrEmpty(Name) ? Id : Name!;

        [return: NotNullIfNotNull("p")]
        internal static Port? FromJson(JsonNode? p)
        {
            if (p == null) return null;
            var profile = p["binding:profile"];
            return new Port
            {
                Id = p.Str("id")!,
                Name = p.Str("name"),
                NetworkId = p.Str("network_id"),
                ProjectId = p.Str("project_id") ?? p.Str("tenant_id"),
                Status = p.Str("status"),
                MacAddress = p.Str("mac_address"),
                DeviceId = p.Str("device_id"),
                DeviceOwner = p.Str("device_owner"),
                BindingHost = p.Str("binding:host_id"),
                BindingProfile = profile == null ? null : profile.ToJsonString(),
                FixedIps = (p.Arr("fixed_ips") ?? new JsonArray())
                    .Select(f => new PortFixedIp(f.Str("subnet_id")!, f.Str("ip_address")!)).ToArray(),
                Description = p.Str("description"),
                Created = p.Date("created_at"),
                Updated = p.Date("updated_at"),
            };
        }
    }
}
