using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Recovery
{
    /// <summary>
    /// Evacuates servers of a failed host, ThrottleLimit at a time, and waits for each: success means nova's
    /// evacuation record is done and the server is on another host in the state it had (ACTIVE, or SHUTOFF for
    /// a stopped one; from 2.95 nova leaves every evacuated server stopped, so the ones that ran are started).
    /// Reports progress and one result per server through an <see cref="IMigrationObserver"/>.
    /// </summary>
    public sealed class EvacuationRun
    {
        private readonly ComputeClient _compute;
        private readonly EvacuationApi _api;
        private readonly EvacuationOptions _options;
        private readonly IMigrationObserver _observer;
        private readonly string? _cloud, _region;
        private readonly IWaitClock _clock;
        private int _finished, _inFlight, _succeeded, _skipped, _failed, _total, _sequence;

        public EvacuationRun(ComputeClient compute, EvacuationOptions options, IMigrationObserver observer, string? cloud, string? region, IWaitClock? clock = null)
        {
            _clock = clock ?? SystemWaitClock.Instance;
            _compute = compute;
            _api = new EvacuationApi(compute);
            _options = options;
            _observer = observer;
            _cloud = cloud;
            _region = region;
        }

        public async Task RunAsync(IReadOnlyList<Server> servers, CancellationToken ct)
        {
            _total = servers.Count;
            using (var gate = new SemaphoreSlim(Math.Max(1, _options.ThrottleLimit)))
            {
                var tasks = servers.Select(async s =>
                {
                    await gate.WaitAsync(ct).ConfigureAwait(false);
                    try { await EvacuateOneAsync(s, Interlocked.Increment(ref _sequence), ct).ConfigureAwait(false); }
                    finally { gate.Release(); }
                }).ToList();
                try { await Task.WhenAll(tasks).ConfigureAwait(false); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            }
            Overall();
        }

        private async Task EvacuateOneAsync(Server s, int sequence, CancellationToken ct)
        {
            var result = EvacuationPlan.For(s, _options.FailedHost, _options.Destination, _options.SharedInstanceStorage, _cloud, _region);
            if (result.Outcome == MigrationOutcome.Skipped)
            {
                Interlocked.Increment(ref _skipped);
                Finish(result);
                return;
            }
            var wait = new BoundedWait(_clock, _options.Timeout, _options.PollInterval);
            result.StartedAt = wait.StartedAt;
            Interlocked.Increment(ref _inFlight);
            Overall();
            try
            {
                Progress(s, sequence, "evacuate requested", wait.Elapsed, false);
                // A transient fault is checked against nova's instance actions before the evacuation is sent again.
                var submitter = new ServerActionSubmitter(_compute.InstanceActions, _clock, _observer.OnMessage);
                var submitted = await submitter.SubmitAsync(s.Id, "evacuate",
                    () => _api.EvacuateAsync(s.Id, _options.Destination, _options.SharedInstanceStorage, ct), ct).ConfigureAwait(false);
                result.RequestId = submitted.RequestId;
                if (!_options.Wait)
                {
                    result.Outcome = MigrationOutcome.Submitted;
                    result.Message = "evacuation accepted by nova; not waited for (check with Get-NodeServer or the migration list)";
                    return;
                }
                await WaitAsync(s, result, sequence, wait, submitted.Microversion, ct).ConfigureAwait(false);
            }
            catch (SubmissionFailedException failed)
            {
                var e = failed.Last;
                result.Outcome = MigrationOutcome.Failed;
                result.Error = e.Message;
                result.ApiError = e.Kind;
                result.HttpStatus = e.StatusCode;
                result.RequestId = result.RequestId ?? e.RequestId;
                if (failed.OperatorMessage != null) result.Message = "not evacuated: " + failed.OperatorMessage;
            }
            catch (OpenStackApiException e) when (result.RequestId != null)
            {
                // Accepted, then lost from sight (the token could not be renewed, nova-api went away): nova carries on,
                // so "failed" would be untrue.
                result.Outcome = MigrationOutcome.StillRunning;
                result.Error = e.Message;
                result.ApiError = e.Kind;
                result.HttpStatus = e.StatusCode;
                result.Message = $"evacuation accepted by nova (request {result.RequestId}), then it could not be followed: nova may still be " +
                                 "rebuilding it; check with Get-NodeServer";
            }
            catch (OpenStackApiException e)
            {
                result.Outcome = MigrationOutcome.Failed;
                result.Error = e.Message;
                result.ApiError = e.Kind;
                result.HttpStatus = e.StatusCode;
                result.RequestId = result.RequestId ?? e.RequestId;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                result.Outcome = result.RequestId == null ? MigrationOutcome.Cancelled : MigrationOutcome.StillRunning;
                result.Message = result.RequestId == null ? "not evacuated: stopped before it was submitted" : "stopped waiting: nova may still be rebuilding it";
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                result.Elapsed = wait.Elapsed;
                result.FinishedAt = wait.Now;
                if (result.Succeeded || result.Outcome == MigrationOutcome.Submitted) Interlocked.Increment(ref _succeeded); else Interlocked.Increment(ref _failed);
                Progress(s, sequence, result.Status.ToString(), wait.Elapsed, true);
                Finish(result);
            }
        }

        /// <summary>Polls in a row whose token is refused even after renewal before the evacuation counts as no longer followed.</summary>
        internal const int RefusedPollsTolerated = 3;

        /// <summary>Polls until nova's record and the server agree it is done (or failed), or the time is up.</summary>
        private async Task WaitAsync(Server before, MigrationResult result, int sequence, BoundedWait wait, Microversion mv, CancellationToken ct)
        {
            bool wasStopped = string.Equals(before.Status, "SHUTOFF", StringComparison.OrdinalIgnoreCase);
            bool started = false;
            Server? s = null;
            MigrationRecord? record = null;
            int refusedPolls = 0;

            // True once the outcome is decided.
            async Task<bool> JudgeAsync(CancellationToken c)
            {
                try
                {
                    s = await _compute.Servers.GetAsync(before.Id, c).ConfigureAwait(false);
                    // While nova is still rebuilding (a task state) the record cannot have settled: read it only then, or to say why at the timeout.
                    record = s.TaskState == null || wait.IsOver
                        ? await EvacuationRecordAsync(before.Id, c).ConfigureAwait(false)
                        : null;
                }
                catch (OpenStackApiException e) when (!wait.IsOver && (IdempotentRetry.IsTransient(e) ||
                    (e.Kind == ApiErrorKind.Unauthorized && !(e is Identity.TokenRenewalException) && ++refusedPolls < RefusedPollsTolerated)))
                {
                    // The evacuation was accepted; a poll that failed (after ServiceClient's retries) says nothing about it.
                    // A token refused even after renewal may be a passing fault, but not poll after poll: then nova is
                    // left to carry on and the result says it could not be followed.
                    _observer.OnMessage($"{before.Id}: could not read the evacuation's progress ({e.Kind}); looking again at the next poll.");
                    return false;
                }
                refusedPolls = 0;
                if (record != null)
                {
                    result.MigrationId = record.Id;
                    result.MigrationUuid = record.Uuid;
                    result.MigrationStatus = record.Status;
                }
                Progress(before, sequence, $"{s.Status}{(s.TaskState == null ? "" : " (" + s.TaskState + ")")} on {s.Host}", wait.Elapsed, false);

                if (record != null && (record.Status == "failed" || record.Status == "error"))
                {
                    result.Outcome = MigrationOutcome.Failed;
                    result.FinalHost = s.Host;
                    result.Error = $"nova's evacuation record {record.Id} is {record.Status}; the server is {s.Status} on {s.Host}. See `openstack server event list {before.Id}` and the destination's nova-compute log.";
                    return true;
                }
                bool moved = s.Host != null && !string.Equals(s.Host, before.Host, StringComparison.OrdinalIgnoreCase);
                bool settled = s.TaskState == null && record != null && (record.Status == "done" || record.Status == "completed");
                if (!moved || !settled) return false;
                result.FinalHost = s.Host;
                if (string.Equals(s.Status, "ERROR", StringComparison.OrdinalIgnoreCase))
                {
                    result.Outcome = MigrationOutcome.Failed;
                    result.Error = $"rebuilt on {s.Host} but in ERROR. See `openstack server event list {before.Id}`.";
                    return true;
                }
                // From 2.95 nova leaves it stopped: start what was running before (once), and look again after a pause even if the time is up.
                if (!wasStopped && string.Equals(s.Status, "SHUTOFF", StringComparison.OrdinalIgnoreCase) && !started && mv >= EvacuationApi.LeavesStopped)
                {
                    await _compute.ServerActions.StartAsync(before.Id, c).ConfigureAwait(false);
                    started = true;
                    await wait.PauseAsync(c).ConfigureAwait(false);
                    return await JudgeAsync(c).ConfigureAwait(false);
                }
                if (!string.Equals(s.Status, wasStopped ? "SHUTOFF" : "ACTIVE", StringComparison.OrdinalIgnoreCase)) return false;
                result.Outcome = MigrationOutcome.Completed;
                // EvacuationPlan.For set DataFate on every evacuation's result.
                result.Message = $"evacuated to {s.Host}, {s.Status} as before; {EvacuationPlan.Describe((DataFate)Enum.Parse(typeof(DataFate), result.DataFate!))}";
                return true;
            }

            var (_, decided) = await wait.UntilAsync(JudgeAsync, done => done, ct, pauseFirst: true).ConfigureAwait(false);
            if (decided) return;
            result.Outcome = MigrationOutcome.TimedOut;
            result.TimedOut = true;
            result.FinalHost = s?.Host;
            result.Error = s == null
                ? $"not settled after {(int)_options.Timeout.TotalSeconds} s: its progress could not be read."
                : $"not settled after {(int)_options.Timeout.TotalSeconds} s: {s.Status} ({s.TaskState ?? "no task"}) on {s.Host}, evacuation record {(record == null ? "not seen" : record.Status)}.";
        }

        private async Task<MigrationRecord?> EvacuationRecordAsync(string serverId, CancellationToken ct)
        {
            var records = await _compute.Migrations.ListAsync(new MigrationQuery { InstanceUuid = serverId, MigrationType = MigrationTypes.Evacuation }, ct).ConfigureAwait(false);
            return records.OrderByDescending(r => r.Id).FirstOrDefault();
        }

        private void Finish(MigrationResult result)
        {
            Interlocked.Increment(ref _finished);
            _observer.OnResult(result);
            Overall();
        }

        private void Overall() => _observer.OnOverallProgress(new DrainProgress
        {
            Total = _total, InputComplete = true, Finished = Volatile.Read(ref _finished), InFlight = Volatile.Read(ref _inFlight),
            Succeeded = Volatile.Read(ref _succeeded), Skipped = Volatile.Read(ref _skipped), Unsuccessful = Volatile.Read(ref _failed),
        });

        private void Progress(Server s, int sequence, string phase, TimeSpan elapsed, bool finished) => _observer.OnServerProgress(new MigrationProgress
        {
            Sequence = sequence, ServerId = s.Id, ServerName = s.Name, Kind = MigrationKind.Evacuation, SourceHost = s.Host,
            DestinationHost = _options.Destination, Phase = phase, Elapsed = elapsed, Timeout = _options.Timeout,
            PercentComplete = finished ? 100 : (int)Math.Min(99, 100 * elapsed.TotalSeconds / Math.Max(1, _options.Timeout.TotalSeconds)),
            IsFinished = finished,
        });
    }
}
