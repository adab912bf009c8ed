using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OpenStackOps.Maintenance
{
    /// <summary>What a run reported: exactly one of the payloads is set.</summary>
    public sealed class MigrationEvent
    {
        public MigrationProgress? ServerProgress { get; internal set; }
        public DrainProgress? OverallProgress { get; internal set; }
        public MigrationResult? Result { get; internal set; }
        public string? Message { get; internal set; }
    }

    /// <summary>
    /// An observer that only queues: the engine's threads enqueue, the cmdlet's pipeline thread dequeues and
    /// writes (WriteObject, WriteProgress, WriteVerbose) in order.
    /// </summary>
    public sealed class MigrationEventQueue : IMigrationObserver
    {
        private readonly ConcurrentQueue<MigrationEvent> _events = new ConcurrentQueue<MigrationEvent>();

        public bool TryDequeue([NotNullWhen(true)] out MigrationEvent? e) => _events.TryDequeue(out e);

        public int Count => _events.Count;

        public void OnServerProgress(MigrationProgress progress) => _events.Enqueue(new MigrationEvent { ServerProgress = progress });
        public void OnOverallProgress(DrainProgress progress) => _events.Enqueue(new MigrationEvent { OverallProgress = progress });
        public void OnResult(MigrationResult result) => _events.Enqueue(new MigrationEvent { Result = result });
        public void OnMessage(string message) => _events.Enqueue(new MigrationEvent { Message = message });
    }
}
