namespace OpenStackOps.Placement
{
    /// <summary>
    /// Everything one consumer (a server) holds in placement, as GET /allocations/{consumer} (1.28+) shows it: per
    /// provider its resources, and the consumer's generation, which a PUT must quote so that a concurrent change is
    /// refused (409) instead of overwritten.
    /// </summary>
    public sealed class ConsumerAllocations
    {
        public string ConsumerUuid { get; set; } = null!;
        public string? ProjectId { get; set; }
        public string? UserId { get; set; }
        /// <summary>Null when placement has no allocation for the consumer (a new consumer).</summary>
        public long? ConsumerGeneration { get; set; }
        /// <summary>Provider uuid → resource class → amount.</summary>
        public Dictionary<string, Dictionary<string, long>> Providers { get; set; } = new Dictionary<string, Dictionary<string, long>>();

        /// <summary>The same providers and amounts (generations aside).</summary>
        public static bool SameHoldings(IDictionary<string, Dictionary<string, long>> a, IDictionary<string, Dictionary<string, long>> b)
        {
            if (a.Count != b.Count) return false;
            foreach (var p in a)
            {
                if (!b.TryGetValue(p.Key, out var other) || other.Count != p.Value.Count) return false;
                if (p.Value.Any(r => !other.TryGetValue(r.Key, out long v) || v != r.Value)) return false;
            }
            return true;
        }

        /// <summary>"provider: VCPU=1, MEMORY_MB=512; …".</summary>
        public static string Text(IDictionary<string, Dictionary<string, long>> providers, IDictionary<string, string>? names = null)
            => providers.Count == 0 ? "none" : string.Join("; ", providers.Select(p =>
                (names != null && names.TryGetValue(p.Key, out var n) ? n : p.Key) + ": " + string.Join(", ", p.Value.Select(r => r.Key + "=" + r.Value))));
    }
}
