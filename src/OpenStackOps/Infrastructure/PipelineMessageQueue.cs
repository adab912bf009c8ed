using System.Collections.Concurrent;
using System.Management.Automation;
using OpenStackOps.Http;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// API calls complete on thread-pool threads, where a cmdlet must not write. They leave their verbose,
    /// debug and progress messages here; the cmdlet drains the queue on the pipeline thread.
    /// </summary>
    internal sealed class PipelineMessageQueue : IApiLog
    {
        private readonly ConcurrentQueue<object> _messages = new ConcurrentQueue<object>();

        public void Verbose(string message) => _messages.Enqueue(new VerboseRecord(message));
        public void Debug(string message) => _messages.Enqueue(new DebugRecord(message));
        public void Progress(ProgressRecord record) => _messages.Enqueue(record);

        public void Drain(Cmdlet cmdlet)
        {
            while (_messages.TryDequeue(out object m))
            {
                switch (m)
                {
                    case VerboseRecord v: cmdlet.WriteVerbose(v.Message); break;
                    case DebugRecord d: cmdlet.WriteDebug(d.Message); break;
                    case ProgressRecord p: cmdlet.WriteProgress(p); break;
                }
            }
        }
    }
}
