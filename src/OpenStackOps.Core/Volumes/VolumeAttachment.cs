namespace OpenStackOps.Volumes
{
    /// <summary>A volume attached to a server, as nova records it (os-volume_attachments), with the server's host.</summary>
    public sealed class VolumeAttachment
    {
        public string? Cloud { get; set; }
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string? Host { get; set; }
        public string VolumeId { get; set; } = null!;
        public string? Device { get; set; }
        /// <summary>Cinder's attachment id (2.89+), null before.</summary>
        public string? AttachmentId { get; set; }
        /// <summary>Where the listing came from: "api", or "database" for the guide's SQL join.</summary>
        public string Source { get; set; } = "api";

        public override string ToString() => $"{VolumeId} on {ServerName ?? ServerId} ({Device})";
    }
}
