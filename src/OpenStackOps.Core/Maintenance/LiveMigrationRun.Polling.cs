using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    public sealed partial class LiveMigrationRun
    {
        /// <summary>
        /// One poll for everything in flight: one migrations listing; then, only if some record ended, one
        /// server read for all of those (GET when one, a changes-since listing when several); an instance-action
        /// read per failure; memory figures only when asked. Then timeouts, then the next poll times.
        /// </summary>
        private async Task TickAsync()
        {
            var polledAt = _clock.UtcNow;
            _lastPollAt = polledAt;
            IReadOnlyList<MigrationRecord>? records = null;
            try
            {
                records = await _tracker.PollAsync(_flights, _ct).ConfigureAwait(false);
            }
            catch (Identity.TokenRenewalException e) when (!e.MayRecover)
            {
                // No token and only the operator can get one: waiting for the deadlines would only repeat this.
                // The run ends here, and every move in flight is reported as nova last showed it (nova carries on).
                throw;
            }
            catch (OpenStackApiException e)
            {
                // ServiceClient already retried; the deadlines still hold, so this cannot wait forever.
                Message($"Could not list migrations ({e.Message}); trying again at the next poll.");
            }
            if (records != null)
            {
                foreach (var f in _flights)
                {
                    var r = _tracker.Match(f, records);
                    if (r != null) f.Record = r;
                    if (f.Kind == MigrationKind.Live && f.Record != null)
                    {
                        if (MigrationStatuses.IsWaiting(f.Status)) f.WaitedInQueue |= MigrationStatuses.Is(f.Status, MigrationStatuses.Queued);
                        else if (f.StartedAt == null && f.WaitedInQueue)
                        {
                            // Out of nova's queue at this poll: its own move starts now; schedule from here.
                            f.StartedAt = polledAt;
                            f.NextPollAt = polledAt;
                        }
                    }
                    // Still in progress at this poll: a lower bound for how long this move takes.
                    if (!NeedsServerView(f)) f.LastSeenInProgressAt = polledAt;
                }
            }

            var ended = _flights.Where(NeedsServerView).ToList();
            _spacing.AfterPoll(polledAt, ended.Count);
            if (ended.Count > 0)
            {
                var servers = await ReadServersAsync(ended).ConfigureAwait(false);
                foreach (var f in ended)
                {
                    if (servers == null)
                    {
                        if (++f.VerifyAttempts >= _options.MaxVerifyAttempts)
                            Finish(f, FromFlight(f, MigrationOutcome.Unverified,
                                $"nova's migration record says '{f.Status}', but the server could not be read to check it; look at it before trusting the move"));
                        continue;
                    }
                    servers.TryGetValue(f.ServerId, out var server);
                    await _judge.SettleAsync(f, server).ConfigureAwait(false);
                }
            }

            if (_options.ReportMemoryProgress) await ReadMemoryAsync().ConfigureAwait(false);

            var now = _clock.UtcNow;
            foreach (var f in _flights.ToList())
                await _judge.CheckTimeoutAsync(f, now).ConfigureAwait(false);

            now = _clock.UtcNow;
            // Everything was just looked at: flights due within half an interval count as polled, so polls do not
            // come in bursts of near-simultaneous due times.
            var horizon = now + TimeSpan.FromTicks(_options.MinPollInterval.Ticks / 2);
            // Moves queued behind a running one from the same host cannot end before it does: the running one's polls
            // (one listing covers every flight) show when they start, so they do not call for polls of their own.
            var running = new HashSet<string>(_flights.Where(x => x.Kind == MigrationKind.Live && x.Record != null && !MigrationStatuses.IsWaiting(x.Status) && !NeedsServerView(x))
                .Select(x => x.Source), StringComparer.OrdinalIgnoreCase);
            foreach (var f in _flights)
            {
                bool queuedBehind = f.Kind == MigrationKind.Live && MigrationStatuses.Is(f.Status, MigrationStatuses.Queued) && running.Contains(f.Source)
                                    && !f.IsOvertime && !_options.ReportMemoryProgress;
                if (queuedBehind) f.NextPollAt = Earliest(now + TimeSpan.FromTicks(_options.MaxPollInterval.Ticks * 4), f.Deadline);
                else if (f.NextPollAt <= horizon) f.NextPollAt = _planner.NextPoll(f, now);
                ReportProgress(f);
            }
            ReportOverall();
        }

        private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

        /// <summary>Whether the record ended (or, cold, reached the point where the engine must confirm).</summary>
        private static bool NeedsServerView(Flight f)
        {
            string? s = f.Status;
            if (s == null) return false;
            if (MigrationStatuses.IsFailure(s) || MigrationStatuses.Is(s, MigrationStatuses.Cancelled)) return true;
            if (f.Kind == MigrationKind.Live) return MigrationStatuses.IsLiveSuccess(s);
            return MigrationStatuses.Is(s, MigrationStatuses.Confirmed) || MigrationStatuses.Is(s, MigrationStatuses.Reverted) ||
                   (MigrationStatuses.Is(s, MigrationStatuses.Finished) && !f.ConfirmSent);
        }

        /// <summary>
        /// The servers of <paramref name="ended"/> by id: a null value means deleted; null when they could not be read.
        /// One call: GET for one server; for several, every server changed since the earliest of their records was
        /// created (nova's clock; a move updates the server after its record exists).
        /// </summary>
        private async Task<Dictionary<string, Server?>?> ReadServersAsync(List<Flight> ended)
        {
            var map = new Dictionary<string, Server?>(StringComparer.OrdinalIgnoreCase);
            try
            {
                // An ended flight's record is the one that ended it, so it is set.
                if (ended.Count > 1 && ended.All(f => f.Record!.CreatedAt.HasValue))
                {
                    var since = ended.Min(f => f.Record!.CreatedAt!.Value) - TimeSpan.FromSeconds(1);
                    var wanted = new HashSet<string>(ended.Select(f => f.ServerId), StringComparer.OrdinalIgnoreCase);
                    foreach (var s in await _compute.Servers.ListChangedSinceAsync(since, _ct).ConfigureAwait(false))
                        if (wanted.Contains(s.Id)) map[s.Id] = IsDeleted(s) ? null : s;
                }
                foreach (var f in ended.Where(f => !map.ContainsKey(f.ServerId)))
                    map[f.ServerId] = await GetServerOrNullAsync(f.ServerId).ConfigureAwait(false);
                return map;
            }
            catch (OpenStackApiException e)
            {
                Message($"Could not read the servers whose migrations ended ({e.Message}); trying again at the next poll.");
                return null;
            }
        }

        private async Task<Server?> GetServerOrNullAsync(string id)
        {
            try
            {
                var s = await _compute.Servers.GetAsync(id, _ct).ConfigureAwait(false);
                return IsDeleted(s) ? null : s;
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                return null;
            }
        }

        private static bool IsDeleted(Server s)
            => string.Equals(s.Status, "DELETED", StringComparison.OrdinalIgnoreCase) ||
               string.Equals(s.Status, "SOFT_DELETED", StringComparison.OrdinalIgnoreCase);

        /// <summary>Memory copied so far, per running live migration (one GET each): only when a display asked for it.</summary>
        private async Task ReadMemoryAsync()
        {
            if (_judge.Microversion < ServerMigrationsApi.InProgressList) return;
            foreach (var f in _flights.Where(f => f.Kind == MigrationKind.Live && f.Record != null &&
                                                  MigrationStatuses.Is(f.Status, MigrationStatuses.Running)).ToList())
            {
                try
                {
                    var m = await _compute.ServerMigrations.GetInProgressAsync(f.ServerId, f.Record!.Id, _ct).ConfigureAwait(false);
                    f.Memory = m;
                }
                catch (OpenStackApiException e)
                {
                    // 404: it ended between the listing and now; anything else only costs the figures.
                    if (e.Kind != ApiErrorKind.NotFound) Message($"{Describe(f.Server)}: no memory figures ({e.Message}).");
                }
            }
        }
    }
}
