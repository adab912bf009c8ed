namespace OpenStackOps.Checks
{
    /// <summary>
    /// The cheapest authenticated call that proves a service's API works end to end (policy, database, its own
    /// middleware), per catalog type: a one-item listing, never a write.
    /// </summary>
    public sealed class ApiProbe
    {
        private ApiProbe(string serviceType, string component, string? versionSegment, string path)
        {
            ServiceType = serviceType;
            Component = component;
            VersionSegment = versionSegment;
            Path = path;
        }

        public string ServiceType { get; }
        public string Component { get; }
        /// <summary>The API version the path is relative to, added when the catalog's URL lacks it (keystone's /v3, glance's /v2...).</summary>
        public string? VersionSegment { get; }
        public string Path { get; }

        public static readonly ApiProbe[] All =
        {
            new ApiProbe("identity", "keystone", "v3", "auth/projects"),
            new ApiProbe("compute", "nova-api", null, "servers?limit=1"),
            new ApiProbe("placement", "placement-api", null, "resource_providers?uuid=00000000-0000-0000-0000-000000000000"),
            new ApiProbe("image", "glance-api", "v2", "images?limit=1"),
            new ApiProbe("network", "neutron-server", "v2.0", "networks?limit=1"),
            new ApiProbe("volumev3", "cinder-api", null, "volumes?limit=1"),
            new ApiProbe("object-store", "swift-proxy", null, "?format=json&limit=1"),
        };

        /// <summary>The path to send to an endpoint: with the version segment when the catalog's URL does not end with it.</summary>
        public string PathFor(Uri endpoint)
        {
            if (VersionSegment == null) return Path;
            string last = endpoint.AbsolutePath.TrimEnd('/');
            last = last.Substring(last.LastIndexOf('/') + 1);
            return string.Equals(last, VersionSegment, StringComparison.OrdinalIgnoreCase) ? Path : VersionSegment + "/" + Path;
        }
    }
}
