namespace OpenStackOps.Database
{
    /// <summary>
    /// Whether a journal's change can still be undone: every journalled row must be exactly as the move left it
    /// (its post-image: the pre-image with host, and for instances node, set to the destination) in every column
    /// the journal holds, and no ports of the moved instances may have gained bindings. Anything else means
    /// someone (nova, neutron, an operator) acted on the rows after the move, and writing the pre-image back
    /// would silently undo or contradict that. Pure: the store reads the rows, this compares them.
    /// </summary>
    public static class RestoreCheck
    {
        /// <summary>The differences between the current nova rows and the move's post-image, one line each.</summary>
        public static List<RestoreDifference> NovaDifferences(RecoveryJournal j, IReadOnlyCollection<InstanceRow> current)
        {
            var found = new List<RestoreDifference>();
            foreach (var pre in j.Instances)
            {
                string who = $"instance {pre.DisplayName} ({pre.Uuid})";
                var now = current.FirstOrDefault(r => string.Equals(r.Uuid, pre.Uuid, StringComparison.OrdinalIgnoreCase));
                if (now == null) { found.Add(new RestoreDifference(pre.Uuid, $"{who}: its row is gone")); continue; }
                Compare(found, pre.Uuid, who, "host", j.Destination, now.Host);
                Compare(found, pre.Uuid, who, "node", j.DestinationNode, now.Node);
                Compare(found, pre.Uuid, who, "display_name", pre.DisplayName, now.DisplayName);
                Compare(found, pre.Uuid, who, "launched_on", pre.LaunchedOn, now.LaunchedOn);
                Compare(found, pre.Uuid, who, "vm_state", pre.VmState, now.VmState);
                Compare(found, pre.Uuid, who, "task_state", pre.TaskState, now.TaskState);
                Compare(found, pre.Uuid, who, "deleted", Text(pre.Deleted), Text(now.Deleted));
            }
            return found;
        }

        /// <summary>
        /// The differences between the current bindings and levels of the journalled ports and the move's
        /// post-image: a changed column, a row that is gone, or a row for another host that appeared.
        /// </summary>
        public static List<RestoreDifference> NeutronDifferences(RecoveryJournal j, IReadOnlyCollection<PortBindingRow> bindings, IReadOnlyCollection<PortBindingLevelRow> levels)
        {
            var found = new List<RestoreDifference>();
            foreach (var pre in j.Bindings)
            {
                string who = $"port {pre.PortId}";
                var rows = bindings.Where(b => b.PortId == pre.PortId).ToList();
                var now = rows.FirstOrDefault(b => b.Host == j.Destination);
                if (now == null) found.Add(new RestoreDifference(pre.PortId, $"{who}: its binding on '{j.Destination}' is gone"));
                else
                {
                    string binding = who + " binding";
                    Compare(found, pre.PortId, binding, "vif_type", pre.VifType, now.VifType);
                    Compare(found, pre.PortId, binding, "vnic_type", pre.VnicType, now.VnicType);
                    Compare(found, pre.PortId, binding, "profile", pre.Profile, now.Profile);
                    Compare(found, pre.PortId, binding, "vif_details", pre.VifDetails, now.VifDetails);
                    Compare(found, pre.PortId, binding, "status", pre.Status, now.Status);
                }
                foreach (var extra in rows.Where(b => b.Host != j.Destination))
                    found.Add(new RestoreDifference(pre.PortId, $"{who}: a binding for host '{extra.Host}' (status {extra.Status}) appeared after the move"));

                var preLevels = j.Levels.Where(l => l.PortId == pre.PortId).ToList();
                var nowLevels = levels.Where(l => l.PortId == pre.PortId).ToList();
                foreach (var l in preLevels)
                {
                    var match = nowLevels.FirstOrDefault(n => n.Host == j.Destination && n.Level == l.Level);
                    if (match == null) { found.Add(new RestoreDifference(pre.PortId, $"{who}: binding level {l.Level} on '{j.Destination}' is gone")); continue; }
                    Compare(found, pre.PortId, $"{who} level {l.Level}", "driver", l.Driver, match.Driver);
                    Compare(found, pre.PortId, $"{who} level {l.Level}", "segment_id", l.SegmentId, match.SegmentId);
                }
                foreach (var extra in nowLevels.Where(n => n.Host != j.Destination || !preLevels.Any(l => l.Level == n.Level)))
                    found.Add(new RestoreDifference(pre.PortId, $"{who}: a binding level {extra.Level} for host '{extra.Host}' appeared after the move"));
            }
            return found;
        }

        private static void Compare(List<RestoreDifference> found, string target, string who, string column, string? moved, string? now)
        {
            if (!string.Equals(moved, now, StringComparison.Ordinal))
                found.Add(new RestoreDifference(target, $"{who}: {column} is {Quote(now)}, the move left {Quote(moved)}"));
        }

        private static string? Text(long? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        private static string Quote(string? v) => v == null ? "NULL" : "'" + v + "'";
    }

    /// <summary>One way a row differs from the move's post-image: the instance or port it is about, and what differs.</summary>
    public sealed class RestoreDifference
    {
        public RestoreDifference(string target, string text) { Target = target; Text = text; }
        public string Target { get; }
        public string Text { get; }
        public override string ToString() => Text;
    }
}
