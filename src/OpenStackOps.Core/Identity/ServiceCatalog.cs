using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>The endpoints a token may use, as Keystone listed them, and the lookup every service client starts from.</summary>
    public sealed class ServiceCatalog
    {
        public ServiceCatalog(IReadOnlyList<CatalogEntry>? entries) => Entries = entries ?? Array.Empty<CatalogEntry>();

        /// <summary>The services, in the order Keystone listed them.</summary>
        public IReadOnlyList<CatalogEntry> Entries { get; }

        /// <summary>
        /// The URL of <paramref name="serviceType"/> (or one of its aliases: volumev3, block-storage, volume)
        /// for <paramref name="interface"/> (public when null) in <paramref name="region"/> (null: the first region that has it).
        /// </summary>
        /// <exception cref="EndpointNotFoundException">Nothing matches; the message lists what the catalog has.</exception>
        public Uri FindEndpoint(string serviceType, string? @interface, string? region)
        {
            if (string.IsNullOrEmpty(serviceType)) throw new ArgumentException("A service type is needed.", nameof(serviceType));
            string wanted = NormalizeInterface(@interface);
            if (string.IsNullOrEmpty(region)) region = null;
            string[] types = ServiceTypes.WithAliases(serviceType);
            foreach (var type in types)
                foreach (var entry in Entries.Where(e => string.Equals(e.Type, type, StringComparison.OrdinalIgnoreCase)))
                    foreach (var endpoint in entry.Endpoints)
                        if (string.Equals(endpoint.Interface, wanted, StringComparison.OrdinalIgnoreCase) &&
                            (region == null || string.Equals(endpoint.Region, region, StringComparison.OrdinalIgnoreCase)))
                            return endpoint.Url;
            throw NotFound(serviceType, types, wanted, region);
        }

        private EndpointNotFoundException NotFound(string serviceType, string[] types, string @interface, string? region)
        {
            string asked = $"no {@interface} endpoint for {serviceType}" +
                           (types.Length > 1 ? $" (nor {string.Join(", ", types.Skip(1))})" : "") +
                           (region == null ? "" : $" in region {region}");
            string has = Entries.Count == 0
                ? "It is empty: the token is not scoped to a project. Give a project (-ProjectName, project_name, OS_PROJECT_NAME)."
                : "It has: " + string.Join("; ", Entries.Select(Describe)) + ". Check -Region and -Interface.";
            return new EndpointNotFoundException(serviceType, @interface, region, $"The service catalog has {asked}. {has}");
        }

        /// <summary>"compute (public, internal in RegionOne)".</summary>
        private static string Describe(CatalogEntry e)
        {
            if (e.Endpoints.Count == 0) return e.Type + " (no endpoints)";
            var byRegion = e.Endpoints.GroupBy(p => p.Region ?? "no region")
                .Select(g => string.Join(", ", g.Select(p => p.Interface).Distinct()) + " in " + g.Key);
            return $"{e.Type} ({string.Join("; ", byRegion)})";
        }

        private static string NormalizeInterface(string? value)
        {
            if (string.IsNullOrEmpty(value)) return "public";
            string v = value!.Trim();
            // Keystone v2 catalogs and old openrc files say publicURL.
            if (v.EndsWith("URL", StringComparison.OrdinalIgnoreCase)) v = v.Substring(0, v.Length - 3);
            return v.ToLowerInvariant();
        }

        /// <summary>The "catalog" array of a Keystone v3 token; endpoints without a usable URL are left out.</summary>
        internal static ServiceCatalog Parse(JsonArray? catalog)
        {
            var entries = new List<CatalogEntry>();
            if (catalog == null) return new ServiceCatalog(entries);
            foreach (var service in catalog.OfType<JsonObject>())
            {
                var endpoints = new List<CatalogEndpoint>();
                foreach (var ep in service.Arr("endpoints")?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
                {
                    if (!Uri.TryCreate(ep.Str("url"), UriKind.Absolute, out var url)) continue;
                    endpoints.Add(new CatalogEndpoint(ep.Str("id"), ep.Str("interface"), ep.Str("region_id") ?? ep.Str("region"), url));
                }
                entries.Add(new CatalogEntry(service.Str("type"), service.Str("name"), service.Str("id"), endpoints));
            }
            return new ServiceCatalog(entries);
        }
    }
}
