using System.Management.Automation;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Writes what a migration run reported, on the pipeline thread: a progress bar per server under one
    /// overall bar, verbose lines, and each server's result. Once Ctrl+C stopped the pipeline nothing can be
    /// written to it any more, so the servers nova is still moving are told to the host directly.
    /// </summary>
    internal sealed class MigrationEventPump
    {
        private const int OverallActivityId = 1;
        private readonly PSCmdlet _cmdlet;
        private readonly string _activity;
        private readonly System.Action<MigrationResult> _onResult;
        private readonly HashSet<int> _openBars = new HashSet<int>();

        public MigrationEventPump(PSCmdlet cmdlet, string activity, System.Action<MigrationResult> onResult)
        {
            _cmdlet = cmdlet;
            _activity = activity;
            _onResult = onResult;
        }

        public MigrationEventQueue Queue { get; } = new MigrationEventQueue();

        public void Drain(bool stopping)
        {
            while (Queue.TryDequeue(out var e))
            {
                if (stopping)
                {
                    if (e.Result != null && e.Result.Outcome != MigrationOutcome.Cancelled)
                        _cmdlet.Host.UI.WriteWarningLine($"{e.Result.ServerName ?? e.Result.ServerId}: {e.Result.Status}" +
                            (e.Result.MigrationId == null ? "" : $" (migration {e.Result.MigrationId}, {e.Result.MigrationStatus})") +
                            (e.Result.Message == null ? "" : ": " + e.Result.Message));
                    continue;
                }
                if (e.Message != null) _cmdlet.WriteVerbose(e.Message);
                else if (e.OverallProgress != null) WriteOverall(e.OverallProgress);
                else if (e.ServerProgress != null) WriteServer(e.ServerProgress);
                else if (e.Result != null) _onResult(e.Result);
            }
        }

        public void CloseBars()
        {
            foreach (int id in _openBars)
                _cmdlet.WriteProgress(new ProgressRecord(id, _activity, "done") { RecordType = ProgressRecordType.Completed, ParentActivityId = OverallActivityId });
            _openBars.Clear();
            _cmdlet.WriteProgress(new ProgressRecord(OverallActivityId, _activity, "done") { RecordType = ProgressRecordType.Completed });
        }

        private void WriteOverall(DrainProgress p)
        {
            string memory = p.MemoryTotalBytes > 0 ? $", {p.MemoryProcessedBytes / 1048576} of {p.MemoryTotalBytes / 1048576} MiB memory copied" : "";
            var record = new ProgressRecord(OverallActivityId, _activity,
                $"{p.Finished} of {p.Total}{(p.InputComplete ? "" : "+")} done ({p.Succeeded} moved, {p.Skipped} skipped, {p.Unsuccessful} not moved), {p.InFlight} in flight{memory}")
            {
                PercentComplete = p.InputComplete ? p.PercentComplete : -1,
            };
            _cmdlet.WriteProgress(record);
        }

        private void WriteServer(MigrationProgress p)
        {
            int id = OverallActivityId + 1 + p.Sequence;
            var record = new ProgressRecord(id, $"{p.Kind} migration of {p.ServerName ?? p.ServerId}",
                $"{p.Phase}: {p.SourceHost} -> {p.DestinationHost ?? "scheduler's choice"}" +
                (p.MemoryTotalBytes > 0 ? $", {p.MemoryProcessedBytes / 1048576} of {p.MemoryTotalBytes / 1048576} MiB" : ""))
            {
                ParentActivityId = OverallActivityId,
                PercentComplete = p.PercentComplete,
                RecordType = p.IsFinished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            if (p.IsFinished) _openBars.Remove(id); else _openBars.Add(id);
            _cmdlet.WriteProgress(record);
        }
    }
}
