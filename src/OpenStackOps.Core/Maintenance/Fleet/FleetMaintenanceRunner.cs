using OpenStackOps.Compute;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// Runs a rolling maintenance: wave after wave (at most N nodes out), each planned on the cloud as it is just
    /// before it (<see cref="FleetPlanner.NextWave"/>: refused when the nodes left in service cannot take its servers),
    /// then per node: disable with the reason, drain (one <see cref="LiveMigrationEngine"/> run for the wave's nodes,
    /// at most <see cref="FleetRunOptions.MigrationsPerNode"/> moves from each at once), check it is empty, the
    /// operator's maintenance, the check, enable, and optionally the servers back. The state is saved after every step;
    /// a run given the state of an earlier one finishes its nodes in progress first and never redoes a Done node.
    /// A node that fails stays disabled (unless nothing was changed yet) and is reported; the run goes on or stops after
    /// the wave, as asked.
    /// </summary>
    public sealed class FleetMaintenanceRunner
    {
        private readonly ComputeClient _compute;
        private readonly IFleetCloud _cloud;
        private readonly IFleetNodeWork _work;
        private readonly IFleetObserver? _observer;
        private readonly IWaitClock _clock;
        private SchedulerViewLag _lag = new SchedulerViewLag(TimeSpan.Zero);

        public FleetMaintenanceRunner(ComputeClient compute, IFleetCloud cloud, IFleetNodeWork work, IFleetObserver? observer, IWaitClock? clock = null)
        {
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
            _cloud = cloud ?? throw new ArgumentNullException(nameof(cloud));
            _work = work ?? throw new ArgumentNullException(nameof(work));
            _observer = observer;
            _clock = clock ?? SystemWaitClock.Instance;
        }

        /// <summary>Where the state is saved after every step (null: not saved).</summary>
        public string? StatePath { get; set; }

        /// <summary>The plan of the whole run on the cloud as it is now: nothing is changed.</summary>
        public async Task<FleetPlan> PlanAsync(IReadOnlyList<string> nodes, FleetRunOptions options, FleetState? state, CancellationToken ct)
        {
            var snapshot = await _cloud.ReadAsync(ct).ConfigureAwait(false);
            var todo = nodes.Where(n => state?.Node(n)?.Step != FleetSteps.Done).ToList();
            return FleetPlanner.Plan(Input(snapshot, todo, options));
        }

        public async Task<FleetMaintenanceSummary> RunAsync(IReadOnlyList<string> nodes, FleetRunOptions options, FleetState? state, CancellationToken ct)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Reason)) throw new ArgumentException("A fleet run needs a reason: nova shows it on every disabled node.", nameof(options));
            var started = _clock.UtcNow;
            _lag = new SchedulerViewLag(options.SchedulerInstanceSyncInterval);
            state = state ?? new FleetState { Reason = options.Reason, StartedAt = started };
            foreach (var n in nodes)
                if (state.Node(n) == null) state.Nodes.Add(new FleetNodeState { Host = n });
            var mine = nodes.Select(n => state.Node(n)!).ToList();   // each was added just above
            int moved = 0, movedBack = 0, notMoved = 0, wavesRun = 0;
            var failures = new List<FleetNodeFailure>();
            string? status = null;
            Emit(new FleetEvent { Event = "RunStarted", Message = $"{mine.Count} node(s), at most {options.MaxNodesOut} out at once; {mine.Count(n => n.Step == FleetSteps.Done)} already done", NodesTotal = mine.Count, NodesDone = mine.Count(n => n.Step == FleetSteps.Done) });
            Save(state);

            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    // Nodes a previous run left in progress come first, as their own waves.
                    var inProgress = mine.Where(n => n.Step != FleetSteps.Pending && n.Step != FleetSteps.Done && !Parked(n)).Take(options.MaxNodesOut).ToList();
                    var pending = mine.Where(n => n.Step == FleetSteps.Pending && !Parked(n)).Select(n => n.Host).ToList();
                    if (inProgress.Count == 0 && pending.Count == 0) break;

                    int number = ++state.Waves;
                    wavesRun++;
                    var snapshot = await _cloud.ReadAsync(ct).ConfigureAwait(false);
                    FleetWave wave;
                    if (inProgress.Count > 0)
                    {
                        var input = Input(snapshot, inProgress.Select(n => n.Host).ToList(), options);
                        wave = inProgress.Any(n => n.Step == FleetSteps.Disabled)
                            ? FleetPlanner.PlanWave(input, inProgress.Where(n => n.Step == FleetSteps.Disabled).Select(n => n.Host).ToList(), number)
                            : new FleetWave { Number = number, Nodes = new string[0] };
                        wave.Nodes = inProgress.Select(n => n.Host).ToArray();
                    }
                    else wave = FleetPlanner.NextWave(Input(snapshot, pending, options), number)!;   // pending is not empty here

                    var waveNodes = wave.Nodes.Select(h => state.Node(h)!).ToList();   // a wave's nodes are among mine
                    foreach (var n in waveNodes) { n.Wave = number; n.ErrorId = null; n.Error = null; n.FailedStep = null; }
                    Emit(new FleetEvent { Event = "WaveStarted", Wave = number, Message = $"wave {number}: {wave.Nodes} ({wave.Moves.Count(m => m.Placement == "Planned" || m.Placement == "Scheduler")} servers to move)", NodesTotal = mine.Count, NodesDone = mine.Count(x => x.Step == FleetSteps.Done) });

                    if (wave.Refused)
                    {
                        foreach (var n in waveNodes.Where(x => x.Step == FleetSteps.Pending || x.Step == FleetSteps.Disabled))
                            Fail(n, "Capacity", FleetMaintenanceException.Id(FleetFailure.CapacityShort), $"The nodes left in service cannot take the servers of wave {number} ({wave.Nodes}): {wave.RefusalText}. Nothing was changed for this wave" +
                                (n.Step == FleetSteps.Disabled ? $"; {n.Host} was already disabled by an earlier run and stays so." : "."), failures);
                        Emit(new FleetEvent { Event = "WaveRefused", Wave = number, Status = "Refused", ErrorId = FleetMaintenanceException.Id(FleetFailure.CapacityShort), Message = wave.RefusalText });
                        Save(state);
                        if (!options.ContinueOnNodeFailure) { status = "Stopped"; break; }
                        continue;
                    }

                    // 1. Disable.
                    foreach (var n in waveNodes.Where(x => x.Step == FleetSteps.Pending))
                    {
                        try
                        {
                            await _cloud.DisableAsync(n.Host, options.Reason!, ct).ConfigureAwait(false);   // checked at the start
                            Step(n, FleetSteps.Disabled, state);
                        }
                        catch (Exception e) when (!(e is OperationCanceledException))
                        {
                            Fail(n, "Disable", FleetMaintenanceException.Id(FleetFailure.NodeDisableFailed), $"{n.Host} could not be disabled: {e.Message}", failures, e);
                            Save(state);
                        }
                    }

                    // 2. Drain every disabled node of the wave in one engine run: N nodes at once, per-node limit.
                    var draining = waveNodes.Where(x => x.Step == FleetSteps.Disabled && x.ErrorId == null).ToList();
                    if (draining.Count > 0)
                    {
                        var servers = snapshot.Servers.Where(s => s.Id != null).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
                        var requests = wave.Moves.Where(m => (m.Placement == "Planned" || m.Placement == "Scheduler") && draining.Any(d => d.Host.Equals(m.SourceHost, StringComparison.OrdinalIgnoreCase))
                                                             && servers.ContainsKey(m.ServerId))
                                                 .Select(m => new MigrationRequest(servers[m.ServerId], m.Destination)).ToList();
                        var results = await MoveAsync(requests, snapshot.Groups, draining.Count, options, number, ct).ConfigureAwait(false);
                        foreach (var r in results)
                        {
                            var n = draining.FirstOrDefault(d => d.Host.Equals(r.SourceHost, StringComparison.OrdinalIgnoreCase));
                            if (n == null) continue;
                            n.Moves.RemoveAll(x => x.ServerId == r.ServerId && !x.MovedBack && !IsMoved(x.Status));
                            n.Moves.Add(new FleetServerRecord { ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.Destination, Status = r.Status, Message = r.Error ?? r.Message });
                            if (r.Succeeded) moved++; else notMoved++;
                            Emit(new FleetEvent { Event = "ServerMoved", Wave = number, Node = n.Host, ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.Destination, Status = r.Status, Message = r.Error ?? r.Message });
                        }
                        // A move nova rolled back leaves its server where it was, unharmed: one more try for those, on the cloud as it is now.
                        var retry = draining.Where(d => results.Any(r => r.Outcome == MigrationOutcome.RolledBack && d.Host.Equals(r.SourceHost, StringComparison.OrdinalIgnoreCase))).ToList();
                        if (retry.Count > 0)
                        {
                            var again = await _cloud.ReadAsync(ct).ConfigureAwait(false);
                            var replan = FleetPlanner.PlanWave(Input(again, retry.Select(d => d.Host).ToList(), options), retry.Select(d => d.Host).ToList(), number);
                            var byId = again.Servers.Where(s => s.Id != null).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
                            var second = replan.Moves.Where(m => (m.Placement == "Planned" || m.Placement == "Scheduler") && byId.ContainsKey(m.ServerId)
                                                                 && results.Any(r => r.ServerId == m.ServerId && r.Outcome == MigrationOutcome.RolledBack))
                                                     .Select(m => new MigrationRequest(byId[m.ServerId], m.Destination)).ToList();
                            _observer?.OnMessage($"wave {number}: {second.Count} rolled-back move(s) tried once more");
                            await WaitOutRefusalsAsync(results, again.Groups, number, ct).ConfigureAwait(false);
                            foreach (var r in await MoveAsync(second, again.Groups, retry.Count, options, number, ct).ConfigureAwait(false))
                            {
                                var n = retry.First(d => d.Host.Equals(r.SourceHost, StringComparison.OrdinalIgnoreCase));
                                n.Moves.RemoveAll(x => x.ServerId == r.ServerId && !IsMoved(x.Status));
                                n.Moves.Add(new FleetServerRecord { ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.Destination, Status = r.Status, Message = r.Error ?? r.Message });
                                if (r.Succeeded) { moved++; notMoved--; }
                                Emit(new FleetEvent { Event = "ServerMoved", Wave = number, Node = n.Host, ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.Destination, Status = r.Status, Message = r.Error ?? r.Message });
                            }
                        }
                        foreach (var n in draining)
                        {
                            var left = await _cloud.ListServersOnAsync(n.Host, ct).ConfigureAwait(false);
                            if (left.Count == 0) Step(n, FleetSteps.Drained, state);
                            else Fail(n, "Drain", FleetMaintenanceException.Id(FleetFailure.NodeNotEmpty),
                                $"{n.Host} still holds {left.Count} server(s) after its drain: {string.Join(", ", left.Select(s => $"{s.Name} ({s.Status}{Why(n, s)})"))}. It stays disabled; move or stop them and run again (it goes on from the drain).",
                                failures);
                            Save(state);
                        }
                    }

                    if (options.StopAfterDrain && draining.Any(n => n.Step == FleetSteps.Drained && n.ErrorId == null))
                    {
                        // Drained; the maintenance is the operator's: the next run (same state file) goes on from here.
                        status = "Paused";
                        Save(state);
                        break;
                    }

                    // 3-5. Maintenance, check, enable: the wave's nodes at once (each node's steps in order).
                    await Task.WhenAll(waveNodes.Where(x => x.ErrorId == null).Select(n => FinishNodeAsync(n, state, failures, ct))).ConfigureAwait(false);

                    // 6. Back home, the wave's enabled nodes together.
                    if (options.MoveBack)
                        movedBack += await MoveBackAsync(waveNodes.Where(x => x.Step == FleetSteps.Enabled && x.ErrorId == null).ToList(), snapshot.Groups, options, number, state, failures, ct).ConfigureAwait(false);
                    foreach (var n in waveNodes.Where(x => x.Step == FleetSteps.Enabled && x.ErrorId == null))
                    {
                        n.FinishedAt = _clock.UtcNow;
                        Step(n, FleetSteps.Done, state);
                    }
                    if (waveNodes.Any(n => n.ErrorId != null) && !options.ContinueOnNodeFailure) { status = "Stopped"; break; }
                }
            }
            catch (OperationCanceledException)
            {
                status = "Cancelled";
                Save(state);
            }

            var summary = new FleetMaintenanceSummary
            {
                NodesTotal = mine.Count,
                NodesDone = mine.Count(n => n.Step == FleetSteps.Done),
                NodesFailed = mine.Count(n => n.ErrorId != null),
                NodesDrained = mine.Count(n => n.Step == FleetSteps.Drained && n.ErrorId == null),
                Waves = wavesRun,
                ServersMoved = moved,
                ServersMovedBack = movedBack,
                ServersNotMoved = notMoved,
                Elapsed = _clock.UtcNow - started,
                Failures = mine.Where(n => n.ErrorId != null).Select(n => new FleetNodeFailure
                {
                    Node = n.Host, Step = n.FailedStep, ErrorId = n.ErrorId, Reason = n.Error, LeftDisabled = n.Step != FleetSteps.Pending && n.Step != FleetSteps.Done,
                }).ToArray(),
                NodesDoneList = mine.Where(n => n.Step == FleetSteps.Done).Select(n => n.Host).ToArray(),
                StatePath = StatePath,
            };
            summary.NodesLeft = summary.NodesTotal - summary.NodesDone;
            summary.Status = status ?? (summary.NodesFailed > 0 ? "CompletedWithFailures" : "Completed");
            Emit(new FleetEvent { Event = "RunEnded", Status = summary.Status, Message = summary.ToString(), NodesTotal = summary.NodesTotal, NodesDone = summary.NodesDone });
            Save(state);
            return summary;

            // A node that failed in this run is not tried again in it.
            bool Parked(FleetNodeState n) => failures.Any(f => f.Node.Equals(n.Host, StringComparison.OrdinalIgnoreCase));
        }

        private async Task FinishNodeAsync(FleetNodeState n, FleetState state, List<FleetNodeFailure> failures, CancellationToken ct)
        {
            if (n.Step == FleetSteps.Drained)
            {
                if (_work.HasMaintenance)
                {
                    try
                    {
                        await _work.MaintainAsync(n.Host, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        Fail(n, "Maintenance", FleetMaintenanceException.Id(FleetFailure.MaintenanceFailed), $"The maintenance of {n.Host} failed: {e.Message}. It stays disabled and drained; fix it and run again (it goes on from the maintenance).", failures, e);
                        Save(state);
                        return;
                    }
                }
                Step(n, FleetSteps.Maintained, state);
            }
            if (n.Step == FleetSteps.Maintained)
            {
                FleetNodeCheck check;
                try
                {
                    check = await _work.CheckAsync(n.Host, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    check = new FleetNodeCheck { Healthy = false, Problems = new[] { "the check itself failed: " + e.Message } };
                }
                if (!check.Healthy)
                {
                    Fail(n, "Check", FleetMaintenanceException.Id(FleetFailure.NodeUnhealthy), $"{n.Host} failed its check after the maintenance: {string.Join("; ", check.Problems)}. It stays disabled; run again once it is healthy (it goes on from the check).", failures);
                    Save(state);
                    return;
                }
                Step(n, FleetSteps.Checked, state);
            }
            if (n.Step == FleetSteps.Checked)
            {
                try
                {
                    await _cloud.EnableAsync(n.Host, ct).ConfigureAwait(false);
                    Step(n, FleetSteps.Enabled, state);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    Fail(n, "Enable", FleetMaintenanceException.Id(FleetFailure.NodeEnableFailed), $"{n.Host} passed its check but could not be enabled: {e.Message}", failures, e);
                    Save(state);
                }
            }
        }

        private async Task<int> MoveBackAsync(List<FleetNodeState> nodes, IReadOnlyList<ServerGroup> groups, FleetRunOptions options, int wave, FleetState state, List<FleetNodeFailure> failures, CancellationToken ct)
        {
            var requests = new List<MigrationRequest>();
            foreach (var n in nodes)
                foreach (var m in n.Moves.Where(x => IsMoved(x.Status) && !x.MovedBack))
                {
                    Server? current;
                    try { current = await _cloud.GetServerAsync(m.ServerId, ct).ConfigureAwait(false); }
                    catch (Exception e) when (!(e is OperationCanceledException)) { _observer?.OnMessage($"{m.ServerName}: not moved back, cannot be read: {e.Message}"); continue; }
                    if (current == null) continue;
                    requests.Add(new MigrationRequest(current, n.Host));
                }
            if (requests.Count == 0) return 0;
            var results = await MoveAsync(requests, groups, nodes.Count, options, wave, ct).ConfigureAwait(false);
            int back = 0;
            foreach (var r in results)
            {
                var n = nodes.FirstOrDefault(x => x.Host.Equals(r.RequestedDestination, StringComparison.OrdinalIgnoreCase));
                var record = n?.Moves.FirstOrDefault(x => x.ServerId == r.ServerId && IsMoved(x.Status));
                if (record == null) continue;
                // record is one of n's moves, so n is set.
                bool home = r.Succeeded || (r.Outcome == MigrationOutcome.Skipped && string.Equals(r.SourceHost, n!.Host, StringComparison.OrdinalIgnoreCase));
                record.MovedBack = home;
                if (r.Succeeded) back++;
                Emit(new FleetEvent { Event = "ServerMovedBack", Wave = wave, Node = n!.Host, ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.Destination, Status = r.Status, Message = r.Error ?? r.Message });
            }
            foreach (var n in nodes.Where(x => x.Moves.Any(m => IsMoved(m.Status) && !m.MovedBack)))
            {
                // The node is in service again: only its servers' way home is incomplete. Reported, not a disabled node.
                var missing = n.Moves.Where(m => IsMoved(m.Status) && !m.MovedBack).Select(m => m.ServerName ?? m.ServerId);
                _observer?.OnMessage($"{n.Host}: not every server came back: {string.Join(", ", missing)}");
                Emit(new FleetEvent { Event = "NodeFailed", Wave = wave, Node = n.Host, Step = n.Step, ErrorId = FleetMaintenanceException.Id(FleetFailure.MoveBackIncomplete), Message = $"{n.Host} is enabled again, but these servers did not come back: {string.Join(", ", missing)}" });
            }
            Save(state);
            return back;
        }

        /// <summary>
        /// The moves, each sent once nova's scheduler can see its destination as it is: a move to a host another member of
        /// its anti-affinity group left in this run waits for that host's instance sync (<see cref="SchedulerViewLag"/>),
        /// the others go first. The run's live migrations are recorded for the moves after them.
        /// </summary>
        private async Task<IReadOnlyList<MigrationResult>> MoveAsync(List<MigrationRequest> requests, IReadOnlyList<ServerGroup> groups, int nodes, FleetRunOptions options, int wave, CancellationToken ct)
        {
            var now = _clock.UtcNow;
            var later = requests.Select(r => (Request: r, Until: _lag.BlockedUntil(r.Server.Id, r.Destination, groups, now))).Where(x => x.Until != null).ToList();
            var results = new List<MigrationResult>(await DrainAsync(requests.Where(r => later.All(x => x.Request != r)).ToList(), nodes, options, wave, ct).ConfigureAwait(false));
            if (later.Count > 0)
            {
                var wait = later.Max(x => x.Until!.Value) - _clock.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    foreach (var x in later)
                        Emit(new FleetEvent { Event = "SchedulerSyncWait", Wave = wave, ServerId = x.Request.Server.Id, ServerName = x.Request.Server.Name, SourceHost = x.Request.Server.Host,
                            Destination = x.Request.Destination, Message = $"sent at {x.Until!.Value:u} at the earliest: another member of its anti-affinity group left {x.Request.Destination} in this run, and nova's scheduler counts it there until the host's instance sync" });
                    await _clock.DelayAsync(wait, ct).ConfigureAwait(false);
                }
                results.AddRange(await DrainAsync(later.Select(x => x.Request).ToList(), nodes, options, wave, ct).ConfigureAwait(false));
            }
            foreach (var r in results.Where(r => r.Succeeded && r.MoveKind == MigrationKind.Live))
                _lag.Departed(r.ServerId, r.SourceHost, r.FinishedAt ?? _clock.UtcNow);
            return results;
        }

        /// <summary>
        /// Before the one retry of rolled-back moves: a member of an anti-affinity group refused with "No valid host" may
        /// have met the scheduler's stale view of a host (a member that left it, in this run or just before it); the
        /// retry waits until any such view is gone, one sync interval after the refusal.
        /// </summary>
        private async Task WaitOutRefusalsAsync(IReadOnlyList<MigrationResult> results, IReadOnlyList<ServerGroup> groups, int wave, CancellationToken ct)
        {
            var refused = results.Where(r => r.Outcome == MigrationOutcome.RolledBack
                                             && (r.Error ?? "").IndexOf("No valid host", StringComparison.OrdinalIgnoreCase) >= 0
                                             && (groups ?? new ServerGroup[0]).Any(g => g.IsAntiAffinity && g.Members.Contains(r.ServerId))).ToList();
            if (refused.Count == 0 || _lag.Window == TimeSpan.Zero) return;
            var wait = refused.Max(r => r.FinishedAt ?? _clock.UtcNow) + _lag.Window - _clock.UtcNow;
            if (wait <= TimeSpan.Zero) return;
            foreach (var r in refused)
                Emit(new FleetEvent { Event = "SchedulerSyncWait", Wave = wave, ServerId = r.ServerId, ServerName = r.ServerName, SourceHost = r.SourceHost, Destination = r.RequestedDestination,
                    Message = $"refused with no valid host while in an anti-affinity group: tried again after the computes' instance sync ({wait.TotalSeconds:0} s)" });
            await _clock.DelayAsync(wait, ct).ConfigureAwait(false);
        }

        private async Task<IReadOnlyList<MigrationResult>> DrainAsync(List<MigrationRequest> requests, int nodes, FleetRunOptions options, int wave, CancellationToken ct)
        {
            if (requests.Count == 0) return new MigrationResult[0];
            var m = options.Migration ?? new MigrationOptions();
            var drain = new MigrationOptions
            {
                BlockMigration = m.BlockMigration, Timeout = m.Timeout, TimeoutAction = m.TimeoutAction, ColdMigrateStopped = m.ColdMigrateStopped,
                IncludeLocked = m.IncludeLocked, InitialPollDelay = m.InitialPollDelay, MinPollInterval = m.MinPollInterval, MaxPollInterval = m.MaxPollInterval,
                TimeoutGracePeriod = m.TimeoutGracePeriod, MaxVerifyAttempts = m.MaxVerifyAttempts,
                ThrottleLimitPerHost = Math.Max(1, options.MigrationsPerNode),
                ThrottleLimit = Math.Min(64, Math.Max(1, options.MigrationsPerNode) * Math.Max(1, nodes)),
            };
            return await new LiveMigrationEngine(_compute, _clock).RunAsync(requests, drain, new DrainObserver(_observer, wave), ct).ConfigureAwait(false);
        }

        internal static FleetPlanInput Input(FleetSnapshot snapshot, IReadOnlyList<string> targets, FleetRunOptions options) => new FleetPlanInput
        {
            Hosts = snapshot.Hosts, Servers = snapshot.Servers, Groups = snapshot.Groups, Targets = targets,
            MaxNodesOut = Math.Max(1, options.MaxNodesOut), MoveBack = options.MoveBack, LeaveToScheduler = options.LeaveToScheduler,
            Migration = options.Migration ?? new MigrationOptions(),
        };

        private static bool IsMoved(string status) => status == "Completed" || status == "ColdMigrated";

        private static string Why(FleetNodeState n, Server s)
        {
            var record = n.Moves.LastOrDefault(m => m.ServerId == s.Id);
            return record == null ? ", not in the plan: it arrived or was not listed when the wave was planned" : $", {record.Status}: {record.Message}";
        }

        private readonly object _gate = new object();

        private void Step(FleetNodeState n, string step, FleetState state)
        {
            lock (_gate) StepLocked(n, step, state);
        }

        private void StepLocked(FleetNodeState n, string step, FleetState state)
        {
            n.Step = step;
            Emit(new FleetEvent { Event = "NodeStep", Wave = n.Wave, Node = n.Host, Step = step, Status = "Done",
                NodesTotal = state.Nodes.Count, NodesDone = state.Nodes.Count(x => x.Step == FleetSteps.Done) });
            Save(state);
        }

        private void Fail(FleetNodeState n, string step, string id, string message, List<FleetNodeFailure> failures, Exception? inner = null)
        {
            lock (_gate) FailLocked(n, step, id, message, failures);
        }

        private void FailLocked(FleetNodeState n, string step, string id, string message, List<FleetNodeFailure> failures)
        {
            n.ErrorId = id;
            n.Error = message;
            n.FailedStep = step;
            failures.Add(new FleetNodeFailure { Node = n.Host, Step = step, ErrorId = id, Reason = message, LeftDisabled = n.Step != FleetSteps.Pending });
            Emit(new FleetEvent { Event = "NodeFailed", Wave = n.Wave, Node = n.Host, Step = step, Status = "Failed", ErrorId = id, Message = message });
        }

        private void Save(FleetState state)
        {
            lock (_gate)
            {
                state.UpdatedAt = _clock.UtcNow;
                state.Save(StatePath);
            }
        }

        private void Emit(FleetEvent e)
        {
            lock (_gate)
            {
                e.Time = _clock.UtcNow;
                _observer?.OnEvent(e);
            }
        }

        /// <summary>The drains' progress and verbose lines, passed on; their results come back through the run's completion.</summary>
        private sealed class DrainObserver : IMigrationObserver
        {
            private readonly IFleetObserver? _inner;
            private readonly int _wave;

            public DrainObserver(IFleetObserver? inner, int wave)
            {
                _inner = inner;
                _wave = wave;
            }

            public void OnServerProgress(MigrationProgress progress) { }
            public void OnOverallProgress(DrainProgress progress) => _inner?.OnDrainProgress(_wave, progress);
            public void OnResult(MigrationResult result) { }
            public void OnMessage(string message) => _inner?.OnMessage(message);
        }
    }
}
