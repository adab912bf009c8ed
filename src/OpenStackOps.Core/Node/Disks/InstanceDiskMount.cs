namespace OpenStackOps.Node.Disks
{
    /// <summary>One instance disk image attached to an nbd device and mounted on the node.</summary>
    public sealed class MountedDisk
    {
        /// <summary>disk or disk.local.</summary>
        public string Disk { get; set; } = null!;
        public string ImagePath { get; set; } = null!;
        /// <summary>raw or qcow2.</summary>
        public string Format { get; set; } = null!;
        /// <summary>The nbd device, e.g. /dev/nbd0.</summary>
        public string Device { get; set; } = null!;
        /// <summary>What is mounted: a partition (/dev/nbd0p1) or the whole device.</summary>
        public string MountedDevice { get; set; } = null!;
        public string? FileSystem { get; set; }
        public string MountPoint { get; set; } = null!;
    }

    /// <summary>
    /// What Mount-InstanceDisk did on the node: which server's disks are mounted where, why (the justification),
    /// and whether its domain was suspended for it. Dismount-InstanceDisk takes this object back.
    /// </summary>
    public sealed class InstanceDiskMount
    {
        public string Node { get; set; } = null!;
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        /// <summary>The libvirt domain (OS-EXT-SRV-ATTR:instance_name).</summary>
        public string Domain { get; set; } = null!;
        /// <summary>running, paused, shut off… before the mount.</summary>
        public string DomainStateBefore { get; set; } = null!;
        /// <summary>True when Mount-InstanceDisk suspended the domain (and Dismount-InstanceDisk resumes it).</summary>
        public bool Suspended { get; set; }
        public bool ReadOnly { get; set; } = true;
        public string Justification { get; set; } = null!;
        public string MountedBy { get; set; } = null!;
        public DateTimeOffset MountedAt { get; set; }
        public ReadableList<MountedDisk> Disks { get; set; } = ReadableList<MountedDisk>.Empty;
        /// <summary>Where the root disk is mounted (the first of <see cref="Disks"/>).</summary>
        public string? MountPoint => Disks.FirstOrDefault()?.MountPoint;
        /// <summary>Mounted (true) or dismounted (false, after Dismount-InstanceDisk); false also for -WhatIf plans.</summary>
        public bool Mounted { get; set; }
        /// <summary>Non-fatal things an operator should know (a lazy unmount, a domain resumed by someone else...).</summary>
        public ReadableList<string> Warnings { get; set; } = ReadableList<string>.Empty;
        public ReadableList<string> Steps { get; set; } = ReadableList<string>.Empty;

        public override string ToString() => $"{ServerName ?? ServerId} on {Node}: {(Mounted ? MountPoint : "not mounted")}";
    }
}
