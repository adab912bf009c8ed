namespace OpenStackOps.Http
{
    /// <summary>
    /// Where API traffic is described for verbose/debug output. Callers only ever pass
    /// method, URL, status, timing and request id: never headers or bodies that hold secrets.
    /// </summary>
    public interface IApiLog
    {
        void Verbose(string message);
        void Debug(string message);
    }

    public sealed class NullApiLog : IApiLog
    {
        public static readonly NullApiLog Instance = new NullApiLog();
        public void Verbose(string message) { }
        public void Debug(string message) { }
    }
}
