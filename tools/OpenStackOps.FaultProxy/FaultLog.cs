using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;

namespace OpenStackOps.FaultProxy
{
    /// <summary>
    /// One line per injected fault: time, route, method, path, fault. Never a header or a body: the requests carry
    /// X-Auth-Token and keystone's carry passwords, and neither is anything this log needs.
    /// </summary>
    internal sealed class FaultLog : IDisposable
    {
        private readonly TextWriter _writer;
        private readonly object _gate = new object();
        private readonly ConcurrentDictionary<string, int> _counts = new ConcurrentDictionary<string, int>();
        private long _requests;

        public FaultLog(string path)
        {
            _writer = path == null ? TextWriter.Null : new StreamWriter(path, append: true) { AutoFlush = true };
        }

        public void Request() => System.Threading.Interlocked.Increment(ref _requests);

        public void Injected(Route route, string method, string path, string what)
        {
            _counts.AddOrUpdate(route.Name + " " + what.Split(' ')[0], 1, (_, c) => c + 1);
            lock (_gate) _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {route.Name} {method} {path} {what}");
        }

        /// <summary>"requests=812 nova 503=40 nova reset-after=9 ...": what a run met, for the test's report.</summary>
        public string Summary()
            => $"requests={System.Threading.Interlocked.Read(ref _requests)} " +
               string.Join(" ", _counts.OrderBy(kv => kv.Key).Select(kv => kv.Key.Replace(' ', ':') + "=" + kv.Value));

        public void Dispose()
        {
            lock (_gate)
            {
                _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} summary {Summary()}");
                _writer.Dispose();
            }
        }
    }
}
