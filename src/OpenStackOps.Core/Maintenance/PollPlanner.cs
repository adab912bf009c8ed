namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// When to look again. The first poll of a move waits about as long as this run's finished moves took (nova's
    /// own record times, created → last update), so a steady drain needs one poll per server; a move that runs
    /// over is looked at again soon, backing off with the overrun. Before any move has finished the polls back off
    /// geometrically from <see cref="MigrationOptions.InitialPollDelay"/>. Always between the minimum and maximum
    /// interval, never past the deadline.
    /// </summary>
    internal sealed class PollPlanner
    {
        /// <summary>Weight of the newest observation in the running estimate.</summary>
        private const double Smoothing = 0.5;
        private static readonly TimeSpan MinimumSlack = TimeSpan.FromMilliseconds(500);
        private static readonly TimeSpan LongestFirstWait = TimeSpan.FromMinutes(2);
        private readonly MigrationOptions _options;
        private readonly Dictionary<MigrationKind, TimeSpan> _estimates = new Dictionary<MigrationKind, TimeSpan>();
        private readonly Dictionary<MigrationKind, TimeSpan> _lags = new Dictionary<MigrationKind, TimeSpan>();

        internal PollPlanner(MigrationOptions options) => _options = options;

        /// <summary>How long a move of this kind is expected to take, once one has finished in this run.</summary>
        internal TimeSpan? Expected(MigrationKind kind) => _estimates.TryGetValue(kind, out var e) ? e : (TimeSpan?)null;

        /// <summary>
        /// A first estimate from moves that ended on this cloud before the run (their median: one odd record does not
        /// skew it). Ignored once the run has its own.
        /// </summary>
        internal void Seed(MigrationKind kind, IReadOnlyCollection<TimeSpan> durations)
        {
            if (durations.Count == 0 || _estimates.ContainsKey(kind)) return;
            var sorted = durations.OrderBy(d => d).ToList();
            _estimates[kind] = sorted[sorted.Count / 2];
        }

        /// <summary>
        /// Learns from a finished move. <paramref name="recorded"/>: nova's record time (created → last update; whole
        /// seconds, and it leaves out the hop from the API to the conductor); <paramref name="seenInProgress"/>: how long
        /// after submission a poll still saw it in progress (a lower bound); <paramref name="upperBound"/>: when it was
        /// seen ended. When a poll saw it running past nova's own duration, that gap is a lag nova's clock misses: it
        /// is learnt, and added from then on, so a steady drain keeps landing its first look just after the end.
        /// </summary>
        internal void Observe(MigrationKind kind, TimeSpan? recorded, TimeSpan? seenInProgress, TimeSpan upperBound)
        {
            if (recorded.HasValue && seenInProgress.HasValue && seenInProgress.Value > recorded.Value)
                _lags[kind] = Smooth(_lags, kind, seenInProgress.Value - recorded.Value);
            var sample = recorded.HasValue
                ? recorded.Value + (_lags.TryGetValue(kind, out var lag) ? lag : TimeSpan.Zero)
                : upperBound;
            if (seenInProgress.HasValue && sample < seenInProgress.Value) sample = seenInProgress.Value;
            if (sample > upperBound) sample = upperBound;
            if (sample <= TimeSpan.Zero) return;
            _estimates[kind] = Smooth(_estimates, kind, sample);
        }

        private static TimeSpan Smooth(Dictionary<MigrationKind, TimeSpan> values, MigrationKind kind, TimeSpan sample)
            => values.TryGetValue(kind, out var previous)
                ? TimeSpan.FromTicks((long)(previous.Ticks * (1 - Smoothing) + sample.Ticks * Smoothing))
                : sample;

        internal DateTimeOffset FirstPoll(Flight f)
        {
            TimeSpan wait;
            if (_options.ReportMemoryProgress)
                wait = Fast;
            else
            {
                var expected = Expected(f.Kind) ?? _options.InitialPollDelay;
                // The record's times leave out the hop from the API to the conductor and our own latency: a little slack
                // makes the first look land just after the end instead of just before it.
                var slack = TimeSpan.FromTicks(Math.Max(MinimumSlack.Ticks, expected.Ticks / 20));
                wait = Clamp(expected + slack, _options.MinPollInterval, LongestFirstWait);
            }
            return Earliest(f.SubmittedAt + wait, f.Deadline);
        }

        internal DateTimeOffset NextPoll(Flight f, DateTimeOffset now)
        {
            var elapsed = now - f.ClockStart;
            var expected = Expected(f.Kind);
            TimeSpan interval;
            if (expected == null)
                // Nothing finished yet in this run: back off geometrically from the first look (5.5, 7.3, 9.8, 13 s...).
                interval = TimeSpan.FromTicks(elapsed.Ticks / 3);
            else if (elapsed >= expected.Value)
                // Later than the moves before it: it should end any moment. Look again soon, backing off as it runs over.
                interval = TimeSpan.FromTicks((elapsed - expected.Value).Ticks / 2);
            else
                // Looked at early (another flight's poll): come back when it is expected to end.
                interval = expected.Value - elapsed;
            interval = Clamp(interval, _options.MinPollInterval, _options.MaxPollInterval);
            // A progress display, a pending abort and nova's reaction to it all deserve a quicker look.
            if (_options.ReportMemoryProgress || f.IsOvertime)
                interval = Clamp(Fast, _options.MinPollInterval, interval);
            var next = now + interval;
            switch (f.Overtime.Stage)
            {
                case TimeoutStage.None: return Earliest(next, f.Deadline);
                case TimeoutStage.ActionSent: return Earliest(next, f.Overtime.GraceDeadline);
                default: return next;
            }
        }

        private TimeSpan Fast => TimeSpan.FromTicks(_options.MinPollInterval.Ticks * 2);

        private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max)
            => value < min ? min : value > max ? max : value;

        private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
    }
}
