using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    public sealed partial class LiveMigrationRun
    {
        /// <summary>
        /// Starts waiting moves while the throttle allows, overall and per source host (without waiting, the throttle
        /// bounds the POSTs in progress). Each move is sent on its own task: the loop does not wait for nova's answer,
        /// so twenty moves are sent at once, not one after another, and one slow answer holds none of the others.
        /// </summary>
        private async Task AdmitAsync()
        {
            while (_input.TryDequeue(out var arrived)) _line.Add(arrived);
            while (!_ct.IsCancellationRequested && Busy < _options.ThrottleLimit && _line.TryTake(HostHasSlot, out var request))
                await AdmitOneAsync(request).ConfigureAwait(false);
        }

        /// <summary>Moves holding a slot: sent and not answered yet, or accepted and followed until they end.</summary>
        private int Busy => _flights.Count + _submissions.Count;

        private bool HostHasSlot(string host)
            => _options.ThrottleLimitPerHost <= 0 || !_busyPerHost.TryGetValue(host, out int n) || n < _options.ThrottleLimitPerHost;

        private void Hold(string host) => _busyPerHost[host] = _busyPerHost.TryGetValue(host, out int n) ? n + 1 : 1;

        private void Release(string host)
        {
            if (!_busyPerHost.TryGetValue(host, out int n)) return;
            if (n <= 1) _busyPerHost.Remove(host);
            else _busyPerHost[host] = n - 1;
        }

        private async Task AdmitOneAsync(MigrationRequest request)
        {
            int sequence = Interlocked.Increment(ref _sequence);
            var server = request.Server;
            if (string.IsNullOrEmpty(server.Id))
            {
                Emit(NewResult(request, sequence, MigrationKind.None, MigrationOutcome.Skipped, "the server has no id"));
                return;
            }
            if (!_seen.Add(server.Id))
            {
                Emit(NewResult(request, sequence, MigrationKind.None, MigrationOutcome.Skipped, "given more than once in this run; moved once"));
                return;
            }
            var (kind, skipReason) = Eligibility.Check(server, request.Destination, _options);
            if (kind == MigrationKind.None)
            {
                Message($"{Describe(server)}: skipped, {skipReason}.");
                Emit(NewResult(request, sequence, MigrationKind.None, MigrationOutcome.Skipped, skipReason!));   // Check gives a reason with None
                return;
            }
            if (_startupError != null)
            {
                Emit(Failure(NewResult(request, sequence, kind, MigrationOutcome.Failed, "not started: nova's API version could not be read"), _startupError));
                return;
            }

            if (_options.Wait)
            {
                try
                {
                    // On the loop, before the send: once per run from 2.59 (once per source host before).
                    await _tracker.PrepareAsync(server.Host!, _ct).ConfigureAwait(false); // an eligible server was listed on its host
                    _planner.Seed(MigrationKind.Live, _tracker.RecentLiveDurations);
                }
                catch (OperationCanceledException) when (_ct.IsCancellationRequested)
                {
                    Emit(NewResult(request, sequence, kind, MigrationOutcome.Cancelled, "not started: the run was stopped"));
                    throw;
                }
                catch (OpenStackApiException e)
                {
                    // A move we cannot watch is a move we cannot verify: do not start it.
                    Emit(Failure(NewResult(request, sequence, kind, MigrationOutcome.Failed,
                        "not started: nova's migration records could not be read, so the move could not be followed"), e));
                    return;
                }
            }

            var submission = new Submission(new Flight(request, sequence, kind) { SubmittedAt = _clock.UtcNow, Timeout = TimeoutFor(server) });
            _submissions.Add(submission);
            Hold(submission.Host);
            _ = SendAsync(submission);
        }

        /// <summary>
        /// Sends one move and records nova's answer; never throws. Not cancellable once sent: we want nova's answer (and
        /// its request id) rather than an unknown outcome. ServiceClient.RequestTimeout bounds each send; a transient
        /// fault is checked against nova's instance actions before anything is sent again (never a second move).
        /// </summary>
        private async Task SendAsync(Submission s)
        {
            var flight = s.Flight;
            var server = flight.Server;
            var request = flight.Request;
            try
            {
                var submitter = new ServerActionSubmitter(_compute.InstanceActions, _clock, Message);
                s.Accepted = await submitter.SubmitAsync(server.Id, flight.Kind == MigrationKind.Live ? "live-migration" : "migrate", () =>
                {
                    s.Sends++;
                    return flight.Kind == MigrationKind.Live
                        ? _compute.MigrateActions.LiveMigrateAsync(server.Id, new LiveMigrationRequest
                        {
                            Host = request.Destination,
                            BlockMigration = _options.BlockMigration,
                            AllowUnvalidatedHost = _options.AllowUnvalidatedHost,
                        }, CancellationToken.None)
                        : _compute.MigrateActions.MigrateAsync(server.Id, request.Destination, CancellationToken.None);
                }, _ct).ConfigureAwait(false);
            }
            catch (SubmissionFailedException e)
            {
                s.Refused = e;
            }
            catch (OperationCanceledException) when (_ct.IsCancellationRequested)
            {
                // Only after a fault: while reading nova's actions, or pausing before sending again.
                s.Interrupted = true;
            }
            catch (Exception e)
            {
                s.Crash = e;
            }
            finally
            {
                _answered.Enqueue(s);
                _signal.Set();
            }
        }

        /// <summary>Takes in the moves nova has answered: followed from now on, or reported. On the loop only.</summary>
        private void CollectAnswers()
        {
            while (_answered.TryDequeue(out var s))
            {
                _submissions.Remove(s);
                var flight = s.Flight;
                var server = flight.Server;
                var request = flight.Request;
                var kind = flight.Kind;
                if (s.Crash != null)
                {
                    // A bug: report this server as it stands (nova may have taken the move), then fail the run as before.
                    Release(s.Host);
                    Emit(NewResult(request, flight.Sequence, kind, MigrationOutcome.Failed,
                        $"the move could not be sent ({s.Crash.Message}): nova may or may not have started it; check the server before running again"));
                    throw new InvalidOperationException("Sending the move of " + Describe(server) + " failed: " + s.Crash.Message, s.Crash);
                }
                if (s.Interrupted)
                {
                    Release(s.Host);
                    Emit(s.Sends == 0
                        ? NewResult(request, flight.Sequence, kind, MigrationOutcome.Cancelled, "not started: the run was stopped")
                        : NewResult(request, flight.Sequence, kind, MigrationOutcome.Unverified,
                            "the run was stopped while nova-api's answer to the move was unknown: nova may or may not have started it; " +
                            $"check the server (openstack server event list {server.Id}) before running again"));
                    continue;
                }
                if (s.Refused != null)
                {
                    Release(s.Host);
                    var e = s.Refused;
                    string verb = kind == MigrationKind.Live ? "live migration" : "cold migration";
                    string message = e.OperatorMessage != null ? $"not moved: {e.OperatorMessage}" : $"nova refused the {verb}";
                    Message($"{Describe(server)}: {message}: {e.Last.Message}");
                    Emit(Failure(NewResult(request, flight.Sequence, kind, MigrationOutcome.Failed, message), e.Last));
                    continue;
                }
                Accept(s);
            }
        }

        private void Accept(Submission s)
        {
            var flight = s.Flight;
            var accepted = s.Accepted!;   // Accept is called for a submission nova accepted
            var kind = flight.Kind;
            flight.RequestId = accepted.RequestId;
            flight.Microversion = accepted.Microversion;
            string where = flight.Request.Destination == null ? "a host the scheduler picks" : flight.Request.Destination;
            if (!_options.Wait)
            {
                Release(s.Host);
                var submitted = FromFlight(flight, MigrationOutcome.Submitted, kind == MigrationKind.Live
                    ? $"accepted by nova (request {accepted.RequestId}); not waited for"
                    : $"accepted by nova (request {accepted.RequestId}); not waited for: confirm it once it is VERIFY_RESIZE");
                Emit(submitted);
                return;
            }
            // The slot stays held by the flight until Finish.
            flight.Deadline = flight.SubmittedAt + flight.Timeout;
            flight.NextPollAt = _planner.FirstPoll(flight);
            _flights.Add(flight);
            Message($"{Describe(flight.Server)}: {(kind == MigrationKind.Live ? "live" : "cold")} migration from {flight.Source} to {where} accepted " +
                    $"(request {accepted.RequestId}{(accepted.Microversion.Major > 0 ? ", compute " + accepted.Microversion : "")}); first look in {(flight.NextPollAt - flight.SubmittedAt).TotalSeconds:0.#} s.");
            ReportProgress(flight);
            ReportOverall();
        }

        /// <summary>The run is ending (stopped or failed): waits for the moves already sent, so each reports nova's answer.</summary>
        private async Task AwaitSentAsync()
        {
            while (true)
            {
                try { CollectAnswers(); }
                catch (InvalidOperationException) { /* already ending: that server has its result */ }
                if (_submissions.Count == 0) return;
                await _signal.WaitAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The caller's timeout, or nova's own completion timeout for the flavor (800 s per GiB, at least 2 GiB,
        /// counting the disk too because "auto" may turn out to be a block migration) plus a minute: by default
        /// this run never gives up on a migration before nova would.
        /// </summary>
        private TimeSpan TimeoutFor(Server s)
        {
            if (_options.Timeout.HasValue) return _options.Timeout.Value;
            if (s.FlavorRamMb == null) return TimeSpan.FromHours(1);
            double gib = s.FlavorRamMb.Value / 1024.0 + (_options.BlockMigration == BlockMigration.Off ? 0 : s.FlavorDiskGb ?? 0);
            return TimeSpan.FromSeconds(800 * Math.Max(2, gib) + 60);
        }
    }
}
