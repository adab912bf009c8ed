using System.Management.Automation;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;
using OpenStackOps.Maintenance;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Live-migrates servers to another compute node and waits until nova confirms each move.</para>
    /// <para type="description">Moves each server piped in (from Get-NodeServer, by id or name, or the results of an earlier Move-ServerLive) with nova's live migration, to -Destination or to the host the scheduler chooses. At most -ThrottleLimit migrations run at once across everything piped into one call (default 1, nova's per-host default). It waits for each, with a progress bar per migration and one overall, and writes one result per server: Completed only when nova's migration record says completed and the server is back in its state on another host; RolledBack or Failed with nova's reason otherwise. Servers that cannot be live-migrated (SHUTOFF, ERROR, busy with a task, locked) are skipped with the reason, or cold-migrated and confirmed with -ColdMigrateStopped. Running the same drain again moves only what is still there; piping the results back returns every server to the host it came from.</para>
    /// <example>
    ///   <code>Get-ComputeNode c01 | Disable-ComputeNode -Reason patching -PassThru | Get-NodeServer | Move-ServerLive -Destination c02</code>
    ///   <para>Drains c01 onto c02, one server at a time.</para>
    /// </example>
    /// <example>
    ///   <code>$moves = Get-NodeServer c01 | Move-ServerLive; $moves | Export-Clixml c01-drain.xml</code>
    ///   <para>Lets the scheduler choose, and keeps the results; later, Import-Clixml c01-drain.xml | Move-ServerLive returns every server to c01.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c01 | Move-ServerLive -WhatIf -PassThru</code>
    ///   <para>The plan as objects: which servers would move and which would be skipped, and why. Nothing changes.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c01 | Move-ServerLive -ThrottleLimit 3 -TimeoutSeconds 1800 -TimeoutAction ForceComplete</code>
    ///   <para>Three migrations at a time; a migration still running after 30 minutes is force-completed.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Move, "ServerLive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MigrationResult))]
    // Parameters are strings, not the engine's enums: a value-type field of an engine type would make PowerShell
    // load the engine while it scans the cmdlets, before ModuleInitializer has set up the engine's load context.
    public sealed class MoveServerLiveCommand : OpenStackCmdlet
    {
        private MigrationEventPump _pump = null!; // set by BeginProcessing
        private LiveMigrationRun? _run;
        private MigrationOptions _options = null!; // set by BeginProcessing
        private string? _destination;

        /// <summary><para type="description">The servers: Server objects from Get-NodeServer, ids, exact names, or results of an earlier Move-ServerLive (which go back to their SourceHost unless -Destination is given).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Id", "ServerId")]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public ServerTarget[] Server { get; set; } = null!;

        /// <summary><para type="description">The compute host to move to (exact name, or unique short name). Default: the scheduler chooses (the host is validated by the scheduler either way).</para></summary>
        [Parameter(Position = 1)]
        [Alias("DestinationHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string? Destination { get; set; }

        /// <summary><para type="description">Copy the disks too: Auto (default; nova decides from the storage, API 2.25+), On (no shared storage) or Off (shared storage).</para></summary>
        [Parameter]
        [ValidateSet("Auto", "On", "Off")]
        public string BlockMigration { get; set; } = "Auto";

        /// <summary><para type="description">How many migrations may be in flight at once, across everything piped in. Default 1, as nova's max_concurrent_live_migrations per host.</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary><para type="description">How many of those may come from any one source host (default: no such limit). A rolling drain of several hosts: -ThrottleLimit 10 -ThrottleLimitPerHost 2 moves servers of five hosts at a time, two from each; a server of a full host lets the next host's pass.</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimitPerHost { get; set; }

        /// <summary><para type="description">How long each server's move may take, in seconds. Default: nova's own completion timeout for the server's flavor, plus a minute.</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSeconds { get; set; }

        /// <summary><para type="description">What to do with a migration still running at its timeout: Abort (default; the server stays on its source), ForceComplete (pause the guest to finish), or Leave (let it run and say so).</para></summary>
        [Parameter]
        [ValidateSet("Abort", "ForceComplete", "Leave")]
        public string TimeoutAction { get; set; } = "Abort";

        /// <summary><para type="description">Fire and forget: start each migration and write a Submitted result without waiting.</para></summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary><para type="description">Cold-migrate SHUTOFF servers (and confirm the move) instead of skipping them.</para></summary>
        [Parameter]
        public SwitchParameter ColdMigrateStopped { get; set; }

        /// <summary><para type="description">Move locked servers too (skipped by default: a lock usually means leave it alone).</para></summary>
        [Parameter]
        public SwitchParameter IncludeLocked { get; set; }

        /// <summary><para type="description">Show memory transferred per migration where nova reports it (one more API call per running migration per poll).</para></summary>
        [Parameter]
        public SwitchParameter ShowMemoryProgress { get; set; }

        /// <summary><para type="description">With -WhatIf, write the plan: one object per server saying whether it would move (Planned) or why not (Skipped).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            var session = CurrentSession;
            _options = new MigrationOptions
            {
                BlockMigration = (BlockMigration)Enum.Parse(typeof(BlockMigration), BlockMigration, true),
                ThrottleLimit = ThrottleLimit,
                ThrottleLimitPerHost = ThrottleLimitPerHost,
                Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : (TimeSpan?)null,
                TimeoutAction = (TimeoutAction)Enum.Parse(typeof(TimeoutAction), TimeoutAction, true),
                Wait = !NoWait,
                ColdMigrateStopped = ColdMigrateStopped,
                IncludeLocked = IncludeLocked,
                ReportMemoryProgress = ShowMemoryProgress,
            };
            if (Destination != null)
            {
                var service = ComputeHosts.ResolveOrStop(Destination, "move servers to");
                _destination = service.Host;
            }
            _pump = new MigrationEventPump(this, "Move-ServerLive", WriteResult);
        }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            foreach (var target in Server)
            {
                Server? server;
                try
                {
                    server = ResolveServer(target);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "NovaShowServer", target.Text);
                    continue;
                }
                if (server == null) continue;

                string? destination = _destination;
                if (destination == null && target.OriginalHost != null)
                    destination = ComputeHosts.ResolveOrStop(target.OriginalHost, "move servers to").Host; // the return trip
                var request = new MigrationRequest(server, destination);
                var plan = MigrationPlan.For(request, _options, session.Cloud, session.Region);
                string? action = plan.Outcome == MigrationOutcome.Skipped
                    ? null
                    : $"{(plan.MoveKind == MigrationKind.Cold ? "Cold-migrate (and confirm)" : "Live-migrate")} from {server.Host} to {destination ?? "the scheduler's choice"}";

                if (action != null && !ShouldProcess($"{server.Name} ({server.Id})", action))
                {
                    if (PassThru) WriteObject(plan);
                    continue;
                }
                if (action == null && IsWhatIf)
                {
                    WriteVerbose($"{server.Name}: would be skipped: {plan.Message}");
                    if (PassThru) WriteObject(plan);
                    continue;
                }
                EnsureRunStarted();
                _run!.Add(request); // EnsureRunStarted set it
                _pump.Drain(false);
            }
        }

        protected override void EndProcessing()
        {
            if (_run != null)
            {
                _run.Complete();
                var completion = _run.Completion;
                PumpUntilDone(completion, _pump);
                if (completion.IsFaulted)
                    ThrowTerminatingError(ErrorRecords.FromException(completion.Exception.GetBaseException(), "NovaLiveMigrate", null));
                _pump.CloseBars();
            }
            base.EndProcessing();
        }

        private void EnsureRunStarted()
        {
            if (_run != null) return;
            var session = CurrentSession;
            _run = new LiveMigrationEngine(session.Compute).Start(_options, _pump.Queue, StopToken);
        }

        private void WriteResult(MigrationResult result)
        {
            WriteObject(result);
            switch (result.Outcome)
            {
                case MigrationOutcome.Skipped:
                    WriteVerbose($"{result.ServerName}: skipped: {result.Message}");
                    break;
                case MigrationOutcome.Failed:
                case MigrationOutcome.RolledBack:
                case MigrationOutcome.Aborted:
                case MigrationOutcome.TimedOut:
                case MigrationOutcome.Unverified:
                    WriteError(ErrorRecords.FromException(MigrationFailedException.OfMove(result), "NovaLiveMigrate", result.ServerId));
                    break;
            }
        }
    }
}
