using System.Text.Json.Nodes;

namespace OpenStackOps.Http
{
    /// <summary>
    /// The one limit/marker paging loop of nova, glance and neutron listings: ask for a page, keep its items, ask again
    /// from the marker the page names, until a page is empty, names no marker, or names a marker already asked for
    /// (a service that repeats itself ends the listing instead of looping forever).
    /// </summary>
    public static class MarkerPager
    {
        /// <summary>The marker of the page after this one, or null when it is the last.</summary>
        public delegate string? NextMarker(JsonNode? body, JsonArray page);

        /// <summary>
        /// Every item of every page: <paramref name="getPage"/> is called with null first, then with each marker
        /// <paramref name="next"/> names; the items are the array <paramref name="itemsKey"/> of each body.
        /// </summary>
        public static async Task<List<JsonNode>> ReadAllAsync(Func<string?, Task<ApiResponse>> getPage, string itemsKey,
            NextMarker next, CancellationToken ct)
        {
            if (getPage == null) throw new ArgumentNullException(nameof(getPage));
            if (next == null) throw new ArgumentNullException(nameof(next));
            var all = new List<JsonNode>();
            var asked = new HashSet<string>(StringComparer.Ordinal);
            string? marker = null;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var response = await getPage(marker).ConfigureAwait(false);
                var page = response.Body.Arr(itemsKey);
                if (page == null || page.Count == 0) break;
                // A listing's items are objects; a null entry would be a malformed answer, passed on as it came.
                foreach (var item in page) all.Add(item!);
                marker = next(response.Body, page);
                if (marker == null || !asked.Add(marker)) break;
            }
            return all;
        }

        /// <summary>One page only (an API version without paging, or a caller that wants the first page).</summary>
        public static readonly NextMarker SinglePage = (body, page) => null;

        /// <summary>
        /// Nova's paging: a page that is not the last carries <paramref name="linksKey"/> with rel "next"; the marker
        /// is the last item's <paramref name="idKey"/>.
        /// </summary>
        public static NextMarker LastItemWhenNextLink(string linksKey, string idKey = "id")
            => (body, page) => NextLink(body, linksKey) != null ? page[page.Count - 1].Str(idKey) : null;

        /// <summary>Neutron's paging: the marker in the href of the rel "next" entry of <paramref name="linksKey"/>.</summary>
        public static NextMarker FromNextLink(string linksKey)
            => (body, page) => MarkerOf(NextLink(body, linksKey)?.Str("href"));

        private static JsonNode? NextLink(JsonNode? body, string linksKey)
        {
            if (body?[linksKey] is JsonArray links)
                foreach (var link in links)
                    if (link.Str("rel") == "next") return link;
            return null;
        }

        /// <summary>Glance's paging: the marker in the body's "next" path.</summary>
        public static NextMarker FromNextPath(string key = "next") => (body, page) => MarkerOf(body.Str(key));

        /// <summary>The marker of a "next" link or path, or null.</summary>
        public static string? MarkerOf(string? next)
        {
            if (string.IsNullOrEmpty(next)) return null;
            int q = next!.IndexOf('?');
            if (q < 0) return null;
            foreach (var part in next.Substring(q + 1).Split('&'))
                if (part.StartsWith("marker=", StringComparison.Ordinal)) return Uri.UnescapeDataString(part.Substring(7));
            return null;
        }
    }
}
