namespace OpenStackOps.Database
{
    /// <summary>What the operator asks for: move the records of instances on a failed host to a destination host.</summary>
    public sealed class RecoveryRequest
    {
        public string FailedHost { get; set; } = null!;
        public string Destination { get; set; } = null!;
        /// <summary>The destination's hypervisor hostname (nova.instances.node); default: read from nova.compute_nodes.</summary>
        public string? DestinationNode { get; set; }
        /// <summary>Only these instances; empty means every undeleted instance on the failed host.</summary>
        public IReadOnlyCollection<string> InstanceUuids { get; set; } = new string[0];
    }
}
