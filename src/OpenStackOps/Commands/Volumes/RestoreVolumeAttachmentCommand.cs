using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Volumes;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Volumes
{
    /// <summary>
    /// <para type="synopsis">Reattaches volumes to their servers: detach, wait until available, attach, wait until in use.</para>
    /// <para type="description">The guide's last recovery step, for servers whose volume connections still point at a dead node (after the database path and a hard reboot). Takes attachments from Get-NodeVolumeAttachment, or ServerId/VolumeId/Device from any object (saved with Export-Clixml too). The guest sees its disk go and come back: ConfirmImpact is High. Writes one result per volume; a failure after the detach says that the volume is now detached and how to attach it.</para>
    /// <example>
    ///   <code>Get-NodeVolumeAttachment c02 | Restore-VolumeAttachment -Confirm:$false</code>
    ///   <para>Reattaches every volume of the servers now on c02.</para>
    /// </example>
    /// <example>
    ///   <code>Restore-VolumeAttachment -ServerId $id -VolumeId $vol -Device /dev/vdb -WhatIf</code>
    ///   <para>Shows what would be done for one volume.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Restore, "VolumeAttachment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(VolumeReattachResult))]
    public sealed class RestoreVolumeAttachmentCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">The server the volume belongs to.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ServerId { get; set; } = null!;

        /// <summary><para type="description">The volume to reattach.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string VolumeId { get; set; } = null!;

        /// <summary><para type="description">The device name to ask for (a hint: most hypervisors choose their own).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Device { get; set; }

        /// <summary><para type="description">The server's name, for messages.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public string? ServerName { get; set; }

        /// <summary><para type="description">How long to wait for each of the two volume state changes, in seconds. Default 300.</para></summary>
        [Parameter]
        [ValidateRange(5, 86400)]
        public int TimeoutSeconds { get; set; } = 300;

        /// <summary><para type="description">With -WhatIf: write the planned result.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            var attachment = new VolumeAttachment { Cloud = session.Cloud, ServerId = ServerId, ServerName = ServerName, VolumeId = VolumeId, Device = Device };
            string target = $"volume {VolumeId} on {ServerName ?? ServerId}";
            if (!ShouldProcess(target, "Detach and attach again"))
            {
                if (PassThru) WriteObject(new VolumeReattachResult { Cloud = session.Cloud, ServerId = ServerId, ServerName = ServerName, VolumeId = VolumeId, Device = Device, Status = "Planned", Message = "would be detached and attached again" });
                return;
            }
            var reattacher = new VolumeReattacher(new VolumeAttachmentsApi(session.Compute), new VolumesApi(session.Volume))
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                OnStep = step => Messages.Progress(new ProgressRecord(1, "Restore-VolumeAttachment", $"{target}: {step}")),
            };
            VolumeReattachResult result;
            try
            {
                result = Run(ct => reattacher.ReattachAsync(attachment, ct));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteError(ErrorRecords.FromException(e, "VolumeReattach", VolumeId));
                return;
            }
            WriteObject(result);
            if (result.Status != "Reattached")
                WriteError(ErrorRecords.FromException(new VolumeReattachFailedException(result, target), "VolumeReattach", VolumeId));
        }
    }
}
