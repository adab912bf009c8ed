using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Hypervisors
{
    /// <summary>A hypervisor as os-hypervisors/detail describes it (the resource figures vanish from 2.88 on).</summary>
    public sealed class Hypervisor
    {
        public string Id { get; set; } = null!;
        public string HypervisorHostname { get; set; } = null!;
        public string? HypervisorType { get; set; }
        public string? HostIp { get; set; }
        public string? State { get; set; }
        public string? Status { get; set; }
        /// <summary>The nova-compute service host this hypervisor belongs to (may differ from the hypervisor name).</summary>
        public string? ServiceHost { get; set; }
        public int? Vcpus { get; set; }
        public int? VcpusUsed { get; set; }
        public long? MemoryMb { get; set; }
        public long? MemoryMbUsed { get; set; }
        public long? LocalGb { get; set; }
        public long? LocalGbUsed { get; set; }
        public int? RunningVms { get; set; }

        internal static Hypervisor FromJson(JsonNode h) => new Hypervisor
        {
            Id = h.Str("id")!,
            HypervisorHostname = h.Str("hypervisor_hostname")!,
            HypervisorType = h.Str("hypervisor_type"),
            HostIp = h.Str("host_ip"),
            State = h.Str("state"),
            Status = h.Str("status"),
            ServiceHost = h["service"]?.Str("host"),
            Vcpus = h.Int("vcpus"),
            VcpusUsed = h.Int("vcpus_used"),
            MemoryMb = h.Long("memory_mb"),
            MemoryMbUsed = h.Long("memory_mb_used"),
            LocalGb = h.Long("local_gb"),
            LocalGbUsed = h.Long("local_gb_used"),
            RunningVms = h.Int("running_vms"),
        };
    }
}
