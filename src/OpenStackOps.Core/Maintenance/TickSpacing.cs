namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// The shortest gap between two polls while several moves are in flight. One listing sees every flight, so polling
    /// faster than nova ends moves only buys empty listings: when the cloud's control plane, not the moves themselves,
    /// sets the pace (20 moves accepted at once, ending one every few seconds), each flight's own schedule would call
    /// for a poll every second. The gap is the interval between endings seen so far in this run; a poll that saw
    /// nothing end doubles it, one that saw an ending brings it back. Always between the minimum and half the maximum
    /// poll interval, so a flight is never looked at much later than its own schedule asks.
    /// </summary>
    internal sealed class TickSpacing
    {
        private readonly MigrationOptions _options;
        private DateTimeOffset? _firstEndingPoll;
        private DateTimeOffset _lastEndingPoll;
        /// <summary>Endings seen after the first poll that saw any: over the time since then, nova's pace.</summary>
        private int _endingsSinceFirst;
        private TimeSpan _gap;

        internal TickSpacing(MigrationOptions options)
        {
            _options = options;
            _gap = options.MinPollInterval;
        }

        internal TimeSpan Gap => _gap;

        /// <summary>The interval between endings so far; null until two polls have seen endings.</summary>
        internal TimeSpan? Pace => _endingsSinceFirst > 0 && _lastEndingPoll > _firstEndingPoll
            ? TimeSpan.FromTicks((_lastEndingPoll - _firstEndingPoll.Value).Ticks / _endingsSinceFirst)
            : (TimeSpan?)null;

        /// <summary>After each poll: how many flights it saw end.</summary>
        internal void AfterPoll(DateTimeOffset at, int ended)
        {
            if (ended > 0)
            {
                if (_firstEndingPoll == null) _firstEndingPoll = at;
                else _endingsSinceFirst += ended;
                _lastEndingPoll = at;
                _gap = Clamp(Pace ?? _options.MinPollInterval);
            }
            else
            {
                _gap = Clamp(TimeSpan.FromTicks(_gap.Ticks * 2));
            }
        }

        private TimeSpan Clamp(TimeSpan value)
        {
            var max = TimeSpan.FromTicks(Math.Max(_options.MinPollInterval.Ticks, _options.MaxPollInterval.Ticks / 2));
            return value < _options.MinPollInterval ? _options.MinPollInterval : value > max ? max : value;
        }
    }
}
