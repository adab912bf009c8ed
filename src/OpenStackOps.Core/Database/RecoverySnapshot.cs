namespace OpenStackOps.Database
{
    /// <summary>What the databases hold for one recovery, read before anything is planned or changed.</summary>
    public sealed class RecoverySnapshot
    {
        public List<InstanceRow> Instances { get; set; } = new List<InstanceRow>();
        /// <summary>Instance UUIDs the operator named that are not (undeleted) on the failed host.</summary>
        public List<string> MissingInstances { get; set; } = new List<string>();
        /// <summary>hypervisor_hostname of the destination's undeleted nova.compute_nodes rows.</summary>
        public List<string> DestinationNodes { get; set; } = new List<string>();
        public List<PortRow> Ports { get; set; } = new List<PortRow>();
        public List<PortBindingRow> Bindings { get; set; } = new List<PortBindingRow>();
        public List<PortBindingLevelRow> Levels { get; set; } = new List<PortBindingLevelRow>();
        /// <summary>Bindings on the failed host of ports that belong to none of these instances (left alone).</summary>
        public int OtherBindingsOnFailedHost { get; set; }
        /// <summary>The highest nova.instance_actions id when the rows were read: an action above it came after the move.</summary>
        public long InstanceActionMark { get; set; }
    }
}
