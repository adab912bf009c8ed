using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Recovery
{
    /// <summary>
    /// What evacuating a server would do, from its fields alone: whether nova accepts it (vm_state active,
    /// stopped or error) and what becomes of its disk. The -WhatIf plan and the real run use the same rules.
    /// </summary>
    public static class EvacuationPlan
    {
        public static DataFate Fate(Server s, bool sharedInstanceStorage)
            => s.BootFromVolume ? DataFate.KeptBootVolume
                : sharedInstanceStorage ? DataFate.KeptSharedStorage
                : DataFate.LostRebuiltFromImage;

        /// <summary>Null when nova will evacuate it, else why not.</summary>
        public static string? WhyNot(Server s, string failedHost)
        {
            if (!string.Equals(s.Host, failedHost, StringComparison.OrdinalIgnoreCase))
                return $"it is on {s.Host ?? "no host"}, not on the failed host {failedHost}";
            string vm = (s.VmState ?? "").ToLowerInvariant();
            if (vm != "active" && vm != "stopped" && vm != "error")
                return $"nova evacuates only active, stopped or error servers; this one is {s.VmState ?? s.Status}" +
                       (vm == "shelved_offloaded" ? " (shelved offloaded: unshelve it instead, it has no host)" : "");
            return null;
        }

        public static string Describe(DataFate fate)
        {
            switch (fate)
            {
                case DataFate.KeptBootVolume: return "boots from a volume: the root disk is kept";
                case DataFate.KeptSharedStorage: return "ephemeral disk on shared instance storage: kept";
                default: return "ephemeral disk on the failed host's local storage: REBUILT FROM THE IMAGE, its data is lost";
            }
        }

        public static MigrationResult For(Server s, string failedHost, string? destination, bool sharedInstanceStorage, string? cloud, string? region)
        {
            var fate = Fate(s, sharedInstanceStorage);
            string? whyNot = WhyNot(s, failedHost);
            var plan = MigrationResult.About(s, cloud, region, destination);
            plan.MoveKind = whyNot == null ? MigrationKind.Evacuation : MigrationKind.None;
            plan.Outcome = whyNot == null ? MigrationOutcome.Planned : MigrationOutcome.Skipped;
            plan.DataFate = fate.ToString();
            plan.StatusBefore = s.Status;
            plan.Message = whyNot ?? $"would be evacuated ({s.Status}): {Describe(fate)}";
            return plan;
        }
    }
}
