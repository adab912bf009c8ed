using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Compute.Services;
using OpenStackOps.Placement;

namespace OpenStackOps.Checks
{
    /// <summary>What the daily check read from the cloud, so the judging is a pure function of it.</summary>
    public sealed class ServerCheckFacts
    {
        public IReadOnlyList<Server> Servers { get; set; } = new Server[0];
        public IReadOnlyList<ComputeService> ComputeServices { get; set; } = new ComputeService[0];
        /// <summary>Migrations not in an end state, and failed ones (status error).</summary>
        public IReadOnlyList<MigrationRecord> OpenOrFailedMigrations { get; set; } = new MigrationRecord[0];
        /// <summary>Every allocation on the compute nodes' providers; null when placement was not read.</summary>
        public IReadOnlyList<ConsumerAllocation>? Allocations { get; set; }
        /// <summary>Now, in nova's clock as far as the check can tell (the caller's UTC clock).</summary>
        public DateTimeOffset Now { get; set; }
    }
}
