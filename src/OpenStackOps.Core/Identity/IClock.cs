namespace OpenStackOps.Identity
{
    /// <summary>The time, as a seam: token renewal is tested with a clock the test moves.</summary>
    public interface IClock
    {
        /// <summary>The current time.</summary>
        DateTimeOffset UtcNow { get; }
    }

    /// <summary>The machine's clock.</summary>
    public sealed class SystemClock : IClock
    {
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
    }
}
