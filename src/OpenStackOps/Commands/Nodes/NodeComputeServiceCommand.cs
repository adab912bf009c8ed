using System.Management.Automation;
using OpenStackOps.Compute.Services;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Services;
using OpenStackOps.Node.Shell;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>What Stop- and Start-NodeComputeService share beyond the node and its init system: waiting for nova to agree.</summary>
    public abstract class NodeComputeServiceCommand : NodeServiceCmdlet
    {
        /// <summary><para type="description">Waits until nova's service list agrees (down after a stop, up after a start); needs a cloud session. Nova notices a stop only after its service_down_time (60 s by default).</para></summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary><para type="description">Seconds to wait with -Wait (180).</para></summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 180;

        /// <summary><para type="description">Writes the service state to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract string Operation { get; }
        protected abstract string WantedNovaState { get; }
        protected abstract string Describe();
        protected abstract Task<NodeServiceState> ApplyAsync(ComputeServiceControl control, CancellationToken ct);

        protected override void ProcessRecord()
        {
            try
            {
                OpenStackSession? session = null;
                ComputeService? known = null;
                if (Wait)
                {
                    session = SessionIfAny;
                    if (session == null)
                        throw new NodeCommandException(NodeErrorKind.InvalidArgument, ComputeNode, "-Wait asks nova for the service state: run Connect-OpenStack first (or pass -Session).");
                    // The host nova must report on, known before anything changes on the node.
                    known = ComputeHosts.Resolve(ComputeNode);
                    if (known == null) return;
                }
                if (!ShouldProcess(ComputeNode, Describe()))
                {
                    if (PassThru) WriteObject(new NodeServiceState { Node = ComputeNode, Service = ComputeServiceControl.Unit, Init = Init, Action = "Planned", State = "unchanged", Steps = new[] { Describe() } });
                    return;
                }
                var shell = NodeShells.Open(this, ComputeNode);
                var control = new ComputeServiceControl(shell, Messages);
                var state = Run(ct => ApplyAsync(control, ct));
                if (Wait) state.NovaState = WaitForNova(session!, known!.Host); // both set above under the same -Wait
                if (PassThru) WriteObject(state);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, Operation, ComputeNode);
            }
        }

        private string WaitForNova(OpenStackSession session, string host)
        {
            string activity = $"Waiting for nova to report nova-compute on {host} {WantedNovaState}";
            var state = Run(ct => NovaServiceWait.UntilStateAsync(session.Compute.Services, ComputeNode, host, WantedNovaState, TimeSpan.FromSeconds(TimeoutSeconds),
                (service, waited) => Messages.Progress(new ProgressRecord(1, activity, $"nova says {service.State} ({waited.TotalSeconds:0} s)")), ct));
            WriteProgress(new ProgressRecord(1, "Waiting for nova", "done") { RecordType = ProgressRecordType.Completed });
            return state;
        }
    }
}
