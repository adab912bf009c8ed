using OpenStackOps.Compute.Hypervisors;
using OpenStackOps.Compute.Services;

namespace OpenStackOps.Compute.Nodes
{
    /// <summary>A compute host: its nova-compute service joined with its hypervisor figures.</summary>
    public sealed class ComputeNode
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        /// <summary>The nova-compute service host name, exactly as nova knows it.</summary>
        public string Host { get; set; } = null!;
        public string? Zone { get; set; }
        /// <summary>enabled | disabled (scheduling)</summary>
        public string? Status { get; set; }
        /// <summary>up | down (heartbeat)</summary>
        public string? State { get; set; }
        public string? DisabledReason { get; set; }
        public bool ForcedDown { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public string? ServiceId { get; set; }
        public ReadableList<string> HypervisorHostnames { get; set; } = ReadableList<string>.Empty;
        public string? HypervisorType { get; set; }
        public string? HostIp { get; set; }
        public int? RunningVms { get; set; }
        public int? VcpusUsed { get; set; }
        public int? Vcpus { get; set; }
        public long? MemoryMbUsed { get; set; }
        public long? MemoryMb { get; set; }
        public long? LocalGbUsed { get; set; }
        public long? LocalGb { get; set; }
        /// <summary>Request id of the update that produced this object (Disable/Enable -PassThru), else null.</summary>
        public string? RequestId { get; set; }
        /// <summary>True when this object describes a change that -WhatIf held back, not the node as it is.</summary>
        public bool Planned { get; set; }

        public bool IsEnabled => string.Equals(Status, "enabled", StringComparison.OrdinalIgnoreCase);
        public bool IsUp => string.Equals(State, "up", StringComparison.OrdinalIgnoreCase);

        /// <summary>This node with the service fields replaced by an updated service; figures kept.</summary>
        public ComputeNode WithService(ComputeService s, string? requestId)
        {
            var copy = (ComputeNode)MemberwiseClone();
            copy.TakeService(s);
            copy.RequestId = requestId;
            return copy;
        }

        /// <summary>
        /// The one copy of the service's fields onto the node (what an update's answer leaves out keeps its value;
        /// the disabled reason and forced-down flag are always the service's).
        /// </summary>
        private void TakeService(ComputeService s)
        {
            ServiceId = s.Id ?? ServiceId;
            Zone = s.Zone ?? Zone;
            Status = s.Status ?? Status;
            State = s.State ?? State;
            DisabledReason = s.DisabledReason;
            ForcedDown = s.ForcedDown;
            UpdatedAt = s.UpdatedAt ?? UpdatedAt;
        }

        public override string ToString() => Host;

        internal static ComputeNode Join(ComputeService s, IEnumerable<Hypervisor> hypervisors, string? cloud, string? region)
        {
            var hv = hypervisors.ToList();
            var node = new ComputeNode
            {
                Cloud = cloud,
                Region = region,
                Host = s.Host,
                HypervisorHostnames = hv.Select(h => h.HypervisorHostname).ToArray(),
                HypervisorType = hv.Select(h => h.HypervisorType).FirstOrDefault(),
                HostIp = hv.Select(h => h.HostIp).FirstOrDefault(),
                // Ironic-style hosts carry several hypervisors: the node's figures are their sums.
                RunningVms = Sum(hv, h => h.RunningVms),
                VcpusUsed = Sum(hv, h => h.VcpusUsed),
                Vcpus = Sum(hv, h => h.Vcpus),
                MemoryMbUsed = SumL(hv, h => h.MemoryMbUsed),
                MemoryMb = SumL(hv, h => h.MemoryMb),
                LocalGbUsed = SumL(hv, h => h.LocalGbUsed),
                LocalGb = SumL(hv, h => h.LocalGb),
            };
            node.TakeService(s);
            return node;
        }

        private static int? Sum(List<Hypervisor> hv, Func<Hypervisor, int?> f)
            => hv.Count == 0 || hv.Any(h => f(h) == null) ? (int?)null : hv.Sum(h => f(h)!.Value);

        private static long? SumL(List<Hypervisor> hv, Func<Hypervisor, long?> f)
            => hv.Count == 0 || hv.Any(h => f(h) == null) ? (long?)null : hv.Sum(h => f(h)!.Value);
    }
}
