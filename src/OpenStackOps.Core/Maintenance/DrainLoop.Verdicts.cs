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
        /// <summary>
        /// A live migration's record ended. Success needs both: the record says completed AND the server is back
        /// in its state, with no task, on a host other than its source (nova can lose track of a guest, LP #1414065,
        /// so the status alone is not trusted). A failure is a rollback when the server is intact on its source.
        /// </summary>
        private async Task SettleLiveAsync(Flight f, Server server)
        {
            if (server == null)
            {
                Finish(f, FromFlight(f, MigrationOutcome.Failed, "the server was deleted during its migration"));
                return;
            }
            string status = f.Status;
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
                string why = f.TimeoutActionTaken == TimeoutAction.Abort
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
        private async Task SettleColdAsync(Flight f, Server server)
        {
            if (server == null)
            {
                Finish(f, FromFlight(f, MigrationOutcome.Failed, "the server was deleted during its cold migration"));
                return;
            }
            string status = f.Status;
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
            if (f.TimeoutStage == TimeoutStage.None)
            {
                // Learn how long moves take here, from nova's own timestamps and what our polls saw.
                var r = f.Record;
                // A move that waited in nova's queue: its record spans the wait too, so learn from our own clock since it started.
                TimeSpan? recorded = r?.CreatedAt != null && r.UpdatedAt != null && f.StartedAt == null ? r.UpdatedAt.Value - r.CreatedAt.Value : (TimeSpan?)null;
                _planner.Observe(f.Kind, recorded, f.LastSeenInProgressAt - f.ClockStart, _clock.UtcNow - f.ClockStart);
            }
            else
            {
                message += f.TimeoutActionTaken == TimeoutAction.ForceComplete
                    ? $" after it timed out ({Seconds(f.Timeout)}) and was forced to complete"
                    : $" although it timed out ({Seconds(f.Timeout)}): the {f.TimeoutActionTaken?.ToString().ToLowerInvariant()} came too late";
            }
            Message($"{Describe(f.Server)}: {message}.");
            Finish(f, WithServer(FromFlight(f, outcome, message), server));
        }

        private static bool SameHost(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static string StateOf(Server s)
            => $"{s.Status} on {s.Host ?? "an unknown host"}" + (string.IsNullOrEmpty(s.TaskState) ? "" : $" (task {s.TaskState})");

        private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0} s";
    }
}
