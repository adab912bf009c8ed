namespace OpenStackOps.Identity
{
    /// <summary>
    /// The names a service has been registered under over the years (os-service-types). Cinder v3 is
    /// volumev3 in most clouds, block-storage in new ones, volume in some; volumev2 is left out on purpose:
    /// it points at the removed v2 API.
    /// </summary>
    internal static class ServiceTypes
    {
        private static readonly string[][] Groups =
        {
            new[] { "block-storage", "volumev3", "volume", "block-store" },
            new[] { "compute" },
            new[] { "network" },
            new[] { "image" },
            new[] { "identity" },
            new[] { "placement" },
        };

        /// <summary>The type asked for first, then its aliases in order of preference.</summary>
        public static string[] WithAliases(string serviceType)
        {
            var group = Groups.FirstOrDefault(g => g.Contains(serviceType, StringComparer.OrdinalIgnoreCase));
            if (group == null) return new[] { serviceType };
            return new[] { serviceType }.Concat(group.Where(t => !string.Equals(t, serviceType, StringComparison.OrdinalIgnoreCase))).ToArray();
        }
    }
}
