namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// Filters for GET /os-migrations. nova keeps only the last value of a repeated filter, so each is single.
    /// </summary>
    public sealed class MigrationQuery
    {
        public string? InstanceUuid { get; set; }
        /// <summary>See <see cref="MigrationTypes"/>.</summary>
        public string? MigrationType { get; set; }
        /// <summary>Exact source compute host.</summary>
        public string? SourceCompute { get; set; }
        /// <summary>Exact host, as source or destination (takes precedence over <see cref="SourceCompute"/> in nova).</summary>
        public string? Host { get; set; }
        public string? Status { get; set; }
        /// <summary>Records updated at or after this time, in nova's clock (2.59+; ignored before).</summary>
        public DateTimeOffset? ChangesSince { get; set; }
        /// <summary>Page size (2.59+; ignored before). Null: nova's max_limit.</summary>
        public int? Limit { get; set; }
        /// <summary>Follow "next" links until the end (2.59+). False: one page only.</summary>
        public bool AllPages { get; set; } = true;
    }
}
