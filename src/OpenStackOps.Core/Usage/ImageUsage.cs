namespace OpenStackOps.Usage
{
    /// <summary>
    /// A glance image and how many servers (all projects) were booted from it. An image servers still name that glance
    /// no longer lists (deleted, or not visible) comes with Status "missing" and no size, so the report shows it too.
    /// </summary>
    public sealed class ImageUsage
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        /// <summary>glance's status (active, queued, deactivated...), or "missing" when servers use an image glance does not list.</summary>
        public string? Status { get; set; }
        /// <summary>public, private, shared or community.</summary>
        public string? Visibility { get; set; }
        /// <summary>The owning project's id.</summary>
        public string? Owner { get; set; }
        public long? SizeBytes { get; set; }
        /// <summary>The size in GiB, two decimals, for tables and reports.</summary>
        public double? SizeGb => SizeBytes.HasValue ? Math.Round(SizeBytes.Value / 1073741824.0, 2) : (double?)null;
        public string? DiskFormat { get; set; }
        public bool? Protected { get; set; }
        public DateTimeOffset? Created { get; set; }
        /// <summary>Servers booted from this image (servers booted from a volume are not counted: their image is the volume's).</summary>
        public int ServerCount => ServerIds.Count;
        public ReadableList<string> ServerIds { get; set; } = ReadableList<string>.Empty;
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public override string ToString() => $"{Name ?? Id} ({ServerCount} servers)";
    }
}
