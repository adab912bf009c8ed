using System.Management.Automation;
using OpenStackOps.Compute.Hypervisors;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// What Disable- and Enable-ComputeNode share: resolving hosts, skipping nodes already in the wanted
    /// state (so re-running a runbook changes nothing), ShouldProcess per host, and -PassThru objects
    /// (the planned state under -WhatIf).
    /// </summary>
    public abstract class ComputeNodeStatusCommand : OpenStackCmdlet
    {
        private ILookup<string, Hypervisor>? _hypervisors;

        /// <summary><para type="description">The compute hosts (exact name, or unique short name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "Name", "ComputeHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string[] ComputeNode { get; set; } = null!;

        /// <summary><para type="description">Write the node, as it is afterwards, to the pipeline (as it would be, with -WhatIf).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Operation name for error ids, e.g. NovaDisableComputeNode.</summary>
        protected abstract string Operation { get; }

        /// <summary>The ShouldProcess action text, e.g. "Disable scheduling (reason: patching)".</summary>
        protected abstract string Action { get; }

        protected abstract bool IsAlreadyDone(ComputeService service);

        /// <summary>The service as it would be after the change (for -WhatIf -PassThru).</summary>
        protected abstract ComputeService Planned(ComputeService service);

        protected abstract Task<ServiceUpdateResult> ApplyAsync(ServicesApi services, ComputeService service, CancellationToken ct);

        protected override void ProcessRecord()
        {
            var session = CurrentSession;

            foreach (string typed in ComputeNode)
            {
                ComputeService? service;
                try
                {
                    service = ComputeHosts.Resolve(typed);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    ThrowTerminatingError(ErrorRecords.FromException(e, "NovaListComputeServices", typed));
                    return;
                }
                if (service == null) continue;

                if (IsAlreadyDone(service))
                {
                    WriteVerbose($"{service.Host}: already {service.Status}{(service.DisabledReason == null ? "" : " (" + service.DisabledReason + ")")}; nothing to change.");
                    if (PassThru) WriteNode(service, null, planned: false);
                    continue;
                }
                if (!ShouldProcess(service.Host, Action))
                {
                    if (PassThru) WriteNode(Planned(service), null, planned: true);
                    continue;
                }
                try
                {
                    var result = Run(ct => ApplyAsync(session.Compute.Services, service, ct));
                    ComputeHosts.Update(result.Service);
                    WriteVerbose($"{service.Host}: now {result.Service.Status}{(result.Service.DisabledReason == null ? "" : " (" + result.Service.DisabledReason + ")")} [request {result.RequestId}]");
                    if (PassThru) WriteNode(result.Service, result.RequestId, planned: false);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, Operation, service.Host);
                }
            }
        }

        private void WriteNode(ComputeService service, string? requestId, bool planned)
        {
            var session = CurrentSession;
            if (_hypervisors == null)
            {
                // One listing for the whole pipeline; the figures are nice to have, the state change is what matters.
                try
                {
                    _hypervisors = Run(ct => session.Compute.Hypervisors.ListDetailAsync(ct))
                        .ToLookup(h => h.ServiceHost ?? h.HypervisorHostname, StringComparer.OrdinalIgnoreCase);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteVerbose("Could not list hypervisors for the node figures: " + e.Message);
                    _hypervisors = new Hypervisor[0].ToLookup(h => h.ServiceHost ?? h.HypervisorHostname);
                }
            }
            var node = OpenStackOps.Compute.Nodes.ComputeNode.Join(service, _hypervisors[service.Host], session.Cloud, session.Region);
            node.RequestId = requestId;
            node.Planned = planned;
            WriteObject(node);
        }
    }
}
