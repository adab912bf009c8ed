using System;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>The gap between polls while several moves are in flight.</summary>
    public class TickSpacingTests
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        [Fact]
        public void PollsThatSeeNothingEndDoubleTheGapUpToHalfTheLongestPollInterval()
        {
            var s = new TickSpacing(new MigrationOptions());
            Assert.Equal(TimeSpan.FromSeconds(1), s.Gap);
            s.AfterPoll(T0, 0);
            Assert.Equal(TimeSpan.FromSeconds(2), s.Gap);
            s.AfterPoll(T0.AddSeconds(2), 0);
            s.AfterPoll(T0.AddSeconds(6), 0);
            s.AfterPoll(T0.AddSeconds(13.5), 0);
            Assert.Equal(TimeSpan.FromSeconds(7.5), s.Gap);
        }

        [Fact]
        public void EndingsSetTheGapToTheIntervalBetweenThem()
        {
            var s = new TickSpacing(new MigrationOptions());
            s.AfterPoll(T0, 0);
            s.AfterPoll(T0.AddSeconds(10), 2);
            Assert.Null(s.Pace); // one poll with endings: no interval yet
            Assert.Equal(TimeSpan.FromSeconds(1), s.Gap);
            s.AfterPoll(T0.AddSeconds(11), 0);
            s.AfterPoll(T0.AddSeconds(13), 1);
            s.AfterPoll(T0.AddSeconds(16), 1);
            Assert.Equal(TimeSpan.FromSeconds(3), s.Pace);
            Assert.Equal(TimeSpan.FromSeconds(3), s.Gap);
            s.AfterPoll(T0.AddSeconds(19), 0);
            Assert.Equal(TimeSpan.FromSeconds(6), s.Gap);
            s.AfterPoll(T0.AddSeconds(25), 4); // a burst: the pace quickens
            Assert.Equal(TimeSpan.FromSeconds(15.0 / 6), s.Gap);
        }

        [Fact]
        public void TheGapStaysWithinThePollIntervals()
        {
            var s = new TickSpacing(new MigrationOptions { MinPollInterval = TimeSpan.FromSeconds(2), MaxPollInterval = TimeSpan.FromSeconds(3) });
            s.AfterPoll(T0, 5);
            s.AfterPoll(T0.AddSeconds(1), 10); // ten endings a second
            Assert.Equal(TimeSpan.FromSeconds(2), s.Gap);
            s.AfterPoll(T0.AddSeconds(3), 0);
            Assert.Equal(TimeSpan.FromSeconds(2), s.Gap); // half the max is below the min: the min wins
        }
    }
}
