using System.Diagnostics.CodeAnalysis;

namespace OpenStackOps.Http
{
    /// <summary>
    /// A session outlives the cmdlets that use it; each cmdlet points the session's log at itself for the
    /// duration of its run so that verbose lines reach the right pipeline.
    /// </summary>
    public sealed class ForwardingApiLog : IApiLog
    {
        private volatile IApiLog _target = NullApiLog.Instance;

        [AllowNull]
        public IApiLog Target
        {
            get => _target;
            set => _target = value ?? NullApiLog.Instance;
        }

        public void Verbose(string message) => _target.Verbose(message);
        public void Debug(string message) => _target.Debug(message);
    }
}
