namespace OpenStackOps.Placement
{
    /// <summary>What one consumer (a server, or a migration holding the source's share) holds on one provider.</summary>
    public sealed class ConsumerAllocation
    {
        public string ConsumerUuid { get; set; } = null!;
        public string ProviderUuid { get; set; } = null!;
        public string? ProviderName { get; set; }
        /// <summary>Resource class → amount, e.g. VCPU=2, MEMORY_MB=2048.</summary>
        public IReadOnlyDictionary<string, long> Resources { get; set; } = new Dictionary<string, long>();

        /// <summary>"VCPU=2, MEMORY_MB=2048, DISK_GB=20", in placement's order.</summary>
        public string ResourcesText => string.Join(", ", Resources.Select(r => r.Key + "=" + r.Value));
    }
}
