namespace OpenStackOps.Node.Disks
{
    /// <summary>A file copied out of a mounted instance disk to the local machine.</summary>
    public sealed class CopiedDiskItem
    {
        public string Node { get; set; } = null!;
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        /// <summary>The path inside the guest, e.g. /var/log/messages.</summary>
        public string GuestPath { get; set; } = null!;
        /// <summary>Where it was read on the node (under the mount point).</summary>
        public string NodePath { get; set; } = null!;
        /// <summary>The local file written.</summary>
        public string Destination { get; set; } = null!;
        public long Length { get; set; }
        /// <summary>SHA-256 of the local copy (hex), to compare with `sha256sum` on the node.</summary>
        public string Sha256 { get; set; } = null!;

        public override string ToString() => Destination;
    }
}
