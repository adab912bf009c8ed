namespace OpenStackOps.Placement
{
    /// <summary>
    /// A compute node's room as placement counts it (the scheduler's own figures, allocation ratios and reserved
    /// amounts included), with vCPU, RAM and disk flat for tables and CSV and every resource class in <see cref="Resources"/>.
    /// </summary>
    public sealed class NodeCapacity
    {
        /// <summary>The nova-compute service host.</summary>
        public string? Host { get; set; }
        /// <summary>The hypervisor node, which names its resource provider.</summary>
        public string? Node { get; set; }
        public string? ProviderId { get; set; }
        public ReadableList<ResourceCapacity> Resources { get; set; } = ReadableList<ResourceCapacity>.Empty;

        public long VcpuCapacity => Of("VCPU")?.Capacity ?? 0;
        public long VcpuUsed => Of("VCPU")?.Used ?? 0;
        public long VcpuFree => Of("VCPU")?.Free ?? 0;
        public double VcpuAllocationRatio => Of("VCPU")?.AllocationRatio ?? 0;
        public long MemoryMbCapacity => Of("MEMORY_MB")?.Capacity ?? 0;
        public long MemoryMbUsed => Of("MEMORY_MB")?.Used ?? 0;
        public long MemoryMbFree => Of("MEMORY_MB")?.Free ?? 0;
        public double MemoryMbAllocationRatio => Of("MEMORY_MB")?.AllocationRatio ?? 0;
        public long DiskGbCapacity => Of("DISK_GB")?.Capacity ?? 0;
        public long DiskGbUsed => Of("DISK_GB")?.Used ?? 0;
        public long DiskGbFree => Of("DISK_GB")?.Free ?? 0;
        public double DiskGbAllocationRatio => Of("DISK_GB")?.AllocationRatio ?? 0;
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public ResourceCapacity? Of(string resourceClass) => Resources.FirstOrDefault(r => r.ResourceClass == resourceClass);

        public override string? ToString() => Node ?? Host;
    }
}
