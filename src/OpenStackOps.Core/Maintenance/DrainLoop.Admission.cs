using System;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    internal sealed partial class DrainLoop
    {
        /// <summary>Starts queued moves while the throttle allows (fire-and-forget: all of them).</summary>
        private async Task AdmitAsync()
        {
            while (!_ct.IsCancellationRequested &&
                   (!_options.Wait || _flights.Count < _options.ThrottleLimit) &&
                   _input.TryDequeue(out var request))
            {
                await AdmitOneAsync(request).ConfigureAwait(false);
            }
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
                Emit(NewResult(request, sequence, MigrationKind.None, MigrationOutcome.Skipped, skipReason));
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
                    await _tracker.PrepareAsync(server.Host, _ct).ConfigureAwait(false);
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

            var flight = new Flight(request, sequence, kind) { SubmittedAt = _clock.UtcNow, Timeout = TimeoutFor(server) };
            ServerActionResult accepted;
            try
            {
                // Not cancellable: once a move is sent, we want nova's answer (and its request id) rather than
                // an unknown outcome. ServiceClient.RequestTimeout bounds each send; a transient fault is checked
                // against nova's instance actions before anything is sent again (never a second move).
                var submitter = new ServerActionSubmitter(_compute.InstanceActions, _clock, Message);
                accepted = await submitter.SubmitAsync(server.Id, kind == MigrationKind.Live ? "live-migration" : "migrate", () => kind == MigrationKind.Live
                    ? _compute.MigrateActions.LiveMigrateAsync(server.Id, new LiveMigrationRequest
                    {
                        Host = request.Destination,
                        BlockMigration = _options.BlockMigration,
                        AllowUnvalidatedHost = _options.AllowUnvalidatedHost,
                    }, CancellationToken.None)
                    : _compute.MigrateActions.MigrateAsync(server.Id, request.Destination, CancellationToken.None), _ct).ConfigureAwait(false);
            }
            catch (SubmissionFailedException e)
            {
                string verb = kind == MigrationKind.Live ? "live migration" : "cold migration";
                string message = e.OperatorMessage != null ? $"not moved: {e.OperatorMessage}" : $"nova refused the {verb}";
                Message($"{Describe(server)}: {message}: {e.Last.Message}");
                Emit(Failure(NewResult(request, sequence, kind, MigrationOutcome.Failed, message), e.Last));
                return;
            }

            flight.RequestId = accepted.RequestId;
            flight.Microversion = accepted.Microversion;
            string where = request.Destination == null ? "a host the scheduler picks" : request.Destination;
            if (!_options.Wait)
            {
                var submitted = FromFlight(flight, MigrationOutcome.Submitted, kind == MigrationKind.Live
                    ? $"accepted by nova (request {accepted.RequestId}); not waited for"
                    : $"accepted by nova (request {accepted.RequestId}); not waited for: confirm it once it is VERIFY_RESIZE");
                Emit(submitted);
                return;
            }
            flight.Deadline = flight.SubmittedAt + flight.Timeout;
            flight.NextPollAt = _planner.FirstPoll(flight);
            _flights.Add(flight);
            Message($"{Describe(server)}: {(kind == MigrationKind.Live ? "live" : "cold")} migration from {server.Host} to {where} accepted " +
                    $"(request {accepted.RequestId}{(accepted.Microversion.Major > 0 ? ", compute " + accepted.Microversion : "")}); first look in {(flight.NextPollAt - flight.SubmittedAt).TotalSeconds:0.#} s.");
            ReportProgress(flight);
            ReportOverall();
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
