using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>What a fleet run does and how far it may go.</summary>
    public sealed class FleetRunOptions
    {
        /// <summary>Why the nodes are disabled: nova shows it to every operator.</summary>
        public string? Reason { get; set; }
        public int MaxNodesOut { get; set; } = 1;
        /// <summary>Live migrations at once from one node being drained (nova's max_concurrent_live_migrations, 1 by default).</summary>
        public int MigrationsPerNode { get; set; } = 1;
        public bool MoveBack { get; set; }
        /// <summary>Disable and drain the next wave, then stop: the maintenance is done by hand and the next run goes on from there.</summary>
        public bool StopAfterDrain { get; set; }
        /// <summary>A node that fails leaves the run going on with the next ones (true) or stops it after the current wave.</summary>
        public bool ContinueOnNodeFailure { get; set; } = true;
        public bool LeaveToScheduler { get; set; }
        /// <summary>
        /// The computes' [DEFAULT]scheduler_instance_sync_interval (nova's default 120 s): how long nova's scheduler may
        /// still count a live-migrated server on the host it left (<see cref="SchedulerViewLag"/>). Zero: not waited for.
        /// </summary>
        public TimeSpan SchedulerInstanceSyncInterval { get; set; } = TimeSpan.FromSeconds(120);
        /// <summary>Timeout, timeout action, cold migration of stopped servers, locked servers: as Move-ServerLive.</summary>
        public MigrationOptions Migration { get; set; } = new MigrationOptions();
    }

    /// <summary>The cloud as the run needs it, read fresh before each wave.</summary>
    public sealed class FleetSnapshot
    {
        public IReadOnlyList<FleetHost> Hosts { get; set; } = new FleetHost[0];
        public IReadOnlyList<Server> Servers { get; set; } = new Server[0];
        public IReadOnlyList<ServerGroup> Groups { get; set; } = new ServerGroup[0];
    }

    /// <summary>
    /// What a fleet run reads from and changes in the cloud besides the live migrations themselves (which go through
    /// <see cref="LiveMigrationEngine"/>): the snapshot before each wave, a node's scheduling state, its servers.
    /// </summary>
    public interface IFleetCloud
    {
        Task<FleetSnapshot> ReadAsync(CancellationToken ct);
        Task DisableAsync(string host, string reason, CancellationToken ct);
        Task EnableAsync(string host, CancellationToken ct);
        Task<IReadOnlyList<Server>> ListServersOnAsync(string host, CancellationToken ct);
        Task<Server?> GetServerAsync(string id, CancellationToken ct);
    }

    /// <summary>The operator's part of each node: the maintenance itself and the check after it.</summary>
    public interface IFleetNodeWork
    {
        /// <summary>False: the maintenance is done by hand between runs (a node found drained counts as maintained).</summary>
        bool HasMaintenance { get; }
        Task MaintainAsync(string host, CancellationToken ct);
        Task<FleetNodeCheck> CheckAsync(string host, CancellationToken ct);
    }

    /// <summary>A node's check after its maintenance.</summary>
    public sealed class FleetNodeCheck
    {
        public bool Healthy { get; set; }
        public ReadableList<string> Problems { get; set; } = ReadableList<string>.Empty;
        /// <summary>The full health object, when there is one (Test-ComputeNodeHealth's ComputeNodeHealth).</summary>
        public object? Detail { get; set; }

        public static FleetNodeCheck Ok(object? detail = null) => new FleetNodeCheck { Healthy = true, Detail = detail };
    }

    /// <summary>Receives a run's events (one line each of the run record) and the drains' progress.</summary>
    public interface IFleetObserver
    {
        void OnEvent(FleetEvent e);
        void OnMessage(string message);
        void OnDrainProgress(int wave, DrainProgress progress);
    }

    /// <summary>One thing that happened in a fleet run: a line of the JSON run record.</summary>
    public sealed class FleetEvent
    {
        public DateTimeOffset Time { get; set; }
        /// <summary>RunStarted, WaveStarted, WaveRefused, NodeStep, NodeFailed, ServerMoved, ServerMovedBack, RunEnded.</summary>
        public string Event { get; set; } = null!;
        public int? Wave { get; set; }
        public string? Node { get; set; }
        /// <summary>The step a node reached: Disabled, Drained, Maintained, Checked, Enabled, Done.</summary>
        public string? Step { get; set; }
        public string? Status { get; set; }
        public string? Message { get; set; }
        public string? ErrorId { get; set; }
        public string? ServerId { get; set; }
        public string? ServerName { get; set; }
        public string? SourceHost { get; set; }
        public string? Destination { get; set; }
        public int NodesDone { get; set; }
        public int NodesTotal { get; set; }
    }

    /// <summary>A node that did not come through, and why: it stays disabled unless its wave was refused before it was touched.</summary>
    public sealed class FleetNodeFailure
    {
        public string Node { get; set; } = null!;
        /// <summary>The step that failed: Capacity, Disable, Drain, Maintenance, Check, Enable, MoveBack.</summary>
        public string? Step { get; set; }
        public string? ErrorId { get; set; }
        public string? Reason { get; set; }
        /// <summary>Whether nova still has the node disabled (every failure after Disable leaves it so).</summary>
        public bool LeftDisabled { get; set; }

        public override string ToString() => $"{Node}: {Step} failed ({ErrorId}): {Reason}";
    }

    /// <summary>What a fleet run did, at its end.</summary>
    public sealed class FleetMaintenanceSummary
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        /// <summary>Completed, CompletedWithFailures, Stopped (a failure and -OnNodeFailure Stop), Paused (-StopAfterDrain), Cancelled.</summary>
        public string Status { get; set; } = null!;
        public int NodesTotal { get; set; }
        public int NodesDone { get; set; }
        public int NodesFailed { get; set; }
        /// <summary>Drained, waiting for their maintenance (-StopAfterDrain).</summary>
        public int NodesDrained { get; set; }
        public int NodesLeft { get; set; }
        public int Waves { get; set; }
        public int ServersMoved { get; set; }
        public int ServersMovedBack { get; set; }
        public int ServersNotMoved { get; set; }
        /// <summary>The run's time as the engine measured it.</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>The run's time as text, [d.]hh:mm:ss (the same in a table, JSON and CSV; `[TimeSpan]` reads it back).</summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 1);
        public ReadableList<FleetNodeFailure> Failures { get; set; } = ReadableList<FleetNodeFailure>.Empty;
        public ReadableList<string> NodesDoneList { get; set; } = ReadableList<string>.Empty;
        public string? StatePath { get; set; }
        public string? RecordPath { get; set; }

        public override string ToString() => $"{Status}: {NodesDone}/{NodesTotal} nodes done, {NodesFailed} failed, {ServersMoved} servers moved in {DurationSeconds} s";
    }

    /// <summary>What went wrong in a fleet run; the id is "Fleet" + the name.</summary>
    public enum FleetFailure
    {
        /// <summary>The nodes left in service cannot take the wave's servers: the wave is refused before anything changes.</summary>
        CapacityShort,
        /// <summary>Servers are still on the node after its drain: it stays disabled.</summary>
        NodeNotEmpty,
        /// <summary>The maintenance script block threw: the node stays disabled and drained.</summary>
        MaintenanceFailed,
        /// <summary>The check after the maintenance failed: the node stays disabled.</summary>
        NodeUnhealthy,
        NodeDisableFailed,
        NodeEnableFailed,
        /// <summary>The node is back in service, but some of its servers did not come back.</summary>
        MoveBackIncomplete,
        /// <summary>The state file is not a fleet run's.</summary>
        StateInvalid,
    }

    /// <summary>A fleet run failure with its own stable id (Fleet + <see cref="FleetFailure"/>); the target is the node.</summary>
    public sealed class FleetMaintenanceException : OpenStackOpsException
    {
        public FleetMaintenanceException(FleetFailure failure, string? node, string message, string? action = null, Exception? inner = null)
            : base(message, inner)
        {
            Failure = failure;
            Node = node;
            RecommendedAction = action;
        }

        public FleetFailure Failure { get; }
        public string? Node { get; }
        public override string Outcome => Id(Failure);
        public override bool IsFullId => true;
        public override object? ErrorTarget => Node;

        public static string Id(FleetFailure failure) => "Fleet" + failure;

        /// <summary>The failure an id names (FleetCapacityShort → CapacityShort).</summary>
        public static FleetFailure Parse(string id) => (FleetFailure)Enum.Parse(typeof(FleetFailure), id.Substring("Fleet".Length));

        public override FailureCategory Category
        {
            get
            {
                switch (Failure)
                {
                    case FleetFailure.CapacityShort: return FailureCategory.LimitsExceeded;
                    case FleetFailure.NodeNotEmpty: return FailureCategory.ResourceBusy;
                    case FleetFailure.NodeUnhealthy: return FailureCategory.InvalidResult;
                    case FleetFailure.MoveBackIncomplete: return FailureCategory.InvalidResult;
                    case FleetFailure.StateInvalid: return FailureCategory.InvalidData;
                    default: return FailureCategory.InvalidOperation;
                }
            }
        }
    }
}
