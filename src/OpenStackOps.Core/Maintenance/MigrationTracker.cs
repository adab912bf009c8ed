using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Finds each flight's migration record with one os-migrations listing per poll for everything in flight,
    /// never one GET per server.
    /// <para>
    /// Nova creates the record in the conductor after the 202 and records carry no request id, so a record is
    /// "ours" when it belongs to the server and is newer than a baseline taken before the first submission:
    /// from 2.59 the newest record in the cloud (one <c>limit=1</c> call; records are newest-first), whose
    /// created_at in nova's own clock then bounds every later poll with changes-since; before 2.59, the highest
    /// record id per source host (the host's full list, which is all that old API offers).
    /// </para>
    /// <para>
    /// From 2.59 the changes-since bound slides: it is the newest created_at a successful poll has shown, less
    /// <see cref="ChangesWindow"/>, so a poll returns what changed lately, not every record of the run: a rolling drain
    /// of 5000 servers would otherwise list up to 5000 records at every poll (quadratic). Safe because a change made
    /// after a successful poll is stamped later than the newest record that poll showed (which existed then), give or
    /// take the clock skew between nova's services and a commit's delay, which the window covers; a failed poll does not
    /// move the bound, so an outage of any length loses nothing.
    /// </para>
    /// </summary>
    internal sealed class MigrationTracker
    {
        private readonly ComputeClient _compute;
        private bool? _paging;
        private bool _baselineTaken;
        private MigrationRecord? _baseline;
        private readonly Dictionary<string, long> _hostBaselines = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

        /// <summary>How many of the newest records the baseline call reads: the newest is the baseline, the finished live
        /// migrations among them tell how long moves take on this cloud before any of ours has finished.</summary>
        private const int BaselineSample = 10;

        /// <summary>How far behind the newest record seen each poll looks for changes: far more than the clock skew
        /// between nova's services and a commit's delay, far less than a drain.</summary>
        internal static readonly TimeSpan ChangesWindow = TimeSpan.FromMinutes(5);

        /// <summary>The newest created_at that a successful poll has shown (nova's clock); null before the first.</summary>
        private DateTimeOffset? _newestSeen;

        internal MigrationTracker(ComputeClient compute) => _compute = compute;

        /// <summary>How long recent completed live migrations took on this cloud (nova's record times), newest first.</summary>
        internal List<TimeSpan> RecentLiveDurations { get; } = new List<TimeSpan>();

        /// <summary>Takes the baseline for moves from <paramref name="sourceHost"/>, once.</summary>
        internal async Task PrepareAsync(string sourceHost, CancellationToken ct)
        {
            if (_paging == null) _paging = await _compute.Migrations.SupportsPagingAsync(ct).ConfigureAwait(false);
            if (_paging == true)
            {
                if (_baselineTaken) return;
                var newest = await _compute.Migrations.ListAsync(new MigrationQuery { Limit = BaselineSample, AllPages = false }, ct).ConfigureAwait(false);
                _baseline = newest.FirstOrDefault();
                _baselineTaken = true;
                Learn(newest);
            }
            else if (!_hostBaselines.ContainsKey(sourceHost))
            {
                var all = await _compute.Migrations.ListAsync(new MigrationQuery { SourceCompute = sourceHost }, ct).ConfigureAwait(false);
                _hostBaselines[sourceHost] = all.Count == 0 ? 0 : all.Max(m => m.Id);
                Learn(all.OrderByDescending(m => m.Id).Take(BaselineSample));
            }
        }

        private void Learn(IEnumerable<MigrationRecord> records)
        {
            foreach (var r in records)
            {
                if (r.MigrationType != MigrationTypes.LiveMigration || !MigrationStatuses.IsLiveSuccess(r.Status)) continue;
                if (r.CreatedAt == null || r.UpdatedAt == null || r.UpdatedAt.Value <= r.CreatedAt.Value) continue;
                RecentLiveDurations.Add(r.UpdatedAt.Value - r.CreatedAt.Value);
            }
        }

        /// <summary>The records that can matter to <paramref name="flights"/>: one call from 2.59, one per source host before.</summary>
        internal async Task<IReadOnlyList<MigrationRecord>> PollAsync(IReadOnlyCollection<Flight> flights, CancellationToken ct)
        {
            var hosts = flights.Select(f => f.Source).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (_paging == true)
            {
                var query = new MigrationQuery
                {
                    ChangesSince = ChangesSince(),
                    // A drain has one source: let nova filter. Mixed sources (a rolling drain, a return trip) stay one call.
                    SourceCompute = hosts.Count == 1 ? hosts[0] : null,
                };
                var records = await _compute.Migrations.ListAsync(query, ct).ConfigureAwait(false);
                foreach (var r in records)
                    if (r.CreatedAt.HasValue && (_newestSeen == null || r.CreatedAt.Value > _newestSeen.Value)) _newestSeen = r.CreatedAt;
                return records;
            }
            var all = new List<MigrationRecord>();
            foreach (var host in hosts)
                all.AddRange(await _compute.Migrations.ListAsync(new MigrationQuery { SourceCompute = host }, ct).ConfigureAwait(false));
            return all;
        }

        /// <summary>The baseline's time, or later once polls have shown newer records (see the class summary).</summary>
        private DateTimeOffset? ChangesSince()
        {
            var floor = _baseline?.CreatedAt;
            if (_newestSeen == null) return floor;
            var sliding = _newestSeen.Value - ChangesWindow;
            return floor == null || sliding > floor.Value ? sliding : floor;
        }

        /// <summary>The record of this flight's move among <paramref name="records"/>, or null when nova has not shown it yet.</summary>
        internal MigrationRecord? Match(Flight f, IReadOnlyList<MigrationRecord> records)
        {
            MigrationRecord? best = null;
            foreach (var r in records)
            {
                if (!string.Equals(r.InstanceUuid, f.ServerId, StringComparison.OrdinalIgnoreCase)) continue;
                if (f.Record != null && SameRecord(r, f.Record)) return r;
                if (!KindMatches(f.Kind, r.MigrationType) || !IsNew(r, f.Source)) continue;
                if (best == null || Newer(r, best)) best = r;
            }
            return best;
        }

        private bool IsNew(MigrationRecord r, string sourceHost)
        {
            if (_paging == true)
            {
                if (_baseline == null) return true;
                if (r.Uuid != null && string.Equals(r.Uuid, _baseline.Uuid, StringComparison.OrdinalIgnoreCase)) return false;
                if (r.CreatedAt.HasValue && _baseline.CreatedAt.HasValue) return r.CreatedAt.Value >= _baseline.CreatedAt.Value;
                return r.Id > _baseline.Id;
            }
            return _hostBaselines.TryGetValue(sourceHost, out long highest) && r.Id > highest;
        }

        private static bool KindMatches(MigrationKind kind, string? type)
        {
            if (type == null) return true; // before 2.23 the listing does not say
            return kind == MigrationKind.Cold
                ? type == MigrationTypes.Migration || type == MigrationTypes.Resize
                : type == MigrationTypes.LiveMigration;
        }

        private static bool SameRecord(MigrationRecord a, MigrationRecord b)
            => a.Uuid != null && b.Uuid != null
                ? string.Equals(a.Uuid, b.Uuid, StringComparison.OrdinalIgnoreCase)
                : a.Id == b.Id;

        private static bool Newer(MigrationRecord a, MigrationRecord b)
        {
            if (a.CreatedAt.HasValue && b.CreatedAt.HasValue && a.CreatedAt.Value != b.CreatedAt.Value)
                return a.CreatedAt.Value > b.CreatedAt.Value;
            return a.Id > b.Id;
        }
    }
}
