namespace OpenStackOps.Database
{
    /// <summary>The columns of a <c>nova.instances</c> row that the recovery reads, changes or shows.</summary>
    public sealed class InstanceRow
    {
        public long Id { get; set; }
        public string Uuid { get; set; } = null!;
        public string? DisplayName { get; set; }
        public string? Host { get; set; }
        public string? Node { get; set; }
        public string? LaunchedOn { get; set; }
        public string? VmState { get; set; }
        public string? TaskState { get; set; }
        public long? Deleted { get; set; }
    }

    /// <summary>A <c>neutron.ports</c> row (the columns that tie it to an instance).</summary>
    public sealed class PortRow
    {
        public string Id { get; set; } = null!;
        public string DeviceId { get; set; } = null!;
        public string DeviceOwner { get; set; } = null!;
        public string Status { get; set; } = null!;
    }

    /// <summary>A whole <c>neutron.ml2_port_bindings</c> row; the primary key is (PortId, Host).</summary>
    public sealed class PortBindingRow
    {
        public string PortId { get; set; } = null!;
        public string Host { get; set; } = null!;
        public string VifType { get; set; } = null!;
        public string VnicType { get; set; } = null!;
        public string Profile { get; set; } = null!;
        public string VifDetails { get; set; } = null!;
        public string Status { get; set; } = null!;
    }

    /// <summary>A whole <c>neutron.ml2_port_binding_levels</c> row; the primary key is (PortId, Host, Level).</summary>
    public sealed class PortBindingLevelRow
    {
        public string PortId { get; set; } = null!;
        public string Host { get; set; } = null!;
        public int Level { get; set; }
        public string? Driver { get; set; }
        public string? SegmentId { get; set; }
    }
}
