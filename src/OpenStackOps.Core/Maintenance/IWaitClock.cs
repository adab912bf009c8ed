using OpenStackOps.Identity;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Time and waiting, as a seam: workflows that poll read the time and wait through this, so tests drive
    /// a virtual clock instead of sleeping.
    /// </summary>
    public interface IWaitClock : IClock
    {
        /// <summary>Waits <paramref name="delay"/>; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
        Task DelayAsync(TimeSpan delay, CancellationToken ct);
    }

    /// <summary>The machine's clock and real, cancellable delays.</summary>
    public sealed class SystemWaitClock : IWaitClock
    {
        public static readonly SystemWaitClock Instance = new SystemWaitClock();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public Task DelayAsync(TimeSpan delay, CancellationToken ct)
            => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, ct);
    }
}
