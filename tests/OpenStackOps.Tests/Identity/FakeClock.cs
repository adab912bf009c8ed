using System;
using OpenStackOps.Identity;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>A clock the test moves.</summary>
    public sealed class FakeClock : IClock
    {
        public FakeClock(DateTimeOffset now) => UtcNow = now;
        public DateTimeOffset UtcNow { get; set; }
        public void Advance(TimeSpan by) => UtcNow += by;
    }
}
