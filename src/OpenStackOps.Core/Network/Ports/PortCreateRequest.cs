using System.Text.Json.Nodes;

namespace OpenStackOps.Network.Ports
{
    /// <summary>
    /// One port to create: POST /v2.0/ports {"port": {...}}, or one element of a bulk {"ports": [...]}.
    /// An exact <see cref="IpAddress"/> is sent as fixed_ips [{subnet_id, ip_address}], which neutron's policy
    /// allows only to admins and members of the project that owns the network (create_port:fixed_ips:ip_address).
    /// </summary>
    public sealed class PortCreateRequest
    {
        public PortCreateRequest(string networkId, string? name)
        {
            NetworkId = networkId;
            Name = name;
        }

        public string NetworkId { get; }
        public string? Name { get; }
        public string? Description { get; set; }
        /// <summary>With <see cref="IpAddress"/>: the subnet to take it from.</summary>
        public string? SubnetId { get; set; }
        /// <summary>The exact address to ask for; null lets neutron choose.</summary>
        public string? IpAddress { get; set; }

        internal JsonObject ToJson()
        {
            var port = new JsonObject { ["network_id"] = NetworkId };
            if (Name != null) port["name"] = Name;
            if (Description != null) port["description"] = Description;
            if (IpAddress != null)
            {
                var fixedIp = new JsonObject();
                if (SubnetId != null) fixedIp["subnet_id"] = SubnetId;
                fixedIp["ip_address"] = IpAddress;
                port["fixed_ips"] = new JsonArray(fixedIp);
            }
            return port;
        }
    }
}
