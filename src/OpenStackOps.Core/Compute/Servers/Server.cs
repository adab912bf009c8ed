using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>A server (instance) with the admin-only placement details an operator needs on a host.</summary>
    public sealed class Server
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        /// <summary>ACTIVE, SHUTOFF, ERROR, MIGRATING, ...</summary>
        public string? Status { get; set; }
        public string? VmState { get; set; }
        public string? TaskState { get; set; }
        internal PowerState Power { get; set; }
        /// <summary>The name of nova's power state (Running, Shutdown, NoState...): text, so it reads the same after an export.</summary>
        public string PowerState => Power.ToString();
        /// <summary>The nova-compute service host (OS-EXT-SRV-ATTR:host).</summary>
        public string? Host { get; set; }
        /// <summary>The hypervisor node (OS-EXT-SRV-ATTR:hypervisor_hostname).</summary>
        public string? HypervisorHostname { get; set; }
        /// <summary>The libvirt domain name, e.g. instance-0000002a (OS-EXT-SRV-ATTR:instance_name).</summary>
        public string? InstanceName { get; set; }
        public string? AvailabilityZone { get; set; }
        public string? ProjectId { get; set; }
        public string? UserId { get; set; }
        /// <summary>Flavor name (2.47+) or id (older clouds).</summary>
        public string? Flavor { get; set; }
        public int? FlavorVcpus { get; set; }
        public int? FlavorRamMb { get; set; }
        public int? FlavorDiskGb { get; set; }
        /// <summary>Image id, or null when the server boots from a volume.</summary>
        public string? ImageId { get; set; }
        public bool BootFromVolume => string.IsNullOrEmpty(ImageId);
        /// <summary>Addresses as "network=ip" strings, fixed before floating.</summary>
        public ReadableList<string> Addresses { get; set; } = ReadableList<string>.Empty;
        public ReadableList<string> AttachedVolumeIds { get; set; } = ReadableList<string>.Empty;
        /// <summary>UP, DOWN, MAINTENANCE, UNKNOWN or empty (2.16+, admin).</summary>
        public string? HostStatus { get; set; }
        public bool? Locked { get; set; }
        public DateTimeOffset? Created { get; set; }
        public DateTimeOffset? Updated { get; set; }
        /// <summary>Nova's fault for an ERROR server: "message (code N)", or null.</summary>
        public string? Fault { get; set; }
        public DateTimeOffset? FaultAt { get; set; }

        public override string ToString() => Name ?? Id;

        internal static Server FromJson(JsonNode s)
        {
            var flavor = s["flavor"];
            var image = s["image"];
            return new Server
            {
                Id = s.Str("id")!,
                Name = s.Str("name"),
                Status = s.Str("status"),
                VmState = s.Str("OS-EXT-STS:vm_state"),
                TaskState = s.Str("OS-EXT-STS:task_state"),
                Power = (PowerState)(s.Int("OS-EXT-STS:power_state") ?? 0),
                Host = s.Str("OS-EXT-SRV-ATTR:host"),
                HypervisorHostname = s.Str("OS-EXT-SRV-ATTR:hypervisor_hostname"),
                InstanceName = s.Str("OS-EXT-SRV-ATTR:instance_name"),
                AvailabilityZone = s.Str("OS-EXT-AZ:availability_zone"),
                ProjectId = s.Str("tenant_id") ?? s.Str("project_id"),
                UserId = s.Str("user_id"),
                Flavor = flavor.Str("original_name") ?? flavor.Str("id"),
                FlavorVcpus = flavor.Int("vcpus"),
                FlavorRamMb = flavor.Int("ram"),
                FlavorDiskGb = flavor.Int("disk"),
                // Boot-from-volume servers have "image": "" instead of an object.
                ImageId = image is JsonObject ? image.Str("id") : null,
                Addresses = ParseAddresses(s["addresses"] as JsonObject),
                AttachedVolumeIds = (s.Arr("os-extended-volumes:volumes_attached") ?? new JsonArray())
                    .Select(v => v.Str("id")).Where(id => id != null).ToArray()!,
                HostStatus = s.Str("host_status"),
                Locked = s.Bool("locked"),
                Created = s.Date("created"),
                Updated = s.Date("updated"),
                Fault = FaultText(s["fault"]),
                FaultAt = s["fault"].Date("created"),
            };
        }

        private static string? FaultText(JsonNode? fault)
        {
            string? message = fault.Str("message");
            if (message == null) return null;
            int? code = fault.Int("code");
            return code.HasValue ? $"{message} (code {code})" : message;
        }

        private static string[] ParseAddresses(JsonObject? addresses)
        {
            if (addresses == null) return new string[0];
            var fixedIps = new List<string>();
            var floating = new List<string>();
            foreach (var network in addresses)
            {
                if (!(network.Value is JsonArray list)) continue;
                foreach (var a in list)
                {
                    string text = network.Key + "=" + a.Str("addr");
                    if (a.Str("OS-EXT-IPS:type") == "floating") floating.Add(text); else fixedIps.Add(text);
                }
            }
            return fixedIps.Concat(floating).ToArray();
        }
    }
}
