using System.Management.Automation;
using System.Text.RegularExpressions;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Database;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Database
{
    /// <summary>
    /// <para type="synopsis">Moves the database records of servers on a failed compute node to another node (the guide's SQL path), journaled and checked.</para>
    /// <para type="description">For clouds where evacuation through the API is not possible and /var/lib/nova/instances is shared. Reads the undeleted nova.instances rows of the failed host (or only -InstanceId), their neutron ports and the ports' ml2_port_bindings and ml2_port_binding_levels rows, and stops, changing nothing, if any port already has a binding for the destination, has an INACTIVE or duplicate binding, is bound to a third host, or has binding levels that do not match its binding. Otherwise it writes a JSON journal of every row's pre-image and the exact statements (-JournalPath; an existing file is never replaced), then updates nova in one transaction (host and node; launched_on is history and stays) and neutron in another, every statement parameterized and its row count checked against the plan. If neutron fails after nova committed, nova is restored from the journal at once. -WhatIf prints the exact SQL; -WhatIf -PassThru returns the plan. -Restart then hard-reboots each server through the compute API and waits for ACTIVE; reattaching volumes is left to you. Restore-ServerDatabaseRecord undoes a move from its journal. Prefer evacuation: this path leaves no migration record, so restart the failed host's nova-compute only after cleaning its instances by hand, and with ML2/OVN the OVN northbound database is not updated.</para>
    /// <example>
    ///   <code>Move-ServerDatabaseRecord -ComputeNode c03.example.com -Destination c02.example.com -DatabaseServer db1 -DatabaseCredential (Get-Credential openstack) -Force -WhatIf</code>
    ///   <para>Shows the plan's exact statements and any conflicting or stale binding, without changing anything.</para>
    /// </example>
    /// <example>
    ///   <code>Move-ServerDatabaseRecord c03.example.com c02.example.com -InstanceId 9f1c… -ConnectionString $cs -JournalPath ./c03.json -Restart</code>
    ///   <para>Moves one server's rows, then hard-reboots it and waits until it is ACTIVE on c02.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Move, "ServerDatabaseRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = CredentialSet)]
    [OutputType(typeof(DatabaseRecoveryResult), typeof(DatabaseRecoveryPlan), typeof(Server))]
    public sealed class MoveServerDatabaseRecordCommand : DatabaseRecoveryCommand
    {
        /// <summary><para type="description">The failed compute host, exactly as in nova.instances.host (e.g. c03.example.com). Alias: -FailedHost.</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("FailedHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ExactComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;

        /// <summary><para type="description">The host the servers move to, exactly as nova names it.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ExactComputeHostCompleter))]
        public string Destination { get; set; } = null!;

        /// <summary><para type="description">The destination's hypervisor hostname for nova.instances.node. Default: the one undeleted nova.compute_nodes row of the destination.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ExactComputeHostCompleter))]
        public string? DestinationNode { get; set; }

        /// <summary><para type="description">Only these instance UUIDs (they must be undeleted instances on the failed host).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "ServerId", "Uuid")]
        public string[]? InstanceId { get; set; }

        /// <summary><para type="description">Move every undeleted instance on the failed host (required when -InstanceId is not given).</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary><para type="description">The journal file to write before anything changes. Default: osops-db-recovery-HOST-TIME.json in the current directory.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary><para type="description">After the move, hard-reboot each server through the compute API (needs Connect-OpenStack) and wait for ACTIVE. Once a server runs on the destination, Restore-ServerDatabaseRecord can no longer undo its move (it refuses: DatabaseRecoveryStartedOnDestination).</para></summary>
        [Parameter]
        public SwitchParameter Restart { get; set; }

        /// <summary><para type="description">How long to wait for each rebooted server to become ACTIVE (default 300 s).</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int RestartTimeoutSeconds { get; set; } = 300;

        /// <summary><para type="description">Leave the servers' placement allocations on the failed node's resource provider (by default they move to the destination's with the rows, which needs Connect-OpenStack). Find-ServerProblem then reports each as AllocationElsewhere.</para></summary>
        [Parameter]
        public SwitchParameter SkipPlacement { get; set; }

        /// <summary><para type="description">With -WhatIf, return the plan (rows, statements, placement moves, problems).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly System.Collections.Generic.List<string> _ids = new System.Collections.Generic.List<string>();

        protected override void ProcessRecord()
        {
            if (InstanceId != null) _ids.AddRange(InstanceId.Where(i => !string.IsNullOrWhiteSpace(i)));
        }

        protected override void EndProcessing()
        {
            try { Execute(); }
            finally { base.EndProcessing(); }
        }

        private void Execute()
        {
            if (_ids.Count == 0 && !Force)
                ThrowTerminatingError(Infrastructure.ErrorRecords.Make(
                    $"Name the servers to move with -InstanceId, or pass -Force to move every undeleted instance on '{ComputeNode}'.",
                    "DatabaseRecoveryHostNeedsForce", ErrorCategory.InvalidArgument, ComputeNode,
                    "Add -Force to move everything on the failed host."));
            var target = BuildTarget();
            var store = new DatabaseRecoveryStore(target) { Log = Messages.Verbose };
            var request = new RecoveryRequest { FailedHost = ComputeNode, Destination = Destination, DestinationNode = DestinationNode, InstanceUuids = _ids.ToArray() };

            DatabaseRecoveryPlan plan;
            try
            {
                WriteVerbose($"Reading {target.NovaDatabase} and {target.NeutronDatabase} on {target.Display}");
                plan = Run(ct => store.PlanAsync(request, ct));
                // Placement after the rows: its moves are planned from the instances read (their nodes) and the destination node.
                if (!SkipPlacement && !plan.IsBlocked && !plan.IsEmpty)
                {
                    var mover = PlacementOrNull();
                    if (mover != null)
                    {
                        WriteVerbose($"Reading the servers' allocations in placement");
                        Run(ct => mover.PlanAsync(plan, ct));
                        store.Placement = mover;
                    }
                }
            }
            catch (DatabaseRecoveryException e)
            {
                ThrowTerminatingError(Infrastructure.ErrorRecords.FromException(e, null, null)); // a full id: no operation before it
                return;
            }
            catch (Http.OpenStackApiException e)
            {
                ThrowTerminatingError(Infrastructure.ErrorRecords.FromException(e, "PlacementMoveAllocations", ComputeNode)); // reading placement; nothing was changed
                return;
            }

            foreach (var w in plan.Warnings) WriteWarning(w);
            if (plan.IsBlocked)
            {
                foreach (var p in plan.Problems) WriteError(Infrastructure.ErrorRecords.FromException(new RecoveryProblemException(p.Kind, p.Target, p.Message), null, null));
                if (PassThru && IsWhatIf) WriteObject(plan);
                return;
            }
            if (plan.IsEmpty)
            {
                WriteWarning($"No undeleted instance on '{ComputeNode}' in {target.NovaDatabase}: nothing to move.");
                if (PassThru && IsWhatIf) WriteObject(plan);
                return;
            }

            string journal = GetUnresolvedProviderPathFromPSPath(JournalPath ?? DefaultJournal());
            string description = $"Move {plan.InstanceCount} instance(s), {plan.BindingCount} port binding(s), {plan.LevelCount} binding level row(s) and {plan.AllocationCount} placement allocation(s) from '{ComputeNode}' to '{Destination}' (node '{plan.DestinationNode}') on {target.Display}, journal {journal}. SQL:{Environment.NewLine}{plan.SqlText}" +
                (plan.AllocationCount > 0 ? $"{Environment.NewLine}Placement, after both databases:{Environment.NewLine}{plan.PlacementText}" : "");
            if (!ShouldProcess(description, description + Environment.NewLine + "Rewrite these database rows?", "Move-ServerDatabaseRecord"))
            {
                if (PassThru) WriteObject(plan);
                return;
            }

            DatabaseRecoveryResult result;
            try
            {
                result = Run(ct => store.ApplyAsync(plan, journal, ct));
            }
            catch (DatabaseRecoveryException e)
            {
                ThrowTerminatingError(Infrastructure.ErrorRecords.FromException(e, null, null)); // a full id: no operation before it
                return;
            }
            WriteObject(result);

            if (!Restart) return;
            var compute = CurrentSession.Compute;
            foreach (var uuid in result.InstanceIds)
            {
                try
                {
                    WriteVerbose($"Hard-rebooting {uuid}");
                    Run(ct => compute.ServerActions.RebootAsync(uuid, hard: true, ct));
                    var server = Run(ct => ServerWait.WaitActiveAsync(compute, uuid, TimeSpan.FromSeconds(RestartTimeoutSeconds), TimeSpan.FromSeconds(2), ct));
                    server.Cloud = CurrentSession.Cloud;
                    server.Region = CurrentSession.Region;
                    WriteObject(server);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "NovaHardReboot", uuid);
                }
            }
        }

        /// <summary>
        /// Placement through the session, to move the allocations with the rows. Without a session a real run stops before
        /// reading anything (the allocations would stay behind silently); -WhatIf plans without them and says so.
        /// </summary>
        private AllocationMover? PlacementOrNull()
        {
            var session = Session ?? Infrastructure.SessionStore.GetDefault();
            if (session == null)
            {
                if (IsWhatIf)
                {
                    WriteWarning("No OpenStack session: this plan leaves out the servers' placement allocations, which the move takes along. Connect-OpenStack first, or pass -SkipPlacement.");
                    return null;
                }
                ThrowTerminatingError(Infrastructure.ErrorRecords.Make(
                    $"Moving the servers' rows off '{ComputeNode}' also moves their placement allocations to '{Destination}', and there is no OpenStack session to do it with. Nothing was changed.",
                    "DatabaseRecoveryPlacementNeedsSession", ErrorCategory.ConnectionError, ComputeNode,
                    "Connect-OpenStack (an admin session) first, or pass -SkipPlacement to leave the allocations on the failed node's provider."));
            }
            try
            {
                return new AllocationMover(CurrentSession.Placement);
            }
            catch (Identity.EndpointNotFoundException e)
            {
                ThrowTerminatingError(Infrastructure.ErrorRecords.Make(
                    $"The catalog has no placement endpoint to move the servers' allocations with ({e.Message}). Nothing was changed.",
                    "DatabaseRecoveryPlacementNeedsSession", ErrorCategory.ConnectionError, ComputeNode,
                    "Pass -SkipPlacement to move only the database rows."));
                return null;
            }
        }

        private string DefaultJournal()
            => $"osops-db-recovery-{Regex.Replace(ComputeNode, "[^A-Za-z0-9.-]", "_")}-{DateTime.UtcNow:yyyyMMddTHHmmssfff}.json";
    }
}
