namespace OpenStackOps.Identity
{
    /// <summary>One service of the catalog (type compute, network...) and its endpoints.</summary>
    public sealed class CatalogEntry
    {
        public CatalogEntry(string? type, string? name, string? id, IReadOnlyList<CatalogEndpoint>? endpoints)
        {
            Type = type;
            Name = name;
            Id = id;
            Endpoints = endpoints ?? Array.Empty<CatalogEndpoint>();
        }

        /// <summary>The service type (compute, volumev3, network...), as registered.</summary>
        public string? Type { get; }
        /// <summary>The service name (nova, cinderv3...); informative only.</summary>
        public string? Name { get; }
        /// <summary>Keystone's id of the service.</summary>
        public string? Id { get; }
        /// <summary>The service's endpoints, in the order Keystone listed them.</summary>
        public IReadOnlyList<CatalogEndpoint> Endpoints { get; }

        public override string? ToString() => Type;
    }

    /// <summary>An endpoint of one service in one region for one interface.</summary>
    public sealed class CatalogEndpoint
    {
        public CatalogEndpoint(string? id, string? @interface, string? region, Uri url)
        {
            Id = id;
            Interface = @interface;
            Region = region;
            Url = url;
        }

        /// <summary>Keystone's id of the endpoint.</summary>
        public string? Id { get; }
        /// <summary>public, internal or admin.</summary>
        public string? Interface { get; }
        /// <summary>The region id (Keystone sends it as both region and region_id).</summary>
        public string? Region { get; }
        /// <summary>The service's base URL for this interface and region.</summary>
        public Uri Url { get; }

        public override string ToString() => $"{Interface} {Region} {Url}";
    }
}
