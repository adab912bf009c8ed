namespace OpenStackOps.Compute.Migrations
{
    /// <summary>What an os-migrateLive action asks for.</summary>
    public sealed class LiveMigrationRequest
    {
        /// <summary>The destination compute host, or null to let the scheduler choose.</summary>
        public string? Host { get; set; }

        public BlockMigration BlockMigration { get; set; } = BlockMigration.Auto;

        /// <summary>
        /// Below 2.30 a named host is forced: nova skips the scheduler, so placement and filters are not
        /// checked. Refused unless the caller sets this, so an old cloud never bypasses the scheduler by surprise.
        /// </summary>
        public bool AllowUnvalidatedHost { get; set; }
    }
}
