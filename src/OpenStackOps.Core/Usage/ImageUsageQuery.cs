using System.Text;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Usage
{
    /// <summary>
    /// Glance's images (GET /v2/images?visibility=all, paged) joined with nova's servers (all projects, paged) by image
    /// id: the calls grow with the pages of each listing, not with the servers or the images.
    /// </summary>
    public sealed class ImageUsageQuery
    {
        private readonly ServiceClient _image;
        private readonly ComputeClient _compute;

        public ImageUsageQuery(ServiceClient image, ComputeClient compute)
        {
            _image = image ?? throw new ArgumentNullException(nameof(image));
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
        }

        /// <summary>Images per page (glance's own maximum is api_limit_max, 1000 by default).</summary>
        public int PageSize { get; set; } = 1000;

        public async Task<IReadOnlyList<ImageUsage>> ListAsync(CancellationToken ct)
        {
            var servers = _compute.Servers.ListAllAsync(ct);
            var images = await ListImagesAsync(ct).ConfigureAwait(false);
            var byImage = (await servers.ConfigureAwait(false)).Where(s => !string.IsNullOrEmpty(s.ImageId))
                .GroupBy(s => s.ImageId!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Select(s => s.Id).OrderBy(i => i, StringComparer.Ordinal).ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var image in images)
                if (byImage.TryGetValue(image.Id, out var ids)) image.ServerIds = ids;
            var known = new HashSet<string>(images.Select(i => i.Id), StringComparer.OrdinalIgnoreCase);
            var missing = byImage.Where(kv => !known.Contains(kv.Key))
                .Select(kv => new ImageUsage { Id = kv.Key, Status = "missing", ServerIds = kv.Value });
            return images.Concat(missing).ToList();
        }

        /// <summary>GET /v2/images?visibility=all&amp;limit=N, then each "next" page by its marker.</summary>
        private async Task<List<ImageUsage>> ListImagesAsync(CancellationToken ct)
        {
            var items = await MarkerPager.ReadAllAsync(marker =>
            {
                var path = new StringBuilder("images?visibility=all&limit=").Append(PageSize);
                if (marker != null) path.Append("&marker=").Append(Json.Escape(marker));
                return _image.GetAsync(UsagePaths.Versioned(_image.Endpoint, "v2", path.ToString()), ct);
            }, "images", MarkerPager.FromNextPath(), ct).ConfigureAwait(false);
            return items.Select(i => new ImageUsage
            {
                Id = i.Str("id")!, Name = i.Str("name"), Status = i.Str("status"), Visibility = i.Str("visibility"),
                Owner = i.Str("owner"), SizeBytes = i.Long("size"), DiskFormat = i.Str("disk_format"),
                Protected = i.Bool("protected"), Created = i.Date("created_at"),
            }).ToList();
        }
    }
}
