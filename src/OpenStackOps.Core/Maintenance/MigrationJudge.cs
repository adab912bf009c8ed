using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;
using static OpenStackOps.Maintenance.FlightResults;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Judges one move at a time, for the <see cref="LiveMigrationRun"/>: whether a flight whose record ended succeeded
    /// (nova's record and the server's own state both), rolled back, failed or was aborted, with nova's reason; the
    /// cold move's confirm; what its deadline calls for (abort, force-complete, leave). It knows the flight it is given
    /// and the run's options, nothing of the other flights: it ends a flight through <c>finish</c> and says what it
    /// did through <c>message</c>, and the loop does the rest.
    /// </summary>
    internal sealed class MigrationJudge
    {
        private readonly ComputeClient _compute;
        private readonly MigrationOptions _options;
        private readonly IWaitClock _clock;
        private readonly PollPlanner _planner;
        private readonly Action<Flight, MigrationResult> _finish;
        private readonly Action<string> _message;
        private readonly CancellationToken _ct;

        internal MigrationJudge(ComputeClient compute, MigrationOptions options, IWaitClock clock, PollPlanner planner,
            Action<Flight, MigrationResult> finish, Action<string> message, CancellationToken ct)
        {
            _compute = compute;
            _options = options;
            _clock = clock;
            _planner = planner;
            _finish = finish;
            _message = message;
            _ct = ct;
        }

        /// <summary>The highest microversion both nova and this client speak: what decides abort and force-complete.</summary>
        internal Microversion Microversion { get; set; } = ComputeClient.V(1);

        /// <summary>A flight whose record ended (or, cold, reached the confirm): settled by its kind. A null server was deleted.</summary>
        internal Task SettleAsync(Flight f, Server? server)
            => f.Kind == MigrationKind.Cold ? SettleColdAsync(f, server) : SettleLiveAsync(f, server);

        private void Finish(Flight f, MigrationResult result) => _finish(f, result);

        private void Message(string message) => _message(message);

        private MigrationResult FromFlight(Flight f, MigrationOutcome status, string message) => FlightResults.Of(f, status, message, _clock.UtcNow);

        /// <summary>
        /// A live migration's record ended. Success needs both: the record says completed AND the server is back
        /// in its state, with no task, on a host other than its source (nova can lose track of a guest, LP #1414065,
        /// so the status alone is not trusted). A failure is a rollback when the server is intact on its source.
        /// </summary>
        private async Task SettleLiveAsync(Flight f, Server? server)
        {
            if (server == null)
            {
                Finish(f, FromFlight(f, MigrationOutcome.Failed, "the server was deleted during its migration"));
                return;
            }
            string? status = f.Status;
            bool settled = string.IsNullOrEmpty(server.TaskState);
            bool moved = !SameHost(server.Host, f.Source);
            bool asBefore = string.Equals(server.Status, Eligibility.ExpectedFinalStatus(f.Server, f.Kind), StringComparison.OrdinalIgnoreCase);

            if (MigrationStatuses.IsLiveSuccess(status))
            {
                if (settled && moved && asBefore)
                {
                    Succeed(f, server, MigrationOutcome.Completed, $"live-migrated from {f.Source} to {server.Host}");
                    return;
                }
                if (++f.VerifyAttempts < _options.MaxVerifyAttempts) return;
                Finish(f, WithServer(FromFlight(f, MigrationOutcome.Failed,
                    $"nova's migration record says completed, but the server is {StateOf(server)}; check it before trusting the move"), server));
                return;
            }

            if (MigrationStatuses.Is(status, MigrationStatuses.Cancelled))
            {
                if (!settled && ++f.VerifyAttempts < _options.MaxVerifyAttempts) return;
                string why = f.Overtime.ActionTaken == TimeoutAction.Abort
                    ? $"timed out after {Seconds(f.Timeout)} and aborted; the server is {StateOf(server)}"
                    : $"cancelled outside this run (an abort request, or nova's own live_migration_timeout_action); the server is {StateOf(server)}";
                Finish(f, WithServer(FromFlight(f, MigrationOutcome.Aborted, why), server));
                return;
            }

            // error / failed: wait for nova to finish putting the server back before judging it.
            if (!settled && ++f.VerifyAttempts < _options.MaxVerifyAttempts) return;
            string reason = await ExplainAsync(f).ConfigureAwait(false);
            var result = settled && !moved && asBefore
                ? FromFlight(f, MigrationOutcome.RolledBack, $"nova failed the live migration and rolled it back: the server is {StateOf(server)}")
                : FromFlight(f, MigrationOutcome.Failed, $"nova failed the live migration: the server is {StateOf(server)}");
            result.Error = reason;
            Message($"{Describe(f.Server)}: {result.Status}: {reason}");
            Finish(f, WithServer(result, server));
        }

        /// <summary>
        /// A cold migration: 'finished' means the server waits in VERIFY_RESIZE on the destination, so the engine
        /// confirms it; 'confirmed' plus the server SHUTOFF elsewhere is success.
        /// </summary>
        private async Task SettleColdAsync(Flight f, Server? server)
        {
            if (server == null)
            {
                Finish(f, FromFlight(f, MigrationOutcome.Failed, "the server was deleted during its cold migration"));
                return;
            }
            string? status = f.Status;
            bool settled = string.IsNullOrEmpty(server.TaskState);

            if (MigrationStatuses.Is(status, MigrationStatuses.Finished))
            {
                // nova marks the record finished a moment before the server shows VERIFY_RESIZE; confirming earlier is a 409.
                if (!string.Equals(server.Status, "VERIFY_RESIZE", StringComparison.OrdinalIgnoreCase)) return;
                await ConfirmAsync(f, server).ConfigureAwait(false);
                return;
            }

            if (MigrationStatuses.Is(status, MigrationStatuses.Confirmed))
            {
                if (settled && !SameHost(server.Host, f.Source) && string.Equals(server.Status, "SHUTOFF", StringComparison.OrdinalIgnoreCase))
                {
                    Succeed(f, server, MigrationOutcome.ColdMigrated, $"cold-migrated from {f.Source} to {server.Host} and confirmed");
                    return;
                }
                if (++f.VerifyAttempts < _options.MaxVerifyAttempts) return;
                Finish(f, WithServer(FromFlight(f, MigrationOutcome.Failed,
                    $"nova's migration record says confirmed, but the server is {StateOf(server)}; check it"), server));
                return;
            }

            if (MigrationStatuses.Is(status, MigrationStatuses.Reverted) || MigrationStatuses.Is(status, MigrationStatuses.Cancelled))
            {
                Finish(f, WithServer(FromFlight(f, MigrationOutcome.Failed,
                    $"the cold migration was reverted outside this run; the server is {StateOf(server)}"), server));
                return;
            }

            if (!settled && ++f.VerifyAttempts < _options.MaxVerifyAttempts) return;
            string reason = await ExplainAsync(f).ConfigureAwait(false);
            bool intact = settled && SameHost(server.Host, f.Source) && string.Equals(server.Status, "SHUTOFF", StringComparison.OrdinalIgnoreCase);
            var result = FromFlight(f, intact ? MigrationOutcome.RolledBack : MigrationOutcome.Failed,
                $"nova failed the cold migration: the server is {StateOf(server)}");
            result.Error = reason;
            Finish(f, WithServer(result, server));
        }

        private async Task ConfirmAsync(Flight f, Server server)
        {
            try
            {
                // Not cancellable, like the move itself: a half-sent confirm would leave the answer unknown.
                var confirmed = await _compute.MigrateActions.ConfirmResizeAsync(f.ServerId, CancellationToken.None).ConfigureAwait(false);
                f.ConfirmSent = true;
                Message($"{Describe(f.Server)}: cold migration to {server.Host} finished; confirmed (request {confirmed.RequestId}).");
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Conflict && ++f.VerifyAttempts < _options.MaxVerifyAttempts)
            {
                Message($"{Describe(f.Server)}: confirming was refused for now ({e.ServerMessage ?? e.Message}); trying again at the next poll.");
            }
            catch (OpenStackApiException e)
            {
                var result = FromFlight(f, MigrationOutcome.Failed,
                    $"the cold migration finished but nova refused to confirm it: the server waits in VERIFY_RESIZE on {server.Host}; " +
                    "confirm it (openstack server resize confirm) or revert it");
                Finish(f, WithServer(Failure(result, e), server));
            }
        }

        /// <summary>
        /// Why nova failed the move, in its own words: the failed events of the instance action of our request
        /// (details from 2.84, else the traceback's last line). One call, only for failures.
        /// </summary>
        private async Task<string> ExplainAsync(Flight f)
        {
            string fallback = $"nova marked migration {f.Record?.Id} '{f.Status}'" +
                              (f.RequestId == null ? "" : $"; see: openstack server event show {f.ServerId} {f.RequestId}");
            if (f.RequestId == null) return fallback;
            try
            {
                var action = await _compute.InstanceActions.GetAsync(f.ServerId, f.RequestId, _ct).ConfigureAwait(false);
                return action.FailureReason ?? fallback;
            }
            catch (OpenStackApiException e)
            {
                Message($"{Describe(f.Server)}: could not read instance action {f.RequestId} ({e.Message}).");
                return fallback;
            }
        }

        private void Succeed(Flight f, Server server, MigrationOutcome outcome, string message)
        {
            if (!f.IsOvertime)
            {
                // Learn how long moves take here, from nova's own timestamps and what our polls saw.
                var r = f.Record;
                // A move that waited in nova's queue: its record spans the wait too, so learn from our own clock since it started.
                TimeSpan? recorded = r?.CreatedAt != null && r.UpdatedAt != null && f.StartedAt == null ? r.UpdatedAt.Value - r.CreatedAt.Value : (TimeSpan?)null;
                _planner.Observe(f.Kind, recorded, f.LastSeenInProgressAt - f.ClockStart, _clock.UtcNow - f.ClockStart);
            }
            else
            {
                message += f.Overtime.ActionTaken == TimeoutAction.ForceComplete
                    ? $" after it timed out ({Seconds(f.Timeout)}) and was forced to complete"
                    : $" although it timed out ({Seconds(f.Timeout)}): the {f.Overtime.ActionTaken?.ToString().ToLowerInvariant()} came too late";
            }
            Message($"{Describe(f.Server)}: {message}.");
            Finish(f, WithServer(FromFlight(f, outcome, message), server));
        }

        private static bool SameHost(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static string StateOf(Server s)
            => $"{s.Status} on {s.Host ?? "an unknown host"}" + (string.IsNullOrEmpty(s.TaskState) ? "" : $" (task {s.TaskState})");

        private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0} s";

        /// <summary>
        /// At its deadline a live migration is aborted, forced to complete, or left running, as asked. Nova only
        /// takes abort/force-complete in some statuses, so the action waits for one (bounded by the grace period);
        /// once sent, the record's end settles the flight as usual; if nova does not end it within the grace
        /// period the result says it is still running. Cold migrations cannot be aborted and are left running.
        /// </summary>
        internal async Task CheckTimeoutAsync(Flight f, DateTimeOffset now)
        {
            if (!f.IsOvertime)
            {
                if (now < f.Deadline) return;
                string where = $"still '{f.Status ?? "not started"}' after {Seconds(f.Timeout)}";
                if (f.Kind == MigrationKind.Cold || _options.TimeoutAction == TimeoutAction.Leave)
                {
                    f.Overtime.ActionTaken = TimeoutAction.Leave;
                    f.Overtime.Stage = TimeoutStage.ActionSent; // "leaving it" is the action, done at once: the result says TimedOut
                    string why = f.Kind == MigrationKind.Cold
                        ? $"{where}; cold migrations cannot be aborted: left running. Once it is VERIFY_RESIZE, confirm it (openstack server resize confirm) or revert it"
                        : $"{where}; left running as asked: nova carries on";
                    Finish(f, FromFlight(f, MigrationOutcome.TimedOut, why + FlightResults.Hint(f)));
                    return;
                }
                f.Overtime.Stage = TimeoutStage.ActionPending;
                f.Overtime.ActionTaken = _options.TimeoutAction;
                f.Overtime.GraceDeadline = now + _options.TimeoutGracePeriod;
                Message($"{Describe(f.Server)}: {where}; {(_options.TimeoutAction == TimeoutAction.Abort ? "aborting" : "forcing it to complete")}.");
            }

            if (f.Overtime.Stage == TimeoutStage.ActionPending)
            {
                if (!await TrySendTimeoutActionAsync(f, now).ConfigureAwait(false)) return; // finished already
            }

            if (now >= f.Overtime.GraceDeadline)
            {
                string verb = f.Overtime.ActionTaken == TimeoutAction.Abort ? "abort" : "force-complete";
                string why = f.Overtime.Stage == TimeoutStage.ActionSent
                    ? $"timed out after {Seconds(f.Timeout)}; the {verb} was sent but the migration is still '{f.Status}' {Seconds(_options.TimeoutGracePeriod)} later: nova carries on"
                    : $"timed out after {Seconds(f.Timeout)}; the {verb} could not be sent while the migration was '{f.Status ?? "not started"}'" +
                      (f.Overtime.Note == null ? "" : $" ({f.Overtime.Note})") + ": nova carries on";
                Finish(f, FromFlight(f, MigrationOutcome.TimedOut, why + FlightResults.Hint(f)));
            }
        }

        /// <summary>Sends the abort/force-complete when nova would take it. False when the flight was finished here.</summary>
        private async Task<bool> TrySendTimeoutActionAsync(Flight f, DateTimeOffset now)
        {
            bool abort = f.Overtime.ActionTaken == TimeoutAction.Abort;
            var needed = abort ? ServerMigrationsApi.Abort : ServerMigrationsApi.ForceComplete;
            if (Microversion < needed)
            {
                Finish(f, FromFlight(f, MigrationOutcome.TimedOut,
                    $"timed out after {Seconds(f.Timeout)}; {(abort ? "aborting" : "forcing completion")} needs compute API {needed}, this cloud offers {Microversion}: left running"));
                return false;
            }
            if (f.Record == null || f.Record.Id <= 0) return true; // nova has not shown the record yet
            bool allowed = abort ? MigrationStatuses.CanAbort(f.Status, Microversion) : MigrationStatuses.CanForceComplete(f.Status);
            if (!allowed) return true;
            try
            {
                var sent = abort
                    ? await _compute.ServerMigrations.AbortAsync(f.ServerId, f.Record.Id, CancellationToken.None).ConfigureAwait(false)
                    : await _compute.ServerMigrations.ForceCompleteAsync(f.ServerId, f.Record.Id, CancellationToken.None).ConfigureAwait(false);
                f.Overtime.Stage = TimeoutStage.ActionSent;
                f.Overtime.Note = $"{(abort ? "abort" : "force-complete")} request {sent.RequestId}";
                f.NextPollAt = now; // rescheduled quickly by the tick
                Message($"{Describe(f.Server)}: {(abort ? "abort" : "force-complete")} of migration {f.Record.Id} accepted (request {sent.RequestId}).");
            }
            catch (OpenStackApiException e)
            {
                f.Overtime.Note = e.ServerMessage ?? e.Message;
                Message($"{Describe(f.Server)}: {(abort ? "abort" : "force-complete")} refused: {f.Overtime.Note}");
                // Once may be a race (the migration just ended or left 'running': the next poll settles it);
                // twice means nova (or its driver) will not do it.
                if (++f.Overtime.Refusals >= 2)
                {
                    Finish(f, Failure(FromFlight(f, MigrationOutcome.TimedOut,
                        $"timed out after {Seconds(f.Timeout)}; nova refused the {(abort ? "abort" : "force-complete")}: nova carries on" + FlightResults.Hint(f)), e));
                    return false;
                }
            }
            return true;
        }

    }
}
