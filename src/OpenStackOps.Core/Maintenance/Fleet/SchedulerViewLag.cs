using OpenStackOps.Compute.ServerGroups;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// When nova's scheduler may still count a server on the host it left. At the end of a live migration the source
    /// nova-compute reports the server to the scheduler as its own (Zed: ComputeManager._post_live_migration sends
    /// update_instance_info from the source host), and the scheduler's cached view of that host keeps it until the
    /// host's next instance sync ([DEFAULT]scheduler_instance_sync_interval, 120 s by default). Until then
    /// ServerGroupAntiAffinityFilter, which reads that cache, refuses the host to another member of the server's
    /// anti-affinity group: seen on the devcloud, where a wave's move to the spare a member had just left was refused
    /// twice with "No valid host". The run records its own moves and sends such a move only once the sync has passed.
    /// </summary>
    public sealed class SchedulerViewLag
    {
        /// <summary>After the sync interval: the time the sync's report takes to reach the scheduler and be applied.</summary>
        public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

        private readonly TimeSpan _sync;
        private readonly List<(string ServerId, string Host, DateTimeOffset At)> _departures = new List<(string, string, DateTimeOffset)>();
        private readonly object _gate = new object();

        public SchedulerViewLag(TimeSpan syncInterval)
        {
            _sync = syncInterval < TimeSpan.Zero ? TimeSpan.Zero : syncInterval;
        }

        /// <summary>The longest the scheduler may keep a departed server on its old host.</summary>
        public TimeSpan Window => _sync == TimeSpan.Zero ? TimeSpan.Zero : _sync + Margin;

        /// <summary>A live migration of this run took the server off <paramref name="host"/> at <paramref name="at"/>.</summary>
        public void Departed(string serverId, string? host, DateTimeOffset at)
        {
            if (Window == TimeSpan.Zero || string.IsNullOrEmpty(serverId) || string.IsNullOrEmpty(host)) return;
            lock (_gate) _departures.Add((serverId, host!, at));
        }

        /// <summary>
        /// Until when sending <paramref name="serverId"/> to <paramref name="destination"/> would meet a member of one of its
        /// anti-affinity groups that the scheduler may still count there; null when it can go now (or the scheduler chooses).
        /// </summary>
        public DateTimeOffset? BlockedUntil(string serverId, string? destination, IReadOnlyList<ServerGroup>? groups, DateTimeOffset now)
        {
            if (string.IsNullOrEmpty(destination)) return null;
            var partners = new HashSet<string>((groups ?? new ServerGroup[0])
                .Where(g => g.IsAntiAffinity && g.Members.Contains(serverId))
                .SelectMany(g => g.Members).Where(m => m != serverId));
            if (partners.Count == 0) return null;
            lock (_gate)
            {
                var until = _departures.Where(d => partners.Contains(d.ServerId) && string.Equals(d.Host, destination, StringComparison.OrdinalIgnoreCase)).Select(d => d.At + Window).Where(t => t > now).ToList();
                return until.Count == 0 ? (DateTimeOffset?)null : until.Max();
            }
        }
    }
}
