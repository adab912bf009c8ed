namespace OpenStackOps.Node.Disks
{
    /// <summary>What to mount: a server's disk (and disk.local), how, and why.</summary>
    public sealed class InstanceDiskRequest
    {
        public string ServerId { get; set; }
        public string ServerName { get; set; }
        /// <summary>The libvirt domain name (OS-EXT-SRV-ATTR:instance_name).</summary>
        public string Domain { get; set; }
        public bool IncludeLocalDisk { get; set; }
        /// <summary>Partition number of the root disk; null: the first partition, or the whole device if it has none; 0: the whole device.</summary>
        public int? Partition { get; set; }
        public bool ReadWrite { get; set; }
        /// <summary>raw, qcow2, or null to read the image header.</summary>
        public string Format { get; set; }
        public string Justification { get; set; }
        /// <summary>Who asked (the local user), for the node's audit log.</summary>
        public string RequestedBy { get; set; }
        public string InstancesPath { get; set; } = "/var/lib/nova/instances";
        public string MountRoot { get; set; } = InstanceDiskInspector.DefaultMountRoot;
    }
}
