using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>
    /// Time that moves only when the engine waits: a delay advances the clock at once, so a drain of several
    /// "minutes" runs in milliseconds and every wait is recorded.
    /// </summary>
    public sealed class VirtualClock : IWaitClock
    {
        private readonly object _gate = new object();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Start { get; } = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

        public DateTimeOffset UtcNow
        {
            get { lock (_gate) return _now; }
        }

        public List<TimeSpan> Delays { get; } = new List<TimeSpan>();

        /// <summary>Seconds since the start, for readable assertions.</summary>
        public double Elapsed => (UtcNow - Start).TotalSeconds;

        public Task DelayAsync(TimeSpan delay, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            lock (_gate)
            {
                // A loop that never lets time pass would hang the test run instead of failing it.
                if (Delays.Count > 100_000) throw new InvalidOperationException("The engine waited 100000 times: a runaway loop.");
                Delays.Add(delay);
                if (delay > TimeSpan.Zero) _now += delay;
            }
            return Task.CompletedTask;
        }

        public void Advance(TimeSpan by)
        {
            lock (_gate) _now += by;
        }
    }
}
