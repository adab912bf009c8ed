using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>The catalog has no endpoint for a service type, interface and region; the message lists what it has.</summary>
    public sealed class EndpointNotFoundException : OpenStackApiException
    {
        public EndpointNotFoundException(string serviceType, string @interface, string? region, string message)
            : base(ApiErrorKind.NotFound, message)
        {
            Service = serviceType;
            ServiceType = serviceType;
            Interface = @interface;
            Region = region;
        }

        /// <summary>The service type asked for (its aliases were tried too).</summary>
        public string ServiceType { get; }
        /// <summary>The interface asked for: public, internal or admin.</summary>
        public string Interface { get; }
        /// <summary>The region asked for, or null when any would do.</summary>
        public string? Region { get; }
    }
}
