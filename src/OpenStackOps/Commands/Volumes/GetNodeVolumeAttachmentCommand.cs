using System;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Compute.Services;
using OpenStackOps.Infrastructure;
using OpenStackOps.Volumes;

namespace OpenStackOps.Commands.Volumes
{
    /// <summary>
    /// <para type="synopsis">Lists the volumes attached to the servers of compute hosts, across all projects.</para>
    /// <para type="description">The guide's "which volumes were on the failed node" step, through the APIs: the servers of each host, and nova's volume attachments of those that have volumes (one call per such server). Pipe the result into Restore-VolumeAttachment after the servers are running again elsewhere.</para>
    /// <example>
    ///   <code>Get-NodeVolumeAttachment c03</code>
    ///   <para>Every volume attached to a server on c03, with its device name.</para>
    /// </example>
    /// <example>
    ///   <code>$attachments = Get-NodeVolumeAttachment c03; Invoke-NodeEvacuation c03 -ForceDown -Fenced; $attachments | Restore-VolumeAttachment -Confirm:$false</code>
    ///   <para>Records the attachments before a recovery and reattaches each one afterwards.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NodeVolumeAttachment")]
    [OutputType(typeof(VolumeAttachment))]
    public sealed class GetNodeVolumeAttachmentCommand : OpenStackCmdlet
    {
        private ComputeHostResolver _resolver;

        /// <summary><para type="description">The compute hosts (exact name or unique short name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "ComputeHost")]
        [ValidateNotNullOrEmpty]
        public string[] HostName { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            if (_resolver == null)
                _resolver = new ComputeHostResolver(this, () => Run(ct => session.Compute.Services.ListAsync(null, "nova-compute", ct)));
            var nova = new VolumeAttachmentsApi(session.Compute);
            foreach (string typed in HostName)
            {
                ComputeService service;
                try { service = _resolver.Resolve(typed); }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteError(ErrorRecords.FromException(e, "NovaListComputeServices", typed));
                    continue;
                }
                if (service == null) continue;
                try
                {
                    var servers = Run(ct => session.Compute.Servers.ListOnHostAsync(service.Host, ct));
                    foreach (var s in servers.Where(x => x.AttachedVolumeIds.Length > 0))
                        foreach (var a in Run(ct => nova.ListAsync(s.Id, ct)))
                        {
                            a.Cloud = session.Cloud;
                            a.ServerName = s.Name;
                            a.Host = s.Host;
                            WriteObject(a);
                        }
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteError(ErrorRecords.FromException(e, "NovaListVolumeAttachments", service.Host));
                }
            }
        }
    }
}
