namespace OpenStackOps.Placement
{
    /// <summary>
    /// One resource class of one provider as the scheduler sees it: (total - reserved) × allocation ratio is what it
    /// may hand out, used is what placement's allocations hold.
    /// </summary>
    public sealed class ResourceCapacity
    {
        public string ResourceClass { get; set; } = null!;
        public long Total { get; set; }
        public long Reserved { get; set; }
        public double AllocationRatio { get; set; } = 1.0;
        /// <summary>The largest amount one consumer may take (placement's max_unit).</summary>
        public long MaxUnit { get; set; }
        public long Used { get; set; }
        /// <summary>(Total - Reserved) × AllocationRatio, rounded down as placement does.</summary>
        public long Capacity => (long)((Total - Reserved) * AllocationRatio);
        public long Free => Capacity - Used;

        public override string ToString() => $"{ResourceClass} {Used}/{Capacity}";
    }
}
