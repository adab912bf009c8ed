using System;
using System.Collections.Generic;
using System.Linq;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Tests.Migrations;

namespace OpenStackOps.Tests.Fleet
{
    /// <summary>
    /// nova Zed's scheduler as the devcloud showed it, on a <see cref="FakeNova"/>: a live-migrated server stays counted
    /// on the host it left until that host's instance sync (within <see cref="SyncInterval"/> of the move), and
    /// ServerGroupAntiAffinityFilter refuses that host to another member of the server's anti-affinity group.
    /// </summary>
    public sealed class StaleSchedulerView
    {
        public const string NoValidHost = "No valid host was found. There are not enough hosts available.";

        private readonly FakeNova _nova;
        private readonly VirtualClock _clock;
        private readonly List<ServerGroup> _groups;

        public StaleSchedulerView(FakeNova nova, VirtualClock clock, List<ServerGroup> groups)
        {
            _nova = nova;
            _clock = clock;
            _groups = groups;
            nova.SchedulerRefusal = Refuse;
        }

        public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(120);
        /// <summary>Moves the scheduler still counts that were made before the run (by hand, by another tool).</summary>
        public List<(string ServerId, string Host, DateTimeOffset At)> EarlierDepartures { get; } = new List<(string, string, DateTimeOffset)>();
        /// <summary>Every live migration refused because of the stale view: server, destination, time.</summary>
        public List<(string ServerId, string Destination, DateTimeOffset At)> Refused { get; } = new List<(string, string, DateTimeOffset)>();

        /// <summary>The completed live migrations of <paramref name="serverId"/> off <paramref name="host"/>: when they ended.</summary>
        public IEnumerable<DateTimeOffset> Departures(string serverId, string host)
            => _nova.Migrations.Where(m => m.Type == "live-migration" && m.Status == "completed" && m.EndAt.HasValue && m.InstanceUuid == serverId && m.Source == host)
                .Select(m => m.EndAt.Value)
                .Concat(EarlierDepartures.Where(d => d.ServerId == serverId && d.Host == host).Select(d => d.At));

        private string Refuse(FakeServer server, string destination)
        {
            if (destination == null) return null;
            var now = _clock.UtcNow;
            var partners = _groups.Where(g => g.IsAntiAffinity && g.Members.Contains(server.Id)).SelectMany(g => g.Members).Where(m => m != server.Id).Distinct();
            if (!partners.Any(p => Departures(p, destination).Any(at => now < at + SyncInterval))) return null;
            Refused.Add((server.Id, destination, now));
            return NoValidHost;
        }
    }
}
