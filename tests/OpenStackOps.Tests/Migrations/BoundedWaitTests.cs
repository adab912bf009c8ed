using System;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>The engine's one bounded wait: read, decide, pause on the clock, until settled or the time is up.</summary>
    public class BoundedWaitTests
    {
        [Fact]
        public async Task ReadsUntilSettledPausingBetweenReadsOnly()
        {
            var clock = new VirtualClock();
            int reads = 0;
            var (last, settled) = await new BoundedWait(clock, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2))
                .UntilAsync(ct => Task.FromResult(++reads), n => n == 3, CancellationToken.None);
            Assert.True(settled);
            Assert.Equal(3, last);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) }, clock.Delays);
        }

        [Fact]
        public async Task GivesUpWithTheLastValueOnceMoreThanTheTimeoutHasPassed()
        {
            var clock = new VirtualClock();
            int reads = 0;
            var (last, settled) = await new BoundedWait(clock, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3))
                .UntilAsync(ct => Task.FromResult(++reads), n => false, CancellationToken.None);
            Assert.False(settled);
            Assert.Equal(5, last); // read at 0, 3, 6, 9 and 12 s: 12 s is past the limit
            Assert.Equal(12, clock.Elapsed);
        }

        [Fact]
        public async Task PauseFirstWaitsBeforeEachRead()
        {
            var clock = new VirtualClock();
            var readAt = new System.Collections.Generic.List<double>();
            var (_, settled) = await new BoundedWait(clock, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(4))
                .UntilAsync(ct => { readAt.Add(clock.Elapsed); return Task.FromResult(false); }, x => x, CancellationToken.None, pauseFirst: true);
            Assert.False(settled);
            Assert.Equal(new double[] { 4, 8, 12 }, readAt);
        }

        [Fact]
        public async Task OneWaitBoundsSeveralWaitsFromItsStart()
        {
            var clock = new VirtualClock();
            var wait = new BoundedWait(clock, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
            await wait.UntilAsync(ct => Task.FromResult(clock.Elapsed), t => t >= 4, CancellationToken.None);
            var (_, settled) = await wait.UntilAsync(ct => Task.FromResult(0), x => false, CancellationToken.None);
            Assert.False(settled);
            Assert.Equal(6, wait.Elapsed.TotalSeconds);
        }

        [Fact]
        public async Task CancellationEndsThePause()
        {
            using var cts = new CancellationTokenSource();
            var wait = new BoundedWait(new VirtualClock(), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.UntilAsync(ct => { cts.Cancel(); return Task.FromResult(0); }, x => false, cts.Token));
        }
    }
}
