namespace OpenStackOps.Compute.Migrations
{
    /// <summary>nova's migration_type values (shown from 2.23; the filter works before).</summary>
    public static class MigrationTypes
    {
        public const string LiveMigration = "live-migration";
        /// <summary>A cold migration (same flavor).</summary>
        public const string Migration = "migration";
        public const string Resize = "resize";
        public const string Evacuation = "evacuation";
    }
}
