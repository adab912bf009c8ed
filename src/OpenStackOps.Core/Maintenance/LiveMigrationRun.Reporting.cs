using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    public sealed partial class LiveMigrationRun
    {
        private static MigrationResult NewResult(MigrationRequest request, int sequence, MigrationKind kind, MigrationOutcome status, string message)
            => FlightResults.New(request, kind, status, message);

        private MigrationResult FromFlight(Flight f, MigrationOutcome status, string message) => FlightResults.Of(f, status, message, _clock.UtcNow);

        private static MigrationResult Failure(MigrationResult result, OpenStackApiException e) => FlightResults.Failure(result, e);

        /// <summary>Takes a flight out of the run with its one result.</summary>
        private void Finish(Flight f, MigrationResult result)
        {
            _flights.Remove(f);
            Release(WaitingLine.HostOf(f.Request));
            ReportProgress(f, finished: true);
            Emit(result);
        }

        /// <summary>The run stopped with <paramref name="f"/> in flight: report what nova last said, without another call.</summary>
        private void FinishInterrupted(Flight f, string? failure)
        {
            string why = failure ?? "the run was stopped";
            string? status = f.Status;
            MigrationResult result;
            if (status != null && MigrationStatuses.IsLiveSuccess(status) || MigrationStatuses.Is(status, MigrationStatuses.Confirmed))
                result = FromFlight(f, MigrationOutcome.Unverified, $"{why} before the server was checked; nova's record says '{status}'");
            else if (status != null && MigrationStatuses.IsFailure(status))
                result = FromFlight(f, MigrationOutcome.Failed, $"{why}; nova's record says '{status}' (see the instance action of request {f.RequestId})");
            else if (MigrationStatuses.Is(status, MigrationStatuses.Cancelled))
                result = FromFlight(f, MigrationOutcome.Aborted, $"{why}; nova's record says '{status}'");
            else
                result = FromFlight(f, MigrationOutcome.StillRunning,
                    $"{why} while nova was still moving it ('{status ?? "not started yet"}'" +
                    (f.Overtime.Note == null ? "" : $"; {f.Overtime.Note}") + "): nova carries on" + FlightResults.Hint(f) +
                    ". Run again later: only what is still on the host moves");
            Finish(f, result);
        }

        private void Emit(MigrationResult result)
        {
            lock (_gate)
            {
                _results.Add(result);
                if (result.Succeeded) _succeeded++;
                else if (result.Outcome == MigrationOutcome.Skipped) _skipped++;
                else _unsuccessful++;
            }
            Notify(o => o.OnResult(result));
            ReportOverall();
        }

        private void Message(string message) => Notify(o => o.OnMessage(message));

        private void ReportProgress(Flight f, bool finished = false)
        {
            var elapsed = _clock.UtcNow - f.SubmittedAt;
            var expected = _planner.Expected(f.Kind);
            int percent = -1;
            if (finished) percent = 100;
            else if (f.Memory?.MemoryTotalBytes > 0 && f.Memory.MemoryProcessedBytes.HasValue)
                percent = (int)Math.Min(99, 100 * f.Memory.MemoryProcessedBytes.Value / f.Memory.MemoryTotalBytes.Value);
            else if (expected.HasValue && expected.Value > TimeSpan.Zero)
                percent = (int)Math.Min(99, 100 * elapsed.Ticks / expected.Value.Ticks);
            var progress = new MigrationProgress
            {
                Sequence = f.Sequence,
                ServerId = f.ServerId,
                ServerName = f.Server.Name,
                Kind = f.Kind,
                SourceHost = f.Source,
                DestinationHost = f.Record?.DestCompute ?? f.Request.Destination,
                Phase = finished ? "done" : f.Status ?? "submitted",
                MigrationId = f.Record?.Id,
                Elapsed = elapsed,
                Timeout = f.Timeout,
                ExpectedDuration = expected,
                MemoryTotalBytes = f.Memory?.MemoryTotalBytes,
                MemoryProcessedBytes = f.Memory?.MemoryProcessedBytes,
                MemoryRemainingBytes = f.Memory?.MemoryRemainingBytes,
                PercentComplete = percent,
                IsFinished = finished,
            };
            Notify(o => o.OnServerProgress(progress));
        }

        private void ReportOverall()
        {
            DrainProgress overall;
            lock (_gate)
            {
                overall = new DrainProgress
                {
                    Total = _added,
                    InputComplete = _inputComplete,
                    Finished = _results.Count,
                    InFlight = _flights.Count + _submissions.Count,
                    Waiting = _input.Count + _line.Count,
                    // Counted as results come, not recounted: this is reported after every poll and result.
                    Succeeded = _succeeded,
                    Skipped = _skipped,
                    Unsuccessful = _unsuccessful,
                    MemoryProcessedBytes = _flights.Sum(f => f.Memory?.MemoryProcessedBytes ?? 0),
                    MemoryTotalBytes = _flights.Sum(f => f.Memory?.MemoryTotalBytes ?? 0),
                };
            }
            Notify(o => o.OnOverallProgress(overall));
        }

        private void Notify(Action<IMigrationObserver> call)
        {
            if (_observer == null) return;
            try
            {
                lock (_notifyGate) call(_observer);
            }
            catch (Exception)
            {
                // An observer's failure must not stop the run and strand the migrations in flight unreported.
            }
        }

        private static string Describe(Server s) => FlightResults.Describe(s);
    }
}
