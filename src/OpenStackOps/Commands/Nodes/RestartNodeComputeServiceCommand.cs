using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using OpenStackOps.Compute.Services;
using OpenStackOps.Node.Services;
using OpenStackOps.Node.Shell;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Restarts nova-compute on compute nodes, a few at a time, and waits until nova has a new heartbeat from each.</para>
    /// <para type="description">The guide's remedy after a long controller or RabbitMQ outage: "a restart of the nova services on the compute nodes is required" for the nova-compute services that did not reconnect to the message queue. Takes nodes by name or piped (Get-ComputeNode, or Test-ComputeNodeHealth's results: pipe them through Where-Object NeedsRestart so that only the cut-off ones are restarted). Restarts nova-compute (systemctl restart, or `service nova-compute restart`) on at most -ThrottleLimit nodes at once, checks that a new process runs, then waits until nova reports the service up with a heartbeat newer than the one it had before the restart (nova's own clock): only then is the node done and the next one starts. A node whose nova-compute is stopped or pinned for maintenance is refused (Start-NodeComputeService is for that). Writes one NodeServiceState per node (NovaState, NovaUpdatedAt, SecondsUntilReported); a node that fails is an error record and the others go on. -NoWait restarts without asking nova (no cloud session needed).</para>
    /// <example>
    ///   <code>Get-ComputeNode | Test-ComputeNodeHealth | Where-Object NeedsRestart | Restart-NodeComputeService -ThrottleLimit 3</code>
    ///   <para>After RabbitMQ came back: finds the nova-compute services that did not reconnect (nova says down while the process lives, or no AMQP connection logged since the broker went away) and restarts them three at a time, each waited for until nova hears from it again.</para>
    /// </example>
    /// <example>
    ///   <code>Restart-NodeComputeService c01.example.com,c02.example.com -WhatIf</code>
    ///   <para>Says what it would restart.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "NodeComputeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NodeServiceState))]
    public sealed class RestartNodeComputeServiceCommand : NodeCmdlet
    {
        private readonly List<(string Node, string? Host, INodeShell Shell)> _queued = new List<(string, string?, INodeShell)>();
        private OpenStackSession? _session;

        /// <summary><para type="description">The compute nodes (as given to Connect-ComputeNode, or nova's host names). Binds the Host property of piped ComputeNode objects and the Node property of Test-ComputeNodeHealth's results.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Infrastructure.Completion.ComputeHostCompleter))]
        public string[] ComputeNode { get; set; } = null!;

        /// <summary><para type="description">Systemd (systemctl), SysV (`service`, also upstart jobs) or Auto (find out on each node; the default).</para></summary>
        [Parameter]
        [ValidateSet("Auto", "Systemd", "SysV")]
        public string InitSystem { get; set; } = "Auto";

        /// <summary><para type="description">How many nodes are restarted and waited for at once (2). The rest wait for a free slot.</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 2;

        /// <summary><para type="description">Seconds to wait for nova's new heartbeat from each node (180).</para></summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 180;

        /// <summary><para type="description">Restart without waiting for nova (and without a cloud session).</para></summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        private InitSystem Init => (InitSystem)Enum.Parse(typeof(InitSystem), InitSystem, true);

        protected override void BeginProcessing()
        {
            if (NoWait) return;
            _session = SessionIfAny;
            if (_session == null)
                ThrowTerminatingError(Infrastructure.ErrorRecords.FromException(new NodeCommandException(NodeErrorKind.InvalidArgument, null,
                    "Restart-NodeComputeService waits until nova hears from each node again: run Connect-OpenStack first (or pass -Session), or give -NoWait."),
                    "NodeRestartComputeService", null));
        }

        protected override void ProcessRecord()
        {
            foreach (var node in ComputeNode)
            {
                try
                {
                    if (_queued.Any(q => string.Equals(q.Node, node, StringComparison.OrdinalIgnoreCase))) continue;
                    string? host = null;
                    if (!NoWait)
                    {
                        var known = ComputeHosts.Resolve(node);
                        if (known == null) continue;
                        host = known.Host;
                    }
                    if (!ShouldProcess(node, NoWait ? "Restart nova-compute" : "Restart nova-compute and wait until nova has a new heartbeat from it")) continue;
                    _queued.Add((node, host, NodeShells.Open(this, node)));
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "NodeRestartComputeService", node);
                }
            }
        }

        protected override void EndProcessing()
        {
            var done = new ConcurrentQueue<(string Node, NodeServiceState? State, Exception? Error)>();
            if (_queued.Count > 0)
            {
                var run = RestartAllAsync(done, StopToken);
                WaitHere(run, _ => Flush(done));
                run.GetAwaiter().GetResult();
                Flush(done);
                WriteProgress(new ProgressRecord(1, "Restarting nova-compute", "done") { RecordType = ProgressRecordType.Completed });
            }
            base.EndProcessing();
        }

        private void Flush(ConcurrentQueue<(string Node, NodeServiceState? State, Exception? Error)> done)
        {
            while (done.TryDequeue(out var d))
            {
                if (d.Error != null) WriteFailure(d.Error, "NodeRestartComputeService", d.Node);
                else WriteObject(d.State);
            }
        }

        private async Task RestartAllAsync(ConcurrentQueue<(string, NodeServiceState?, Exception?)> done, CancellationToken ct)
        {
            using var slots = new SemaphoreSlim(ThrottleLimit);
            int finished = 0;
            var tasks = _queued.Select(async q =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var state = await RestartOneAsync(q.Node, q.Host, q.Shell, ct).ConfigureAwait(false);
                    done.Enqueue((q.Node, state, null));
                }
                catch (Exception e) when (!(e is OperationCanceledException) || !ct.IsCancellationRequested)
                {
                    done.Enqueue((q.Node, null, e));
                }
                finally
                {
                    slots.Release();
                    int n = Interlocked.Increment(ref finished);
                    Messages.Progress(new ProgressRecord(1, "Restarting nova-compute", $"{n} of {_queued.Count} nodes done") { PercentComplete = 100 * n / _queued.Count });
                }
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        private async Task<NodeServiceState> RestartOneAsync(string node, string? host, INodeShell shell, CancellationToken ct)
        {
            DateTimeOffset? before = null;
            if (!NoWait)
            {
                // nova's heartbeat before the restart: the wait wants a newer one, by nova's clock.
                var listed = await _session!.Compute.Services.ListAsync(null, ComputeServiceControl.Unit, ct).ConfigureAwait(false); // BeginProcessing set _session (not -NoWait)
                before = listed.FirstOrDefault(s => s.Host == host)?.UpdatedAt;
            }
            Messages.Verbose($"{node}: restarting nova-compute (nova's last heartbeat {before:u})");
            var control = new ComputeServiceControl(shell, Messages);
            var clock = Stopwatch.StartNew();
            var state = await control.RestartAsync(Init, ct).ConfigureAwait(false);
            if (NoWait) return state;
            var reported = await NovaServiceWait.UntilReportingAgainAsync(_session!.Compute.Services, node, host!, before, TimeSpan.FromSeconds(TimeoutSeconds), // both set unless -NoWait
                (s, waited) => Messages.Progress(new ProgressRecord(Math.Abs(node.GetHashCode() % 100000) + 2, $"Waiting for nova to hear from nova-compute on {host}",
                    $"nova says {s.State}, last heartbeat {s.UpdatedAt:u} ({waited.TotalSeconds:0} s)") { ParentActivityId = 1 }), ct).ConfigureAwait(false);
            state.NovaState = reported.State;
            state.NovaUpdatedAt = reported.UpdatedAt;
            state.SecondsUntilReported = Math.Round(clock.Elapsed.TotalSeconds, 1);
            return state;
        }
    }
}
