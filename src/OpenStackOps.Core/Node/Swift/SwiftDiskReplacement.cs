namespace OpenStackOps.Node.Swift
{
    /// <summary>
    /// The outcome of replacing a failed swift disk (Repair-SwiftDisk): the disk, where it is mounted, what the object
    /// server says about the device and whether replication has started to fill it. Status words are text.
    /// </summary>
    public sealed class SwiftDiskReplacement
    {
        public string Node { get; set; } = null!;
        /// <summary>The ring's device name (d1, sdb...).</summary>
        public string Device { get; set; } = null!;
        public string MountPoint { get; set; } = null!;
        /// <summary>The new disk (block device, whole disk).</summary>
        public string Disk { get; set; } = null!;
        /// <summary>The node's /etc/fstab line for the mount point: what mounts it (LABEL=..., UUID=... or a device), file system, options.</summary>
        public string FstabEntry { get; set; } = null!;
        /// <summary>What was mounted on the mount point before ("" when nothing was: a disk that already failed and was unmounted).</summary>
        public string PreviousSource { get; set; } = null!;
        /// <summary>What the new disk held before (blkid: TYPE, LABEL), "" when blank.</summary>
        public string PreviousContent { get; set; } = null!;
        public bool Forced { get; set; }
        /// <summary>The mkfs.xfs command that made the file system, or "" if none ran.</summary>
        public string Formatted { get; set; } = null!;
        public string? FileSystem { get; set; }
        public string? Label { get; set; }
        public string? Uuid { get; set; }
        /// <summary>The device mounted on the mount point now (findmnt SOURCE), and whether it is the disk (same major:minor).</summary>
        public string? MountedSource { get; set; }
        public bool Mounted { get; set; }
        public string Owner { get; set; } = null!;
        /// <summary>The object server asked (host:port).</summary>
        public string? ObjectServer { get; set; }
        /// <summary>Yes / No / Unknown: the object server's recon lists the device as mounted.</summary>
        public string? ObjectServerSeesDevice { get; set; }
        public string? ObjectServerEvidence { get; set; }
        /// <summary>Object files (*.data) on the new disk when the cmdlet finished.</summary>
        public int ObjectFiles { get; set; }
        /// <summary>Filling (objects arrived), Waiting (none yet when the wait ended) or NotWaited (-ReplicationTimeoutSeconds 0 and none yet).</summary>
        public string? Replication { get; set; }
        internal TimeSpan ReplicationElapsed { get; set; }
        /// <summary>How long the replication was waited for, as text [d.]hh:mm:ss.</summary>
        public string ReplicationWaited => Common.DurationText.Format(ReplicationElapsed);
        /// <summary>What the operator should look at (no object arrived in time), or null.</summary>
        public string? Note { get; set; }
        /// <summary>Replaced when every step ran; otherwise what was left (see Steps).</summary>
        public string Status { get; set; } = null!;
        /// <summary>Each step that ran, in order, with its command.</summary>
        public string[] Steps { get; set; } = Array.Empty<string>();
    }
}
