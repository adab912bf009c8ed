using OpenStackOps.Http;

namespace OpenStackOps.Compute
{
    /// <summary>The cloud's API is older than what an operation needs.</summary>
    public sealed class MicroversionNotSupportedException : OpenStackApiException
    {
        public MicroversionNotSupportedException(string service, string operation, Microversion required, Microversion cloudMaximum)
            : base(ApiErrorKind.NotAcceptable,
                $"{operation} needs {service} API microversion {required} or later, but this cloud offers at most {cloudMaximum}. " +
                "Upgrade the cloud's API, or do this step with the tool the cloud's release ships.")
        {
            Service = service;
            Operation = operation;
            Required = required;
            CloudMaximum = cloudMaximum;
        }

        public string Operation { get; }
        public Microversion Required { get; }
        public Microversion CloudMaximum { get; }
    }
}
