namespace OpenStackOps.Database
{
    /// <summary>The columns of a <c>nova.instances</c> row that the recovery reads, changes or shows.</summary>
    public sealed class InstanceRow
    {
        public long Id { get; set; }
        public string Uuid { get; set; }
        public string DisplayName { get; set; }
        public string Host { get; set; }
        public string Node { get; set; }
        public string LaunchedOn { get; set; }
        public string VmState { get; set; }
        public string TaskState { get; set; }
        public long? Deleted { get; set; }
    }

    /// <summary>A <c>neutron.ports</c> row (the columns that tie it to an instance).</summary>
    public sealed class PortRow
    {
        public string Id { get; set; }
        public string DeviceId { get; set; }
        public string DeviceOwner { get; set; }
        public string Status { get; set; }
    }

    /// <summary>A whole <c>neutron.ml2_port_bindings</c> row; the primary key is (PortId, Host).</summary>
    public sealed class PortBindingRow
    {
        public string PortId { get; set; }
        public string Host { get; set; }
        public string VifType { get; set; }
        public string VnicType { get; set; }
        public string Profile { get; set; }
        public string VifDetails { get; set; }
        public string Status { get; set; }
    }

    /// <summary>A whole <c>neutron.ml2_port_binding_levels</c> row; the primary key is (PortId, Host, Level).</summary>
    public sealed class PortBindingLevelRow
    {
        public string PortId { get; set; }
        public string Host { get; set; }
        public int Level { get; set; }
        public string Driver { get; set; }
        public string SegmentId { get; set; }
    }
}
