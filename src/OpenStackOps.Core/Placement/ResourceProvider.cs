namespace OpenStackOps.Placement
{
    /// <summary>A placement resource provider; a compute node's is named after its hypervisor hostname.</summary>
    public sealed class ResourceProvider
    {
        public string Uuid { get; set; } = null!;
        public string? Name { get; set; }
        public override string ToString() => Name ?? Uuid;
    }
}
