namespace OpenStackOps.Http
{
    /// <summary>Counts HTTP requests sent on a session, so results and benchmarks can report API calls honestly.</summary>
    public sealed class ApiCallCounter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        internal void Increment() => Interlocked.Increment(ref _count);
    }
}
