namespace OpenStackOps.Http
{
    /// <summary>How a service wants to be told which microversion a request speaks.</summary>
    public sealed class MicroversionHeader
    {
        private MicroversionHeader(string serviceName, string? legacyHeader)
        {
            ServiceName = serviceName;
            LegacyHeader = legacyHeader;
        }

        /// <summary>The name inside <c>OpenStack-API-Version: compute 2.53</c>.</summary>
        public string ServiceName { get; }

        /// <summary>Header understood by releases older than the generic one (nova before 2.27), or null.</summary>
        public string? LegacyHeader { get; }

        public static readonly MicroversionHeader Compute = new MicroversionHeader("compute", "X-OpenStack-Nova-API-Version");
        public static readonly MicroversionHeader Volume = new MicroversionHeader("volume", null);
        public static readonly MicroversionHeader Placement = new MicroversionHeader("placement", null);
    }
}
