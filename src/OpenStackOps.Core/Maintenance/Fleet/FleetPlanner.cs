using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// Plans a rolling maintenance of many compute nodes, at most N out of service at once, from the cloud as it is:
    /// placement's room on every node, the servers' flavors and nova's server groups. Pure: no API call, no clock.
    /// <para>
    /// Waves are filled in the operator's order. A node joins the current wave when (1) the wave has fewer than N
    /// nodes, (2) the nodes left in service (every node not in the wave, not disabled, not down) can still take all
    /// the wave's servers: per zone, per resource class (VCPU, MEMORY_MB, DISK_GB), and server by server on one host
    /// each, and (3) it holds no member of a hard anti-affinity group that a node already in the wave also holds.
    /// (3) keeps at most one member of each anti-affinity group on the move at a time: the group exists so that its
    /// members do not fail together, and a live migration pauses its guest at switch-over and can fail; two members
    /// moving in one wave also compete for the same few member-free hosts. Such a node waits for a later wave, so a
    /// wave may hold fewer than N nodes. A node that cannot be drained even alone gets a Refused wave of its own, saying
    /// what is short; the other nodes go on.
    /// </para>
    /// <para>
    /// Destinations: each server goes to an in-service host of its node's zone with room for it, never to a host that
    /// holds (or is planned to receive) as many members of one of its hard anti-affinity groups as the group allows
    /// (max_server_per_host, 1 by default); nodes not yet maintained are taken last, so a server is not moved twice;
    /// among the rest the one with the most free RAM (nova's default spreading). The members of a hard affinity group
    /// on one node move together to one host with room for all of them, or the wave is refused. Soft policies only
    /// order the candidates. Servers whose flavor size is unknown are left to the scheduler and not counted; servers
    /// that cannot move (stopped, ERROR, locked...) are Skipped with the reason and keep their node from being empty.
    /// </para>
    /// </summary>
    public static class FleetPlanner
    {
        internal static readonly string[] Classes = { "VCPU", "MEMORY_MB", "DISK_GB" };

        public static FleetPlan Plan(FleetPlanInput input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            if (input.MaxNodesOut < 1) throw new ArgumentOutOfRangeException(nameof(input.MaxNodesOut), input.MaxNodesOut, "MaxNodesOut must be at least 1.");
            var state = new PlanState(input);
            var waves = new List<FleetWave>();
            var notes = new List<string>();
            var pending = new List<string>();
            foreach (var t in input.Targets)
            {
                if (pending.Contains(t, StringComparer.OrdinalIgnoreCase)) continue;
                if (!state.Hosts.ContainsKey(t))
                {
                    waves.Add(new FleetWave { Number = waves.Count + 1, Nodes = new[] { t }, Status = "Refused", Notes = new[] { $"{t}: not a compute node placement and nova know" } });
                    continue;
                }
                pending.Add(t);
            }

            while (pending.Count > 0)
            {
                var wave = FormWave(ref state, pending, input, waves.Count + 1);
                waves.Add(wave);
                foreach (var n in wave.Nodes) pending.Remove(n);
            }
            if (input.LeaveToScheduler)
                notes.Add("Destinations are left to nova's scheduler: the plan's hosts only show where the capacity check counted each server.");
            return new FleetPlan { Waves = waves, MaxNodesOut = input.MaxNodesOut, Notes = notes };
        }

        /// <summary>
        /// The next wave only, on the cloud as it is now: what a run does before each wave (the check and the
        /// destinations), without planning the rest. A Refused wave holds one node that cannot be drained.
        /// </summary>
        public static FleetWave? NextWave(FleetPlanInput input, int number)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var state = new PlanState(input);
            var pending = input.Targets.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (pending.Count == 0) return null;
            var unknown = pending.FirstOrDefault(t => !state.Hosts.ContainsKey(t));
            if (unknown != null)
                return new FleetWave { Number = number, Nodes = new[] { unknown }, Status = "Refused", Notes = new[] { $"{unknown}: not a compute node placement and nova know" } };
            return FormWave(ref state, pending, input, number);
        }

        private static FleetWave FormWave(ref PlanState stateRef, List<string> pending, FleetPlanInput input, int number)
        {
            var state = stateRef;
            var wave = new List<string>();
            WaveTrial? accepted = null;
            var separated = new List<string>();
            foreach (var candidate in pending.ToList())
            {
                if (wave.Count == input.MaxNodesOut) break;
                var shared = state.SharedAntiAffinityGroups(candidate, wave);
                if (shared.Count > 0)
                {
                    separated.Add($"{candidate} waits for a later wave: it holds members of anti-affinity group {string.Join(", ", shared.Select(g => g.Name ?? g.Id))}, as {string.Join(", ", wave.Where(w => state.SharedAntiAffinityGroups(candidate, new List<string> { w }).Count > 0))} does");
                    continue;
                }
                var trial = TryWave(state, wave.Concat(new[] { candidate }).ToList(), pending, input);
                if (trial.Ok)
                {
                    wave.Add(candidate);
                    accepted = trial;
                }
                else if (wave.Count == 0)
                    return trial.ToWave(number, "Refused");   // not even alone: it stays in service, full, and the rest go on
            }
            // The first candidate (MaxNodesOut >= 1, pending not empty) is accepted or the wave returned Refused above.
            var done = accepted!.ToWave(number, "Planned");
            done.Notes = done.Notes.Concat(separated).ToArray();
            stateRef = accepted.After;
            stateRef.Return(wave, input.MoveBack);
            return done;
        }

        /// <summary>
        /// The check before one wave, on the cloud as it is now: can the nodes left in service take the servers of
        /// <paramref name="nodes"/>, and where does each go. The wave comes back Refused with what is short.
        /// </summary>
        public static FleetWave PlanWave(FleetPlanInput input, IReadOnlyList<string> nodes, int number)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var state = new PlanState(input);
            var unknown = nodes.Where(n => !state.Hosts.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
                return new FleetWave { Number = number, Nodes = nodes.ToArray(), Status = "Refused", Notes = unknown.Select(u => $"{u}: not a compute node placement and nova know").ToArray() };
            return TryWave(state, nodes.ToList(), input.Targets, input).ToWave(number, null);
        }

        private static WaveTrial TryWave(PlanState before, List<string> nodes, IEnumerable<string> pendingTargets, FleetPlanInput input)
        {
            var state = before.Clone();
            var trial = new WaveTrial { Nodes = nodes, After = state };
            var outNodes = new HashSet<string>(nodes, StringComparer.OrdinalIgnoreCase);
            var pending = new HashSet<string>(pendingTargets, StringComparer.OrdinalIgnoreCase);
            bool InService(FleetHost h) => h.Enabled && h.Up && !outNodes.Contains(h.Host);

            var movers = new List<Server>();
            foreach (var node in nodes)
                foreach (var s in state.ServersOn(node))
                {
                    var (kind, skip) = Eligibility.Check(s, null, input.Migration);
                    if (kind == MigrationKind.None)
                    {
                        trial.Moves.Add(state.Move(s, "Skipped", null, null, skip));
                        trial.Notes.Add($"{node} will not be empty: {s.Name ?? s.Id} cannot move ({skip})");
                    }
                    else if (!Demand.Known(s))
                        trial.Moves.Add(state.Move(s, "Scheduler", null, null, "left to the scheduler: the flavor's size is unknown (nova before 2.47 shows only its id), so it is not counted"));
                    else movers.Add(s);
                }

            // The sums first: what the wave needs per zone and class against what is free there.
            foreach (var zone in movers.GroupBy(s => state.ZoneOf(s.Host)))
                foreach (string cls in Classes)
                {
                    long need = zone.Sum(s => Demand.Of(s, cls));
                    if (need == 0) continue;
                    long free = state.Hosts.Values.Where(h => InService(h) && state.ZoneOf(h.Host) == zone.Key).Sum(h => Math.Max(0, state.Free(h.Host, cls)));
                    if (need > free) trial.Shortfalls.Add(new CapacityShortfall { Zone = zone.Key, ResourceClass = cls, Needed = need, Free = free });
                }

            // Then server by server: affinity groups on one node as one unit, the largest first.
            var units = new List<List<Server>>();
            foreach (var bySource in movers.GroupBy(s => s.Host, StringComparer.OrdinalIgnoreCase))
            {
                var taken = new HashSet<string>();
                foreach (var g in state.Groups.Where(g => g.IsAffinity))
                {
                    var members = bySource.Where(s => g.Members.Contains(s.Id) && !taken.Contains(s.Id)).ToList();
                    if (members.Count == 0) continue;
                    foreach (var m in members) taken.Add(m.Id);
                    units.Add(members);
                    if (members.Count > 1)
                        trial.Notes.Add($"affinity group {g.Name ?? g.Id}: {members.Count} members on {bySource.Key} move together to one host");
                }
                units.AddRange(bySource.Where(s => !taken.Contains(s.Id)).Select(s => new List<Server> { s }));
            }
            foreach (var unit in units.OrderByDescending(u => u.Sum(s => Demand.Of(s, "MEMORY_MB"))).ThenByDescending(u => u.Sum(s => Demand.Of(s, "VCPU")))
                                      .ThenBy(u => u[0].Name, StringComparer.Ordinal))
            {
                string zone = state.ZoneOf(unit[0].Host);
                var need = Classes.ToDictionary(c => c, c => unit.Sum(s => Demand.Of(s, c)));
                var inZone = state.Hosts.Values.Where(h => InService(h) && state.ZoneOf(h.Host) == zone).ToList();
                var roomy = inZone.Where(h => Classes.All(c => state.Free(h.Host, c) >= need[c])).ToList();
                var allowed = roomy.Where(h => unit.All(s => state.AntiAffinityAllows(s, h.Host, unit))).ToList();
                if (allowed.Count == 0)
                {
                    string why = inZone.Count == 0 ? $"no node of zone {ZoneText(zone)} stays in service during this wave"
                        : roomy.Count == 0 ? $"no node left in service in zone {ZoneText(zone)} has room for {Text(need)}" +
                                             (unit.Count > 1 ? $" (the {unit.Count} members of its affinity group together)" : "")
                        : $"each of the {roomy.Count} node(s) with room already holds a member of its anti-affinity group ({string.Join(", ", unit.SelectMany(s => state.HardAntiGroupsOf(s)).Select(g => g.Name ?? g.Id).Distinct())}): {string.Join(", ", roomy.Select(h => h.Host))}";
                    foreach (var s in unit) trial.Moves.Add(state.Move(s, "Unplaced", null, null, "cannot be moved: " + why));
                    continue;
                }
                var best = allowed
                    .OrderBy(h => pending.Contains(h.Host) ? 1 : 0)
                    .ThenBy(h => unit.Sum(s => state.SoftAntiAffinityCount(s, h.Host)))
                    .ThenByDescending(h => unit.Sum(s => state.SoftAffinityCount(s, h.Host)))
                    .ThenByDescending(h => state.Free(h.Host, "MEMORY_MB"))
                    .ThenBy(h => h.Host, StringComparer.OrdinalIgnoreCase)
                    .First();
                foreach (var s in unit)
                {
                    bool scheduler = input.LeaveToScheduler;
                    trial.Moves.Add(state.Move(s, scheduler ? "Scheduler" : "Planned", scheduler ? null : best.Host, best.Host,
                        scheduler ? $"left to the scheduler (asked); counted on {best.Host}" : null));
                    state.Place(s, best.Host);
                }
            }
            trial.Ok = trial.Shortfalls.Count == 0 && trial.Moves.All(m => m.Placement != "Unplaced");
            return trial;
        }

        internal static string ZoneText(string zone) => string.IsNullOrEmpty(zone) ? "(none)" : zone;

        private static string Text(Dictionary<string, long> need) => string.Join(", ", need.Where(kv => kv.Value > 0).Select(kv => kv.Key + "=" + kv.Value));

        private sealed class WaveTrial
        {
            public List<string> Nodes = null!;
            public bool Ok;
            public PlanState After = null!;
            public readonly List<FleetMove> Moves = new List<FleetMove>();
            public readonly List<CapacityShortfall> Shortfalls = new List<CapacityShortfall>();
            public readonly List<string> Notes = new List<string>();

            public FleetWave ToWave(int number, string? status)
            {
                foreach (var m in Moves) m.Wave = number;
                return new FleetWave
                {
                    Number = number, Nodes = Nodes.ToArray(), Status = status ?? (Ok ? "Planned" : "Refused"),
                    Moves = Moves.ToArray(), Shortfalls = Shortfalls.ToArray(), Notes = Notes.ToArray(),
                };
            }
        }
    }

    /// <summary>What a server takes from placement: its flavor's vCPUs, RAM and root disk (none when it boots from a volume).</summary>
    internal static class Demand
    {
        internal static bool Known(Server s) => s.FlavorVcpus.HasValue && s.FlavorRamMb.HasValue;

        internal static long Of(Server s, string resourceClass)
        {
            switch (resourceClass)
            {
                case "VCPU": return s.FlavorVcpus ?? 0;
                case "MEMORY_MB": return s.FlavorRamMb ?? 0;
                case "DISK_GB": return s.BootFromVolume ? 0 : s.FlavorDiskGb ?? 0;
                default: return 0;
            }
        }
    }

    /// <summary>The planner's simulated cloud: free room per node, where each server is. Cloned per trial.</summary>
    internal sealed class PlanState
    {
        internal Dictionary<string, FleetHost> Hosts = null!;
        internal IReadOnlyList<ServerGroup> Groups = null!;
        private Dictionary<string, Dictionary<string, long>> _free = null!;
        private Dictionary<string, string> _location = null!;               // server id -> host
        private Dictionary<string, Server> _servers = null!;
        private Dictionary<string, List<ServerGroup>> _groupsOf = null!;    // server id -> groups
        private Dictionary<string, string> _home = null!;                   // server id -> host before this run moved it

        private PlanState() { }

        internal PlanState(FleetPlanInput input)
        {
            Hosts = input.Hosts.Where(h => h.Host != null).GroupBy(h => h.Host, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            Groups = input.Groups ?? new ServerGroup[0];
            _free = Hosts.Values.ToDictionary(h => h.Host, h => FleetPlanner.Classes.ToDictionary(c => c, c =>
            {
                var r = h.Resources?.FirstOrDefault(x => x.ResourceClass == c);
                return r == null ? 0 : r.Free;
            }), StringComparer.OrdinalIgnoreCase);
            _servers = input.Servers.Where(s => s.Id != null).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
            _location = _servers.Values.Where(s => s.Host != null).ToDictionary(s => s.Id, s => s.Host!);
            _home = new Dictionary<string, string>();
            _groupsOf = new Dictionary<string, List<ServerGroup>>();
            foreach (var g in Groups)
                foreach (var m in g.Members)
                {
                    if (!_groupsOf.TryGetValue(m, out var list)) _groupsOf[m] = list = new List<ServerGroup>();
                    list.Add(g);
                }
        }

        internal PlanState Clone() => new PlanState
        {
            Hosts = Hosts, Groups = Groups, _servers = _servers, _groupsOf = _groupsOf,
            _free = _free.ToDictionary(kv => kv.Key, kv => new Dictionary<string, long>(kv.Value), StringComparer.OrdinalIgnoreCase),
            _location = new Dictionary<string, string>(_location),
            _home = new Dictionary<string, string>(_home),
        };

        internal string ZoneOf(string? host) => host != null && Hosts.TryGetValue(host, out var h) ? h.Zone ?? "" : "";

        internal long Free(string host, string cls) => _free.TryGetValue(host, out var f) && f.TryGetValue(cls, out var v) ? v : 0;

        internal IEnumerable<Server> ServersOn(string host)
            => _location.Where(kv => string.Equals(kv.Value, host, StringComparison.OrdinalIgnoreCase))
                        .Select(kv => _servers[kv.Key]).OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal);

        internal IEnumerable<ServerGroup> GroupsOf(Server s) => _groupsOf.TryGetValue(s.Id, out var g) ? g : Enumerable.Empty<ServerGroup>();

        internal IEnumerable<ServerGroup> HardAntiGroupsOf(Server s) => GroupsOf(s).Where(g => g.IsAntiAffinity);

        private int MembersOn(ServerGroup g, string host, string except)
            => g.Members.Count(m => m != except && _location.TryGetValue(m, out var h) && string.Equals(h, host, StringComparison.OrdinalIgnoreCase));

        /// <summary>Hard anti-affinity: the host holds fewer of the group's members than it allows (the unit moving together counted).</summary>
        internal bool AntiAffinityAllows(Server s, string host, List<Server> unit)
            => HardAntiGroupsOf(s).All(g => MembersOn(g, host, s.Id) + unit.Count(u => u.Id != s.Id && g.Members.Contains(u.Id)) < Math.Max(1, g.MaxServerPerHost));

        internal int SoftAntiAffinityCount(Server s, string host) => GroupsOf(s).Where(g => g.IsSoftAntiAffinity).Sum(g => MembersOn(g, host, s.Id));

        internal int SoftAffinityCount(Server s, string host) => GroupsOf(s).Where(g => g.IsSoftAffinity).Sum(g => MembersOn(g, host, s.Id));

        /// <summary>The hard anti-affinity groups with members on <paramref name="candidate"/> and on one of <paramref name="wave"/>.</summary>
        internal List<ServerGroup> SharedAntiAffinityGroups(string candidate, List<string> wave)
        {
            if (wave.Count == 0) return new List<ServerGroup>();
            var outSet = new HashSet<string>(wave, StringComparer.OrdinalIgnoreCase);
            return Groups.Where(g => g.IsAntiAffinity
                                     && g.Members.Any(m => _location.TryGetValue(m, out var h) && string.Equals(h, candidate, StringComparison.OrdinalIgnoreCase))
                                     && g.Members.Any(m => _location.TryGetValue(m, out var h) && outSet.Contains(h))).ToList();
        }

        internal FleetMove Move(Server s, string placement, string? destination, string? countedOn, string? reason) => new FleetMove
        {
            ServerId = s.Id, ServerName = s.Name, SourceHost = _location.TryGetValue(s.Id, out var h) ? h : s.Host,
            Destination = destination, CountedOn = countedOn, Placement = placement, Reason = reason,
            Vcpus = s.FlavorVcpus ?? 0, MemoryMb = s.FlavorRamMb ?? 0, DiskGb = (int)Demand.Of(s, "DISK_GB"),
            Groups = GroupsOf(s).Select(g => $"{g.Name ?? g.Id} ({g.Policy})").ToArray(),
        };

        internal void Place(Server s, string host)
        {
            string from = _location[s.Id];
            foreach (var c in FleetPlanner.Classes)
            {
                long d = Demand.Of(s, c);
                if (_free.TryGetValue(host, out var to)) to[c] -= d;
                if (_free.TryGetValue(from, out var back)) back[c] += d;
            }
            if (!_home.ContainsKey(s.Id)) _home[s.Id] = from;
            _location[s.Id] = host;
        }

        /// <summary>After a wave: with move-back every server of its nodes goes home; otherwise they stay where they went.</summary>
        internal void Return(IEnumerable<string> nodes, bool moveBack)
        {
            if (!moveBack) return;
            var back = new HashSet<string>(nodes, StringComparer.OrdinalIgnoreCase);
            foreach (var kv in _home.Where(kv => back.Contains(kv.Value)).ToList())
            {
                Place(_servers[kv.Key], kv.Value);
                _home.Remove(kv.Key);
            }
        }
    }
}
