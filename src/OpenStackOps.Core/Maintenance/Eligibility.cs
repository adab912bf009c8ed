using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Decides from the server's own fields, with no API call, whether and how it can move. Nova's rules
    /// (nova/compute/api.py): live migration needs vm_state active or paused and no task in progress; a cold
    /// migration needs active or stopped; an admin may move a locked server, but we respect the lock unless asked.
    /// </summary>
    internal static class Eligibility
    {
        internal static (MigrationKind kind, string? skipReason) Check(Server s, string? destination, MigrationOptions options)
        {
            if (string.IsNullOrEmpty(s.Host))
                return (MigrationKind.None, "nova did not show the server's host (OS-EXT-SRV-ATTR:host needs an admin token), so it cannot be moved safely");
            if (destination != null && string.Equals(s.Host, destination, StringComparison.OrdinalIgnoreCase))
                return (MigrationKind.None, $"already on {s.Host}");
            if (!string.IsNullOrEmpty(s.TaskState))
                return (MigrationKind.None, $"task '{s.TaskState}' in progress (status {s.Status}); nova refuses moves until it ends. Run again later");
            if (s.Locked == true && !options.IncludeLocked)
                return (MigrationKind.None, "locked; unlock it, or ask to include locked servers");

            switch (VmState(s))
            {
                case "active":
                case "paused":
                    return (MigrationKind.Live, null);
                case "stopped":
                    return options.ColdMigrateStopped
                        ? (MigrationKind.Cold, null)
                        : (MigrationKind.None, "SHUTOFF: a stopped server cannot be live-migrated; ask for cold migration (moved and confirmed) or start it first");
                case "error":
                    return (MigrationKind.None, "in ERROR: nova refuses to move it; hard-reboot it (or reset its state) first");
                default:
                    return (MigrationKind.None, $"vm_state {VmState(s) ?? "unknown"} (status {s.Status}): only ACTIVE or PAUSED servers can be live-migrated");
            }
        }

        /// <summary>The server's status as nova shows it when the move succeeded: what it was before.</summary>
        internal static string ExpectedFinalStatus(Server s, MigrationKind kind)
            => kind == MigrationKind.Cold ? "SHUTOFF" : (VmState(s) == "paused" ? "PAUSED" : "ACTIVE");

        private static string? VmState(Server s)
        {
            if (!string.IsNullOrEmpty(s.VmState)) return s.VmState!.ToLowerInvariant();
            // Without OS-EXT-STS (old microversion or policy), the status tells the same for the states that matter.
            switch ((s.Status ?? "").ToUpperInvariant())
            {
                case "ACTIVE": return "active";
                case "PAUSED": return "paused";
                case "SHUTOFF": return "stopped";
                case "ERROR": return "error";
                default: return string.IsNullOrEmpty(s.Status) ? null : s.Status!.ToLowerInvariant();
            }
        }
    }
}
