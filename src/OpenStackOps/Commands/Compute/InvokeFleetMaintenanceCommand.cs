using System.Collections.Concurrent;
using System.Management.Automation;
using OpenStackOps.Commands.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;
using OpenStackOps.Maintenance;
using OpenStackOps.Maintenance.Fleet;
using OpenStackOps.Node.Health;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Maintains many compute nodes in waves, at most N out of service at once: capacity-checked, server groups kept, resumable.</para>
    /// <para type="description">For each node piped in (Get-ComputeNode output, or names): disable it with -Reason, drain it by live migration (Move-ServerLive's engine; at most -MigrationsPerNode moves from each node at once, nova's per-host default of 1), check it is empty, run -MaintenanceScript with the node's name, check it (-HealthCheck: Test-ComputeNodeHealth's after-reboot checks over SSH once nova sees the service up, or nova's view only), enable it, and with -MoveBack return its servers. At most -MaxNodesOut nodes are out at once; the nodes of a wave are drained together.</para>
    /// <para type="description">Before each wave the plan is made again on the cloud as it is then: placement's inventories, reserved amounts, allocation ratios and usages on every node, the servers' flavors and nova's server groups. A wave whose servers the nodes left in service (not in the wave, not disabled, not down) cannot take, per availability zone and resource class (VCPU, MEMORY_MB, DISK_GB) or server by server, is refused before anything changes (FleetCapacityShort, saying what is short). Each server is sent to a chosen host: never one that already holds a member of its anti-affinity group, nodes not yet maintained last; the members of an affinity group on one node go together to one host with room for all; two nodes holding members of one anti-affinity group are never out in the same wave.</para>
    /// <para type="description">A node that fails (not empty after its drain, maintenance threw, check failed) stays disabled and is reported as an error with a stable id; -OnNodeFailure Stop (the default) ends the run after the current wave, Continue goes on. -StatePath keeps a JSON state written after every step: the same command run again (a new pwsh) finishes the nodes in progress and never redoes a Done node. -StopAfterDrain disables and drains the next wave and stops, for maintenance by hand: the next run with the same state takes it from there. -RecordPath appends one JSON line per event for a scheduled job. The summary object at the end says what was done. -WhatIf -PassThru returns the whole plan (order, waves, where each server goes) and changes nothing.</para>
    /// <example>
    ///   <code>Get-ComputeNode c0* | Invoke-FleetMaintenance -Reason 'CHG-1234 kernel' -MaxNodesOut 2 -WhatIf -PassThru</code>
    ///   <para>The plan: waves in order, and each server's destination; nothing changes.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode | Where-Object Zone -eq az1 | Invoke-FleetMaintenance -Reason 'CHG-1234' -MaxNodesOut 3 -StatePath ./az1.json -RecordPath ./az1.jsonl -MaintenanceScript { param($node) ssh root@$node 'apt-get -y upgrade &amp;&amp; systemctl reboot'; Start-Sleep 300 }</code>
    ///   <para>Patches zone az1, three nodes at a time; run it again after an interruption and it goes on where it stopped.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode c01, c02 | Invoke-FleetMaintenance -Reason 'CHG-9 BIOS' -MaxNodesOut 2 -StopAfterDrain -StatePath ./bios.json</code>
    ///   <para>Drains c01 and c02 and stops; after the work by hand, the same command enables them (after the check) and drains the next wave.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FleetMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FleetMaintenanceSummary), typeof(FleetPlan))]
    public sealed class InvokeFleetMaintenanceCommand : OpenStackCmdlet
    {
        private readonly List<string> _hosts = new List<string>();
        private readonly ConcurrentQueue<Action> _onPipeline = new ConcurrentQueue<Action>();
        private FleetRunRecord? _record;

        /// <summary><para type="description">The compute hosts to maintain, in this order (exact name, or unique short name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "ComputeHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string[] ComputeNode { get; set; } = null!;

        /// <summary><para type="description">Why the nodes are disabled (1-255 characters): nova shows it to every operator.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateLength(1, 255)]
        public string Reason { get; set; } = null!;

        /// <summary><para type="description">At most this many nodes out of service at once (default 1).</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int MaxNodesOut { get; set; } = 1;

        /// <summary><para type="description">The maintenance of one node: gets the node's name; a terminating error (throw) fails the node, which then stays disabled. The blocks of one wave run one after another in this session.</para></summary>
        [Parameter]
        public ScriptBlock? MaintenanceScript { get; set; }

        /// <summary><para type="description">Disable and drain the next wave, then stop (the maintenance is done by hand). The next run with the same -StatePath checks and enables those nodes and drains the following wave.</para></summary>
        [Parameter]
        public SwitchParameter StopAfterDrain { get; set; }

        /// <summary><para type="description">A JSON file with the run's state, written after every step; a run given it goes on where the last one stopped.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary><para type="description">A file to which one JSON line per event (wave, node step, server moved, failure, summary) is appended.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RecordPath { get; set; }

        /// <summary><para type="description">Stop (default): end the run after the wave in which a node failed. Continue: go on with the next waves.</para></summary>
        [Parameter]
        [ValidateSet("Stop", "Continue")]
        public string OnNodeFailure { get; set; } = "Stop";

        /// <summary><para type="description">After a node is enabled again, move the servers it held back to it.</para></summary>
        [Parameter]
        public SwitchParameter MoveBack { get; set; }

        /// <summary><para type="description">Node (default): wait until nova sees the node's nova-compute up, then Test-ComputeNodeHealth's checks over SSH (Connect-ComputeNode or ~/.ssh/config). Nova: nova's view only. None: no check.</para></summary>
        [Parameter]
        [ValidateSet("Node", "Nova", "None")]
        public string HealthCheck { get; set; } = "Node";

        /// <summary><para type="description">How long a node may take to come back after its maintenance (nova sees its nova-compute up), in seconds. Default 900.</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeoutSeconds { get; set; } = 900;

        /// <summary><para type="description">Live migrations at once from each node being drained (default 1, nova's max_concurrent_live_migrations).</para></summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int MigrationsPerNode { get; set; } = 1;

        /// <summary><para type="description">The computes' scheduler_instance_sync_interval, in seconds (default 120, nova's). Nova's scheduler counts a live-migrated server on the host it left until that host's next instance sync, so a server of an anti-affinity group is sent to a host another member left in this run only after it; 0 does not wait.</para></summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int SchedulerInstanceSyncSeconds { get; set; } = 120;

        /// <summary><para type="description">Let nova's scheduler choose each destination; the capacity check still counts every server.</para></summary>
        [Parameter]
        public SwitchParameter LeaveToScheduler { get; set; }

        /// <summary><para type="description">How long each server's move may take, in seconds (default: nova's own completion timeout for its flavor, plus a minute).</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSeconds { get; set; }

        /// <summary><para type="description">Cold-migrate (and confirm) stopped servers instead of leaving them, which keeps their node from being empty.</para></summary>
        [Parameter]
        public SwitchParameter ColdMigrateStopped { get; set; }

        /// <summary><para type="description">With -WhatIf: write the plan (waves, order, where each server goes).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string typed in ComputeNode)
            {
                try
                {
                    var service = ComputeHosts.Resolve(typed);
                    if (service != null && !_hosts.Contains(service.Host, StringComparer.OrdinalIgnoreCase)) _hosts.Add(service.Host);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    ThrowTerminatingError(ErrorRecords.FromException(e, "NovaListComputeServices", typed));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_hosts.Count == 0) { base.EndProcessing(); return; }
            var session = CurrentSession;
            FleetState? state;
            try
            {
                state = StatePath == null ? null : FleetState.Load(GetUnresolvedProviderPathFromPSPath(StatePath));
            }
            catch (FleetMaintenanceException e)
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, "FleetMaintenance", StatePath));
                return;
            }
            var options = new FleetRunOptions
            {
                Reason = Reason, MaxNodesOut = MaxNodesOut, MigrationsPerNode = MigrationsPerNode, MoveBack = MoveBack,
                StopAfterDrain = StopAfterDrain, ContinueOnNodeFailure = OnNodeFailure == "Continue", LeaveToScheduler = LeaveToScheduler,
                SchedulerInstanceSyncInterval = TimeSpan.FromSeconds(SchedulerInstanceSyncSeconds),
                Migration = new MigrationOptions
                {
                    Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : (TimeSpan?)null, ColdMigrateStopped = ColdMigrateStopped,
                },
            };
            var cloud = new NovaFleetCloud(session.Compute, session.Placement);
            var runner = new FleetMaintenanceRunner(session.Compute, cloud, new NodeWork(this, cloud), new Observer(this))
            {
                StatePath = StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath),
            };

            string what = $"{_hosts.Count} compute node(s) ({string.Join(", ", _hosts)})";
            if (!ShouldProcess(what, $"Rolling maintenance, at most {MaxNodesOut} out at once: disable (reason: {Reason}), drain, maintain, check, enable{(MoveBack ? ", move back" : "")}"))
            {
                try
                {
                    var plan = Run(ct => runner.PlanAsync(_hosts, options, state, ct));
                    plan.Cloud = session.Cloud;
                    plan.Region = session.Region;
                    foreach (var w in plan.Waves)
                        WriteVerbose($"wave {w.Number}: {w.Nodes} {w.Status}{(w.Refused ? ": " + w.RefusalText : "")}, {w.Moves.Count} server(s)");
                    if (PassThru) WriteObject(plan);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "FleetPlan", what);
                }
                base.EndProcessing();
                return;
            }
            if (MaintenanceScript == null && !StopAfterDrain)
                ThrowTerminatingError(ErrorRecords.Make(
                    "Give -MaintenanceScript { param($node) ... } for the work on each node, or -StopAfterDrain to drain a wave and do the work by hand.",
                    "FleetMaintenanceNotGiven", ErrorCategory.InvalidArgument, what,
                    "Preview first with -WhatIf -PassThru; -StopAfterDrain -StatePath <file> pauses after each wave's drain."));

            _record = RecordPath == null ? null : new FleetRunRecord(GetUnresolvedProviderPathFromPSPath(RecordPath));
            FleetMaintenanceSummary summary;
            try
            {
                var task = runner.RunAsync(_hosts, options, state, StopToken);
                WaitHere(task, _ => RunPending());
                summary = task.GetAwaiter().GetResult();
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, "FleetMaintenance", what));
                return;
            }
            WriteProgress(new ProgressRecord(1, "Invoke-FleetMaintenance", "done") { RecordType = ProgressRecordType.Completed });
            summary.Cloud = session.Cloud;
            summary.Region = session.Region;
            summary.RecordPath = _record?.Path;
            _record?.Append(summary);
            WriteObject(summary);
            base.EndProcessing();
        }

        private void RunPending()
        {
            while (_onPipeline.TryDequeue(out var action)) action();
        }

        /// <summary>Runs <paramref name="work"/> on the pipeline thread (where script blocks and writes belong) and waits for it.</summary>
        private Task<T> OnPipeline<T>(Func<T> work)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _onPipeline.Enqueue(() =>
            {
                try { done.SetResult(work()); }
                catch (Exception e) { done.SetException(e); }
            });
            return done.Task;
        }

        private void Write(FleetEvent e)
        {
            switch (e.Event)
            {
                case "WaveStarted":
                    WriteProgress(new ProgressRecord(1, "Invoke-FleetMaintenance", $"{e.Message}; {e.NodesDone} of {e.NodesTotal} node(s) done") { PercentComplete = e.NodesTotal == 0 ? 0 : 100 * e.NodesDone / e.NodesTotal });
                    WriteVerbose(e.Message);
                    break;
                case "NodeStep":
                    WriteProgress(new ProgressRecord(2, $"wave {e.Wave}", $"{e.Node}: {e.Step}") { ParentActivityId = 1 });
                    WriteVerbose($"{e.Node}: {e.Step}");
                    break;
                case "NodeFailed":
                case "WaveRefused":
                    if (e.Node != null)
                        // A failed node's or refused wave's event carries its error id and message.
                        WriteError(ErrorRecords.FromException(new FleetMaintenanceException(FleetMaintenanceException.Parse(e.ErrorId!), e.Node, e.Message!), "FleetMaintenance", e.Node));
                    else WriteVerbose($"wave {e.Wave} refused: {e.Message}");
                    break;
                case "ServerMoved":
                case "ServerMovedBack":
                    WriteVerbose($"{e.ServerName ?? e.ServerId}: {e.Status} {e.SourceHost} -> {e.Destination ?? "(scheduler)"}{(e.Message == null ? "" : ": " + e.Message)}");
                    break;
                case "SchedulerSyncWait":
                    WriteProgress(new ProgressRecord(2, $"wave {e.Wave}", $"{e.ServerName ?? e.ServerId} -> {e.Destination}: waiting for nova's scheduler to see the host as it is") { ParentActivityId = 1 });
                    WriteVerbose($"{e.ServerName ?? e.ServerId} -> {e.Destination}: {e.Message}");
                    break;
                default:
                    if (e.Message != null) WriteVerbose(e.Message);
                    break;
            }
        }

        /// <summary>Events from the run's thread, written here on the pipeline thread; each is also a line of the run record.</summary>
        private sealed class Observer : IFleetObserver
        {
            private readonly InvokeFleetMaintenanceCommand _cmdlet;

            public Observer(InvokeFleetMaintenanceCommand cmdlet) => _cmdlet = cmdlet;

            public void OnEvent(FleetEvent e)
            {
                _cmdlet._record?.Append(e);
                _cmdlet._onPipeline.Enqueue(() => _cmdlet.Write(e));
            }

            public void OnMessage(string message) => _cmdlet._onPipeline.Enqueue(() => _cmdlet.WriteVerbose(message));

            public void OnDrainProgress(int wave, DrainProgress p)
                => _cmdlet._onPipeline.Enqueue(() => _cmdlet.WriteProgress(new ProgressRecord(3, $"wave {wave}: drain",
                    $"{p.Finished} of {p.Total} done ({p.Succeeded} moved, {p.Unsuccessful} not moved), {p.InFlight} in flight")
                    { ParentActivityId = 1, PercentComplete = p.InputComplete ? p.PercentComplete : -1 }));
        }

        /// <summary>The operator's part: the script block and the SSH checks run on the pipeline thread; nova's wait on the run's.</summary>
        private sealed class NodeWork : IFleetNodeWork
        {
            private readonly InvokeFleetMaintenanceCommand _cmdlet;
            private readonly NovaFleetCloud _cloud;

            public NodeWork(InvokeFleetMaintenanceCommand cmdlet, NovaFleetCloud cloud)
            {
                _cmdlet = cmdlet;
                _cloud = cloud;
            }

            public bool HasMaintenance => _cmdlet.MaintenanceScript != null;

            public Task MaintainAsync(string host, CancellationToken ct) => _cmdlet.OnPipeline(() =>
            {
                foreach (var o in _cmdlet.MaintenanceScript!.Invoke(host)) // the runner maintains only when HasMaintenance
                    if (o != null) _cmdlet.WriteVerbose($"{host} maintenance: {o}");
                return true;
            });

            public async Task<FleetNodeCheck> CheckAsync(string host, CancellationToken ct)
            {
                if (_cmdlet.HealthCheck == "None") return FleetNodeCheck.Ok();
                var nova = await _cloud.WaitServiceUpAsync(host, TimeSpan.FromSeconds(_cmdlet.HealthTimeoutSeconds), ct).ConfigureAwait(false);
                if (!nova.Healthy || _cmdlet.HealthCheck == "Nova") return nova;
                return await _cmdlet.OnPipeline(() =>
                {
                    var service = _cmdlet.FreshComputeHosts().Find(host, out _);
                    var shell = NodeShells.Open(_cmdlet, host);
                    var probe = new NodeHealthProbe(shell);
                    var health = _cmdlet.Run(c => probe.CheckAsync(OpenStackOps.Node.Services.InitSystem.Auto, service, null, c));
                    _cmdlet.WriteVerbose($"{host}: {health}");
                    return new FleetNodeCheck { Healthy = health.Healthy, Problems = health.Problems, Detail = health };
                }).ConfigureAwait(false);
            }
        }
    }
}
