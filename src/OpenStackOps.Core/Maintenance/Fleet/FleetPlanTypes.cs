using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Placement;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>A compute node as the fleet planner sees it: nova's service (zone, enabled, up) and placement's room.</summary>
    public sealed class FleetHost
    {
        public string Host { get; set; } = null!;
        /// <summary>The availability zone nova's service shows (servers stay in their node's zone).</summary>
        public string? Zone { get; set; }
        /// <summary>The nova-compute service is enabled (disabled nodes take nothing).</summary>
        public bool Enabled { get; set; } = true;
        /// <summary>nova sees the service up (down nodes take nothing).</summary>
        public bool Up { get; set; } = true;
        /// <summary>Placement's inventories and usages per resource class (capacity = (total - reserved) × ratio).</summary>
        public IReadOnlyList<ResourceCapacity> Resources { get; set; } = new ResourceCapacity[0];

        /// <summary>From Get-NodeCapacity's object and nova's service row.</summary>
        public static FleetHost From(NodeCapacity capacity, string? zone, bool enabled, bool up) => new FleetHost
        {
            Host = capacity.Host!, Zone = zone, Enabled = enabled, Up = up, Resources = capacity.Resources.ToArray(),
        };

        public override string ToString() => Host;
    }

    /// <summary>What the planner is given: the cloud as it is now, and what the operator asked for.</summary>
    public sealed class FleetPlanInput
    {
        /// <summary>Every compute node (the ones to maintain and the ones that take their servers).</summary>
        public IReadOnlyList<FleetHost> Hosts { get; set; } = new FleetHost[0];
        /// <summary>Every server on the nodes to maintain (others are counted through placement's usages).</summary>
        public IReadOnlyList<Server> Servers { get; set; } = new Server[0];
        public IReadOnlyList<ServerGroup> Groups { get; set; } = new ServerGroup[0];
        /// <summary>The nodes to maintain, in the operator's order.</summary>
        public IReadOnlyList<string> Targets { get; set; } = new string[0];
        /// <summary>At most this many nodes out of service at once.</summary>
        public int MaxNodesOut { get; set; } = 1;
        /// <summary>The servers go back to their node after its maintenance (so later waves cannot count on its room).</summary>
        public bool MoveBack { get; set; }
        /// <summary>Destinations are left to nova's scheduler; the plan's host is only where the capacity check counted the server.</summary>
        public bool LeaveToScheduler { get; set; }
        /// <summary>Which servers can move and how (stopped, locked): the same rules as Move-ServerLive.</summary>
        public MigrationOptions Migration { get; set; } = new MigrationOptions();
    }

    /// <summary>One resource class short in one zone for one wave: the servers need more than the nodes left in service have free.</summary>
    public sealed class CapacityShortfall
    {
        /// <summary>The availability zone (the servers stay in theirs); empty when the cloud names none.</summary>
        public string? Zone { get; set; }
        /// <summary>VCPU, MEMORY_MB or DISK_GB.</summary>
        public string ResourceClass { get; set; } = null!;
        /// <summary>What the wave's servers need.</summary>
        public long Needed { get; set; }
        /// <summary>What the nodes left in service in that zone have free (placement's capacity less usage).</summary>
        public long Free { get; set; }
        public long Short => Needed - Free;

        public override string ToString() => $"{ResourceClass} short by {Short} in {(string.IsNullOrEmpty(Zone) ? "the cloud" : "zone " + Zone)} (needs {Needed}, {Free} free)";
    }

    /// <summary>One server of a wave: where it goes (or why the scheduler chooses, or why it cannot move).</summary>
    public sealed class FleetMove
    {
        public int Wave { get; set; }
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string? SourceHost { get; set; }
        /// <summary>The host the server is sent to; null when the scheduler chooses (see Placement and Reason).</summary>
        public string? Destination { get; set; }
        /// <summary>The host the capacity check counted the server on (the destination, or the scheduler's likely choice).</summary>
        public string? CountedOn { get; set; }
        /// <summary>Planned (sent to Destination), Scheduler (nova chooses; Reason says why), Skipped (cannot move; Reason), Unplaced (no host can take it).</summary>
        public string Placement { get; set; } = null!;
        public string? Reason { get; set; }
        public int Vcpus { get; set; }
        public int MemoryMb { get; set; }
        public int DiskGb { get; set; }
        /// <summary>The server's groups, as "name (policy)".</summary>
        public ReadableList<string> Groups { get; set; } = ReadableList<string>.Empty;

        public override string ToString() => $"{ServerName ?? ServerId}: {SourceHost} -> {Destination ?? "(scheduler)"} [{Placement}]";
    }

    /// <summary>One wave: the nodes out of service together, the check that the rest can take their servers, and where each goes.</summary>
    public sealed class FleetWave
    {
        public int Number { get; set; }
        public ReadableList<string> Nodes { get; set; } = ReadableList<string>.Empty;
        /// <summary>Planned, or Refused (the nodes left in service cannot take the servers: Shortfalls and Unplaced moves say what is short).</summary>
        public string Status { get; set; } = "Planned";
        public ReadableList<FleetMove> Moves { get; set; } = ReadableList<FleetMove>.Empty;
        public ReadableList<CapacityShortfall> Shortfalls { get; set; } = ReadableList<CapacityShortfall>.Empty;
        /// <summary>Why the wave is as it is: anti-affinity separations, affinity groups moved together, servers that will stay.</summary>
        public ReadableList<string> Notes { get; set; } = ReadableList<string>.Empty;
        public int ServerCount => Moves.Count;
        public bool Refused => Status == "Refused";
        /// <summary>One sentence on what is short, for an error message.</summary>
        public string? RefusalText => !Refused ? null
            : string.Join("; ", Shortfalls.Select(s => s.ToString())
                .Concat(Moves.Where(m => m.Placement == "Unplaced").Select(m => $"{m.ServerName ?? m.ServerId}: {m.Reason}")));

        public override string ToString() => $"wave {Number}: {Nodes} ({Status}, {ServerCount} servers)";
    }

    /// <summary>The whole fleet run as planned: waves in order, which servers go where; nothing is changed to make it.</summary>
    public sealed class FleetPlan
    {
        public ReadableList<FleetWave> Waves { get; set; } = ReadableList<FleetWave>.Empty;
        public int MaxNodesOut { get; set; }
        /// <summary>The nodes in the order they will be maintained.</summary>
        public ReadableList<string> Order => Waves.Where(w => !w.Refused).SelectMany(w => w.Nodes).ToArray();
        /// <summary>Nodes that cannot be drained (their wave is refused).</summary>
        public ReadableList<string> RefusedNodes => Waves.Where(w => w.Refused).SelectMany(w => w.Nodes).ToArray();
        public ReadableList<FleetMove> Moves => Waves.SelectMany(w => w.Moves).ToArray();
        public ReadableList<string> Notes { get; set; } = ReadableList<string>.Empty;
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        public override string ToString() => $"{Waves.Count} waves, {Order.Count} nodes, {Moves.Count} servers" + (RefusedNodes.Count > 0 ? $", refused: {RefusedNodes}" : "");
    }
}
