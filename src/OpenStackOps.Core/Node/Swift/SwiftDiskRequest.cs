namespace OpenStackOps.Node.Swift
{
    /// <summary>What <see cref="SwiftDiskReplacer"/> is asked to do: which swift device of the node gets which new disk.</summary>
    public sealed class SwiftDiskRequest
    {
        /// <summary>The ring's device name (the directory under <see cref="DevicesPath"/>), e.g. sdb or d1.</summary>
        public string Device { get; set; } = null!;
        /// <summary>The new disk's block device (the whole disk, no partition); null: the one the node's fstab names.</summary>
        public string? DiskPath { get; set; }
        /// <summary>The object servers' devices directory (swift's <c>devices</c>, /srv/node).</summary>
        public string DevicesPath { get; set; } = "/srv/node";
        /// <summary>Format a disk that holds data (anything but an empty XFS swift device).</summary>
        public bool Force { get; set; }
        /// <summary>The owner of the mounted device (swift's <c>user</c>).</summary>
        public string Owner { get; set; } = "swift:swift";
        /// <summary>The object server as host:port; null: bind_ip/bind_port of the node's /etc/swift/object-server.conf.</summary>
        public string? ObjectServer { get; set; }
        /// <summary>How long to wait for replication to put the first objects on the new disk (zero: count once).</summary>
        public TimeSpan ReplicationTimeout { get; set; } = TimeSpan.FromSeconds(120);
        /// <summary>Between two counts of the disk's objects.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

        public string MountPoint => DevicesPath.TrimEnd('/') + "/" + Device;
    }
}
