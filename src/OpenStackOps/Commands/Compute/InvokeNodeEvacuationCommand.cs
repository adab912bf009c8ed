using System.Management.Automation;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Compute.Services;
using OpenStackOps.Infrastructure;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Rebuilds the servers of a failed compute node on other hosts (nova evacuate), waits for each and verifies it.</para>
    /// <para type="description">The guide's recovery from a dead node. Refuses while nova still sees the node's nova-compute up: evacuating a node that is still running its guests gives two copies writing to the same volumes (under -WhatIf it warns and shows the plan). -ForceDown -Fenced marks the node forced down (the operator confirms the node is powered off or isolated; ConfirmImpact is High), whether or not nova has noticed yet: the mark stays until Enable-ComputeNode -ClearForcedDown, so the node is recognisably fenced and dealt with.</para>
    /// <para type="description">Before anything changes, each server is classified by what evacuation does to its data: boot from volume (kept), ephemeral disk on shared instance storage (kept, say so with -SharedInstanceStorage), or ephemeral on the dead node's local disk (rebuilt from the image: data lost). -WhatIf -PassThru returns that plan as objects. Only active, stopped and error servers can be evacuated; others are reported as skipped with the reason.</para>
    /// <para type="description">Evacuates ThrottleLimit servers at a time (default 3), waits for nova's evacuation record and the server on its new host in the state it had (a stopped server stays stopped), with progress bars, and writes one result per server. Attached volumes stay attached (nova keeps them). After the repair, start the node's nova-compute (it deletes its stale copies of the evacuated servers) and run Enable-ComputeNode -ClearForcedDown.</para>
    /// <example>
    ///   <code>Invoke-NodeEvacuation c03 -WhatIf -PassThru | Where-Object DataFate -eq LostRebuiltFromImage</code>
    ///   <para>Lists the servers whose local disk would be rebuilt from the image if c03 were evacuated. Changes nothing.</para>
    /// </example>
    /// <example>
    ///   <code>Invoke-NodeEvacuation c03 -ForceDown -Fenced -Destination c02 -Confirm:$false</code>
    ///   <para>c03 is powered off (fenced) but nova has not noticed yet: mark it down and rebuild all its servers on c02.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode | Where-Object State -eq down | Invoke-NodeEvacuation -WhatIf -PassThru</code>
    ///   <para>The plan for every node nova sees down, with each server's DataFate; on a healthy cloud the pipeline is empty and nothing happens.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c03 | Where-Object Name -like 'db-*' | Invoke-NodeEvacuation c03</code>
    ///   <para>Evacuates only the piped servers of c03 (nova already sees c03 down), letting the scheduler choose.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "NodeEvacuation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(MigrationResult))]
    public sealed class InvokeNodeEvacuationCommand : OpenStackCmdlet
    {
        // Servers piped in, per failed host (in the order the hosts came), evacuated together at the end.
        private readonly Dictionary<string, List<Server>> _piped = new Dictionary<string, List<Server>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ComputeService> _pipedHosts = new List<ComputeService>();

        /// <summary><para type="description">The failed compute host (exact name or unique short name). Binds the Host property of piped ComputeNode objects (Get-ComputeNode | Where-Object State -eq down | Invoke-NodeEvacuation): each piped node is evacuated; an empty pipeline does nothing.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; } = null!;

        /// <summary><para type="description">Only these servers (Server objects from Get-NodeServer, ids or names), each from the host named with them (piped servers without -ComputeNode: the server's own host); by default every server on the host. An empty pipeline of servers evacuates nothing.</para></summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public ServerTarget[]? Server { get; set; }

        /// <summary><para type="description">The host to rebuild the servers on; by default the scheduler chooses.</para></summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string? Destination { get; set; }

        /// <summary><para type="description">The instance directories are on shared storage (NFS, Ceph...): ephemeral disks are kept. Nova cannot tell this through its API.</para></summary>
        [Parameter]
        public SwitchParameter SharedInstanceStorage { get; set; }

        /// <summary><para type="description">Mark the node's nova-compute forced down first (also when nova already sees it down: forced down is nova's record that the node was fenced, it stays until Enable-ComputeNode -ClearForcedDown, and an evacuation monitor leaves such a node alone). Needs -Fenced.</para></summary>
        [Parameter]
        public SwitchParameter ForceDown { get; set; }

        /// <summary><para type="description">The operator's statement that the node is fenced (powered off or cut from storage and network), required with -ForceDown.</para></summary>
        [Parameter]
        public SwitchParameter Fenced { get; set; }

        /// <summary><para type="description">Evacuations in flight at once. Default 3 (as Masakari).</para></summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int ThrottleLimit { get; set; } = 3;

        /// <summary><para type="description">How long to wait for each server, in seconds. Default 600.</para></summary>
        [Parameter]
        [ValidateRange(10, 86400)]
        public int TimeoutSeconds { get; set; } = 600;

        /// <summary><para type="description">Submit the evacuations and return without waiting (results say Submitted).</para></summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary><para type="description">With -WhatIf: write the plan, one object per server with its DataFate.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// A node on its own (named, or piped as a ComputeNode) is evacuated here, whole; servers that come with it
        /// (piped) are collected per host and evacuated at the end. Nothing piped: nothing to do, and no prompt.
        /// </summary>
        protected override void ProcessRecord()
        {
            var service = Hosts.ResolveOrStop(ComputeNode, "evacuate");
            if (Server == null)
            {
                Evacuate(service, null);
                return;
            }
            if (!_piped.TryGetValue(service.Host, out var servers))
            {
                _piped[service.Host] = servers = new List<Server>();
                _pipedHosts.Add(service);
            }
            foreach (var target in Server)
            {
                try
                {
                    var server = ResolveServer(target);
                    if (server != null) servers.Add(server);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteError(ErrorRecords.FromException(e, "NovaShowServer", target.Text));
                }
            }
        }

        protected override void EndProcessing()
        {
            foreach (var service in _pipedHosts)
                if (_piped[service.Host].Count > 0) Evacuate(service, _piped[service.Host]);
            base.EndProcessing();
        }

        /// <summary>The nova-compute services, listed once per invocation; a listing failure stops the command.</summary>
        private ComputeHostResolver Hosts
        {
            get
            {
                try { _ = ComputeHosts.Services; }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    ThrowTerminatingError(ErrorRecords.FromException(e, "NovaListComputeServices", ComputeNode));
                }
                return ComputeHosts;
            }
        }

        /// <summary>Evacuates <paramref name="only"/> of the host's servers, or all of them (null).</summary>
        private void Evacuate(ComputeService service, IReadOnlyList<Server>? only)
        {
            var session = CurrentSession;
            string? destination = Destination == null ? null : Hosts.ResolveOrStop(Destination, "rebuild servers on").Host;
            if (destination != null && string.Equals(destination, service.Host, StringComparison.OrdinalIgnoreCase))
                ThrowTerminatingError(ErrorRecords.Make($"The destination {destination} is the failed host itself. Give another host, or none to let the scheduler choose.",
                    "EvacuationDestinationIsSource", ErrorCategory.InvalidArgument, Destination));

            bool whatIf = IsWhatIf;
            EnsureDown(session, service, whatIf);

            IReadOnlyList<Server> servers = only ?? Run(ct => session.Compute.Servers.ListOnHostAsync(service.Host, ct));
            var toRun = new List<Server>();
            foreach (var s in servers)
            {
                var plan = EvacuationPlan.For(s, service.Host, destination, SharedInstanceStorage, session.Cloud, session.Region);
                if (plan.Outcome == MigrationOutcome.Skipped)
                {
                    if (whatIf) { if (PassThru) WriteObject(AsEvacuation(plan)); }
                    else toRun.Add(s); // reported as skipped by the run, with the others
                    continue;
                }
                if (!ShouldProcess($"{s.Name} ({s.Id}) on {service.Host}", $"Evacuate to {destination ?? "the scheduler's choice"}: {EvacuationPlan.Describe(EvacuationPlan.Fate(s, SharedInstanceStorage))}"))
                {
                    if (PassThru) WriteObject(AsEvacuation(plan));
                    continue;
                }
                toRun.Add(s);
            }
            if (toRun.Count == 0) return;

            var options = new EvacuationOptions
            {
                FailedHost = service.Host, Destination = destination, SharedInstanceStorage = SharedInstanceStorage,
                ThrottleLimit = ThrottleLimit, Timeout = TimeSpan.FromSeconds(TimeoutSeconds), Wait = !NoWait,
            };
            var pump = new MigrationEventPump(this, "Invoke-NodeEvacuation", WriteResult);
            var run = new EvacuationRun(session.Compute, options, pump.Queue, session.Cloud, session.Region);
            var completion = System.Threading.Tasks.Task.Run(() => run.RunAsync(toRun, StopToken));
            PumpUntilDone(completion, pump);
            if (completion.IsFaulted)
                ThrowTerminatingError(ErrorRecords.FromException(completion.Exception.GetBaseException(), "NovaEvacuate", service.Host));
            pump.CloseBars();
        }

        /// <summary>
        /// Refuses a node nova still sees up unless -ForceDown -Fenced. With -ForceDown -Fenced the node is marked
        /// forced down even when nova already sees it down: forced_down is nova's record that the node was fenced,
        /// it keeps the node down until an operator lifts it (Enable-ComputeNode -ClearForcedDown), and it is how a
        /// monitor's next pass knows this node was dealt with and must not be fenced again.
        /// </summary>
        private void EnsureDown(OpenStackOps.Sessions.OpenStackSession session, ComputeService service, bool whatIf)
        {
            bool down = string.Equals(service.State, "down", StringComparison.OrdinalIgnoreCase);
            if (ForceDown && !Fenced)
                ThrowTerminatingError(ErrorRecords.Make(
                    $"-ForceDown marks {service.Host} down in nova but does not stop it. Fence the node first (power it off, or cut it from storage and network), then add -Fenced to say so.",
                    "NodeNotFenced", ErrorCategory.SecurityError, service.Host));
            if (!down && !ForceDown)
            {
                string why = $"Nova still sees nova-compute on {service.Host} up (last report {service.UpdatedAt:u}). Evacuating a node that still runs its servers gives two copies writing to the same volumes. " +
                    "If the node is dead, wait until nova marks it down (service_down_time, 60 s by default), or fence it (power it off) and run again with -ForceDown -Fenced.";
                // A preview changes nothing, so it may show the plan of a node that is still up.
                if (whatIf) { WriteWarning(why); return; }
                ThrowTerminatingError(ErrorRecords.Make(why, "NodeNotDown", ErrorCategory.InvalidOperation, service.Host));
            }
            if (!ForceDown || service.ForcedDown) return;
            string action = down
                ? "Mark nova-compute forced down (the node is fenced; nova already sees it down, this keeps it down until Enable-ComputeNode -ClearForcedDown)"
                : "Force nova-compute down (the node is fenced)";
            if (!ShouldProcess(service.Host, action)) return;
            try
            {
                Run(ct => session.Compute.Services.SetForcedDownAsync(service, true, ct));
                WriteVerbose($"{service.Host}: nova-compute forced down. After the repair, once nova-compute runs there again: Enable-ComputeNode {service.Host} -ClearForcedDown.");
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, "NovaForceDownComputeService", service.Host));
            }
        }

        /// <summary>Plans and results carry the type name of their own view, which shows each server's DataFate.</summary>
        private static PSObject AsEvacuation(MigrationResult result)
        {
            var o = PSObject.AsPSObject(result);
            if (!o.TypeNames.Contains(EvacuationTypeName)) o.TypeNames.Insert(0, EvacuationTypeName);
            return o;
        }

        private const string EvacuationTypeName = "OpenStackOps.Maintenance.MigrationResult#Evacuation";

        private void WriteResult(MigrationResult result)
        {
            WriteObject(AsEvacuation(result));
            switch (result.Outcome)
            {
                case MigrationOutcome.Completed:
                case MigrationOutcome.Submitted:
                    break;
                case MigrationOutcome.Skipped:
                    WriteWarning($"{result.ServerName}: not evacuated: {result.Message}");
                    break;
                default:
                    WriteError(ErrorRecords.FromException(MigrationFailedException.OfEvacuation(result), "NovaEvacuate", result.ServerId));
                    break;
            }
        }
    }
}
