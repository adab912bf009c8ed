using System.Text;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Ports
{
    /// <summary>Filters of GET /v2.0/ports; neutron ANDs them. Unset filters are not sent.</summary>
    public sealed class PortQuery
    {
        public string? NetworkId { get; set; }
        /// <summary>The attached server's id (device_id).</summary>
        public string? DeviceId { get; set; }
        /// <summary>Exact name.</summary>
        public string? Name { get; set; }
        /// <summary>An exact address: fixed_ips=ip_address=….</summary>
        public string? IpAddress { get; set; }
        public string? ProjectId { get; set; }

        internal string ToQueryString()
        {
            var parts = new List<string>();
            if (NetworkId != null) parts.Add("network_id=" + Json.Escape(NetworkId));
            if (DeviceId != null) parts.Add("device_id=" + Json.Escape(DeviceId));
            if (Name != null) parts.Add("name=" + Json.Escape(Name));
            if (IpAddress != null) parts.Add("fixed_ips=" + Json.Escape("ip_address=" + IpAddress));
            if (ProjectId != null) parts.Add("project_id=" + Json.Escape(ProjectId));
            var sb = new StringBuilder();
            foreach (var p in parts) sb.Append(sb.Length == 0 ? "?" : "&").Append(p);
            return sb.ToString();
        }
    }
}
