using System;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    internal sealed partial class DrainLoop
    {
        /// <summary>
        /// At its deadline a live migration is aborted, forced to complete, or left running, as asked. Nova only
        /// takes abort/force-complete in some statuses, so the action waits for one (bounded by the grace period);
        /// once sent, the record's end settles the flight as usual; if nova does not end it within the grace
        /// period the result says it is still running. Cold migrations cannot be aborted and are left running.
        /// </summary>
        private async Task CheckTimeoutAsync(Flight f, DateTimeOffset now)
        {
            if (f.TimeoutStage == TimeoutStage.None)
            {
                if (now < f.Deadline) return;
                string where = $"still '{f.Status ?? "not started"}' after {Seconds(f.Timeout)}";
                if (f.Kind == MigrationKind.Cold || _options.TimeoutAction == TimeoutAction.Leave)
                {
                    f.TimeoutActionTaken = TimeoutAction.Leave;
                    f.TimeoutStage = TimeoutStage.ActionSent; // "leaving it" is the action, done at once: the result says TimedOut
                    string why = f.Kind == MigrationKind.Cold
                        ? $"{where}; cold migrations cannot be aborted: left running. Once it is VERIFY_RESIZE, confirm it (openstack server resize confirm) or revert it"
                        : $"{where}; left running as asked: nova carries on";
                    Finish(f, FromFlight(f, MigrationOutcome.TimedOut, why + MigrationHint(f)));
                    return;
                }
                f.TimeoutStage = TimeoutStage.ActionPending;
                f.TimeoutActionTaken = _options.TimeoutAction;
                f.GraceDeadline = now + _options.TimeoutGracePeriod;
                Message($"{Describe(f.Server)}: {where}; {(_options.TimeoutAction == TimeoutAction.Abort ? "aborting" : "forcing it to complete")}.");
            }

            if (f.TimeoutStage == TimeoutStage.ActionPending)
            {
                if (!await TrySendTimeoutActionAsync(f, now).ConfigureAwait(false)) return; // finished already
            }

            if (now >= f.GraceDeadline)
            {
                string verb = f.TimeoutActionTaken == TimeoutAction.Abort ? "abort" : "force-complete";
                string why = f.TimeoutStage == TimeoutStage.ActionSent
                    ? $"timed out after {Seconds(f.Timeout)}; the {verb} was sent but the migration is still '{f.Status}' {Seconds(_options.TimeoutGracePeriod)} later: nova carries on"
                    : $"timed out after {Seconds(f.Timeout)}; the {verb} could not be sent while the migration was '{f.Status ?? "not started"}'" +
                      (f.TimeoutNote == null ? "" : $" ({f.TimeoutNote})") + ": nova carries on";
                Finish(f, FromFlight(f, MigrationOutcome.TimedOut, why + MigrationHint(f)));
            }
        }

        /// <summary>Sends the abort/force-complete when nova would take it. False when the flight was finished here.</summary>
        private async Task<bool> TrySendTimeoutActionAsync(Flight f, DateTimeOffset now)
        {
            bool abort = f.TimeoutActionTaken == TimeoutAction.Abort;
            var needed = abort ? ServerMigrationsApi.Abort : ServerMigrationsApi.ForceComplete;
            if (_microversion < needed)
            {
                Finish(f, FromFlight(f, MigrationOutcome.TimedOut,
                    $"timed out after {Seconds(f.Timeout)}; {(abort ? "aborting" : "forcing completion")} needs compute API {needed}, this cloud offers {_microversion}: left running"));
                return false;
            }
            if (f.Record == null || f.Record.Id <= 0) return true; // nova has not shown the record yet
            bool allowed = abort ? MigrationStatuses.CanAbort(f.Status, _microversion) : MigrationStatuses.CanForceComplete(f.Status);
            if (!allowed) return true;
            try
            {
                var sent = abort
                    ? await _compute.ServerMigrations.AbortAsync(f.ServerId, f.Record.Id, CancellationToken.None).ConfigureAwait(false)
                    : await _compute.ServerMigrations.ForceCompleteAsync(f.ServerId, f.Record.Id, CancellationToken.None).ConfigureAwait(false);
                f.TimeoutStage = TimeoutStage.ActionSent;
                f.TimeoutNote = $"{(abort ? "abort" : "force-complete")} request {sent.RequestId}";
                f.NextPollAt = now; // rescheduled quickly by the tick
                Message($"{Describe(f.Server)}: {(abort ? "abort" : "force-complete")} of migration {f.Record.Id} accepted (request {sent.RequestId}).");
            }
            catch (OpenStackApiException e)
            {
                f.TimeoutNote = e.ServerMessage ?? e.Message;
                Message($"{Describe(f.Server)}: {(abort ? "abort" : "force-complete")} refused: {f.TimeoutNote}");
                // Once may be a race (the migration just ended or left 'running': the next poll settles it);
                // twice means nova (or its driver) will not do it.
                if (++f.TimeoutActionRefusals >= 2)
                {
                    Finish(f, Failure(FromFlight(f, MigrationOutcome.TimedOut,
                        $"timed out after {Seconds(f.Timeout)}; nova refused the {(abort ? "abort" : "force-complete")}: nova carries on" + MigrationHint(f)), e));
                    return false;
                }
            }
            return true;
        }

        private static string MigrationHint(Flight f)
            => f.Record == null ? "" : $" (migration {f.Record.Id}: openstack server migration show {f.ServerId} {f.Record.Id})";
    }
}
