namespace OpenStackOps.Database
{
    /// <summary>
    /// One server's placement allocation as the database path moves it: what it held before (the pre-image, with the
    /// consumer generation it was read at) and what it holds after (the failed node's provider replaced by the
    /// destination's). Journaled with the rows.
    /// </summary>
    public sealed class AllocationMove
    {
        public string ConsumerUuid { get; set; } = null!;
        public string? ProjectId { get; set; }
        public string? UserId { get; set; }
        public string SourceProvider { get; set; } = null!;
        public string? SourceProviderName { get; set; }
        public string DestinationProvider { get; set; } = null!;
        public string? DestinationProviderName { get; set; }
        public long? ConsumerGeneration { get; set; }
        /// <summary>Provider uuid → resource class → amount, before the move.</summary>
        public Dictionary<string, Dictionary<string, long>> Before { get; set; } = new Dictionary<string, Dictionary<string, long>>();
        /// <summary>The same after the move.</summary>
        public Dictionary<string, Dictionary<string, long>> After { get; set; } = new Dictionary<string, Dictionary<string, long>>();
        /// <summary>True once placement holds <see cref="After"/> (set as each PUT is answered).</summary>
        public bool Moved { get; set; }

        /// <summary>What -WhatIf shows: "PUT /allocations/{uuid}: c03 (VCPU=1, MEMORY_MB=512) -> c02".</summary>
        public string Display => $"PUT /allocations/{ConsumerUuid} (consumer generation {ConsumerGeneration}): " +
            $"{SourceProviderName} ({string.Join(", ", Resources())}) -> {DestinationProviderName}";

        private IEnumerable<string> Resources()
        {
            if (Before.TryGetValue(SourceProvider ?? "", out var r))
                foreach (var kv in r) yield return kv.Key + "=" + kv.Value;
        }

        public override string ToString() => Display;
    }
}
