using System.Management.Automation;
using OpenStackOps.Compute.Services;
using OpenStackOps.Infrastructure;
using OpenStackOps.Volumes;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Volumes
{
    /// <summary>
    /// <para type="synopsis">Lists the volumes attached to the servers of compute hosts, across all projects.</para>
    /// <para type="description">The guide's "which volumes were on the failed node" step, through the APIs: the servers of each host, and nova's volume attachments of those that have volumes (one call per such server). Pipe the result into Restore-VolumeAttachment after the servers are running again elsewhere.</para>
    /// <para type="description">With -DatabaseServer and -DatabaseCredential, the guide's SQL join of cinder's attachments and nova.instances instead (read only), for when the APIs cannot answer. The guide joins cinder.volumes.instance_uuid, which cinder no longer has; this joins cinder.volume_attachment.</para>
    /// <example>
    ///   <code>Get-NodeVolumeAttachment c03</code>
    ///   <para>Every volume attached to a server on c03, with its device name.</para>
    /// </example>
    /// <example>
    ///   <code>$attachments = Get-NodeVolumeAttachment c03; Invoke-NodeEvacuation c03 -ForceDown -Fenced; $attachments | Restore-VolumeAttachment -Confirm:$false</code>
    ///   <para>Records the attachments before a recovery and reattaches each one afterwards.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeVolumeAttachment c03 -DatabaseServer db1 -DatabaseCredential (Get-Credential nova)</code>
    ///   <para>The same list from the databases, when nova-api cannot be used.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NodeVolumeAttachment", DefaultParameterSetName = "Api")]
    [OutputType(typeof(VolumeAttachment))]
    public sealed class GetNodeVolumeAttachmentCommand : ComputeHostsCmdlet
    {
        /// <summary><para type="description">Read the attachments from this MySQL/MariaDB server instead of the APIs.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = "Database")]
        [ValidateNotNullOrEmpty]
        public string DatabaseServer { get; set; } = null!;

        /// <summary><para type="description">The database server's port. Default 3306.</para></summary>
        [Parameter(ParameterSetName = "Database")]
        [ValidateRange(1, 65535)]
        public int DatabasePort { get; set; } = 3306;

        /// <summary><para type="description">A database user that can read nova.instances and cinder's volume tables.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = "Database")]
        public PSCredential DatabaseCredential { get; set; } = null!;

        /// <summary><para type="description">The cinder schema's name. Default cinder.</para></summary>
        [Parameter(ParameterSetName = "Database")]
        public string CinderDatabase { get; set; } = "cinder";

        /// <summary><para type="description">The nova schema's name. Default nova.</para></summary>
        [Parameter(ParameterSetName = "Database")]
        public string NovaDatabase { get; set; } = "nova";

        protected override void ProcessRecord()
        {
            if (ParameterSetName == "Database")
            {
                FromDatabase();
                return;
            }
            var session = CurrentSession;
            var nova = new VolumeAttachmentsApi(session.Compute);
            foreach (string typed in ComputeNode)
            {
                ComputeService? service;
                try { service = ComputeHosts.Resolve(typed); }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteError(ErrorRecords.FromException(e, "NovaListComputeServices", typed));
                    continue;
                }
                if (service == null) continue;
                try
                {
                    var servers = Run(ct => session.Compute.Servers.ListOnHostAsync(service.Host, ct));
                    foreach (var s in servers.Where(x => x.AttachedVolumeIds.Count > 0))
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

        private void FromDatabase()
        {
            OpenStackOps.Database.DatabaseTarget target;
            try
            {
                target = OpenStackOps.Database.DatabaseTarget.FromCredential(DatabaseServer, DatabasePort, DatabaseCredential.UserName,
                    DatabaseCredential.GetNetworkCredential().Password, NovaDatabase);
                OpenStackOps.Database.DatabaseTarget.Quote(CinderDatabase);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(ErrorRecords.Make(e.Message, "DatabaseTargetInvalid", ErrorCategory.InvalidArgument, DatabaseServer));
                return;
            }
            foreach (string host in ComputeNode)
            {
                try
                {
                    foreach (var a in Run(ct => OpenStackOps.Database.VolumeAttachmentQuery.ByHostAsync(target, CinderDatabase, host, ct)))
                        WriteObject(a);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    // MySqlConnector's messages name user and server, never the password.
                    WriteError(ErrorRecords.Make($"Could not read the volume attachments of {host} from {target.Display}: {e.Message}",
                        "DatabaseVolumeAttachmentQueryFailed", ErrorCategory.ReadError, host));
                }
            }
        }
    }
}
