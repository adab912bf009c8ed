using System.Text.Json.Nodes;

namespace OpenStackOps.Http
{
    /// <summary>Nova's paging: a page that is not the last carries a <c>*_links</c> entry with rel "next".</summary>
    public static class PageLinks
    {
        public static bool HasNext(JsonNode body, string linksKey)
        {
            if (body?[linksKey] is JsonArray links)
                foreach (var link in links)
                    if (link.Str("rel") == "next") return true;
            return false;
        }
    }
}
