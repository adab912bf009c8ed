using System.Collections.Generic;
using System.Threading.Tasks;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// A run in progress. Thread-safe: <see cref="Add"/> from the pipeline thread while the run works on the
    /// thread pool. The throttle applies across everything added to one run.
    /// </summary>
    public sealed class LiveMigrationRun
    {
        private readonly DrainLoop _loop;

        internal LiveMigrationRun(DrainLoop loop)
        {
            _loop = loop;
            Completion = Task.Run(() => _loop.RunAsync());
        }

        /// <summary>Queues one more server. After the run was stopped it is reported as Cancelled at once.</summary>
        public void Add(MigrationRequest request) => _loop.Add(request);

        /// <summary>No more servers will be added: the run ends when the last one has its result.</summary>
        public void Complete() => _loop.CompleteInput();

        /// <summary>Every result of the run, in the order they ended; also sent to the observer as they happen.</summary>
        public Task<IReadOnlyList<MigrationResult>> Completion { get; }

        /// <summary>The results known so far.</summary>
        public IReadOnlyList<MigrationResult> Results => _loop.ResultsSnapshot();
    }
}
