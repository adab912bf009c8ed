namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// What a run would do with a server, decided from its fields alone (no API call): the same rules the
    /// engine applies, so a -WhatIf plan and the real run agree.
    /// </summary>
    public static class MigrationPlan
    {
        public static MigrationResult For(MigrationRequest request, MigrationOptions options, string? cloud, string? region)
        {
            var s = request.Server;
            var (kind, skipReason) = Eligibility.Check(s, request.Destination, options);
            var plan = MigrationResult.About(s, cloud, region, request.Destination);
            plan.MoveKind = kind;
            plan.Outcome = kind == MigrationKind.None ? MigrationOutcome.Skipped : MigrationOutcome.Planned;
            plan.Message = skipReason ?? (kind == MigrationKind.Cold ? "would be cold-migrated and the move confirmed" : "would be live-migrated");
            return plan;
        }
    }
}
