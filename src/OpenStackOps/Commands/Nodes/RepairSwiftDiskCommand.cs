using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Swift;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Replaces a failed disk of a Swift storage node: formats the new disk whole with XFS, mounts it where the ring expects the device, and shows replication filling it.</para>
    /// <para type="description">The guide's "Replacing a Swift Disk" over SSH. First a read-only look at the node: its /etc/fstab line for DevicesPath/Device (/srv/node/d1) names how the device is mounted (LABEL=, UUID= or a device path) and must be xfs; the new disk (-DiskPath, else the device fstab names) must be a block device. A disk mounted anywhere else is refused; a disk that holds anything but an empty XFS swift device (a partition table, another file system, objects or databases) is refused unless -Force. Then, each step confirmed on its own (-WhatIf lists them with their commands): umount the mount point (whatever the failed disk left there), mkfs.xfs on the whole disk with the label or UUID the fstab line uses (-f only when the disk held a signature and that is allowed), mount the mount point as fstab says, chown it to -Owner (swift:swift). Then it checks that the mount point is the new disk (same major:minor), asks the object server's recon (GET /recon/diskusage on the bind_ip:bind_port of /etc/swift/object-server.conf, from the node) whether it sees the device mounted, and counts object files under objects/ until replication has put some there or -ReplicationTimeoutSeconds pass. A step that fails is an error naming the steps done and the state the node is left in (for instance: unmounted, disk not formatted); swift keeps serving the device's partitions from the other replicas meanwhile. The node connection is the one Connect-ComputeNode registered for the node (any SSH node, not only compute nodes), else ~/.ssh/config.</para>
    /// <example>
    ///   <code>Repair-SwiftDisk s02.example.com -Device d1 -DiskPath /dev/sdc</code>
    ///   <para>Formats the new disk /dev/sdc, mounts it on /srv/node/d1 as the node's fstab says, and waits for the first replicated objects.</para>
    /// </example>
    /// <example>
    ///   <code>Repair-SwiftDisk s02 -Device d1 -DiskPath /dev/sdc -WhatIf</code>
    ///   <para>Shows each step and its command (umount, mkfs.xfs -L ..., mount, chown) without changing anything.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "SwiftDisk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SwiftDiskReplacement))]
    public sealed class RepairSwiftDiskCommand : CancellableCmdlet
    {
        /// <summary><para type="description">The storage node, as given to Connect-ComputeNode (or a Host of ~/.ssh/config).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Node", "Host", "ComputerName")]
        [ValidateNotNullOrEmpty]
        public string StorageNode { get; set; } = null!;

        /// <summary><para type="description">The ring's device name: the directory under -DevicesPath (d1, sdb...).</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[A-Za-z0-9_.-]{1,64}$")]
        public string Device { get; set; } = null!;

        /// <summary><para type="description">The new disk, a whole block device (/dev/sdc). Default: the device the fstab line names, or the one carrying its LABEL/UUID.</para></summary>
        [Parameter]
        [ValidatePattern(@"^/dev/[A-Za-z0-9_.@:+,=/-]+$")]
        public string? DiskPath { get; set; }

        /// <summary><para type="description">Formats a disk that holds data (a partition table, another file system, or an XFS file system with objects or databases). Everything on it is lost.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary><para type="description">Swift's devices directory (/srv/node).</para></summary>
        [Parameter]
        [ValidatePattern(@"^/[A-Za-z0-9_.@:+,=/-]*$")]
        public string DevicesPath { get; set; } = "/srv/node";

        /// <summary><para type="description">Owner of the mounted device (swift:swift, the object server's user).</para></summary>
        [Parameter]
        [ValidatePattern(@"^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$")]
        public string Owner { get; set; } = "swift:swift";

        /// <summary><para type="description">The object server as host:port, when /etc/swift/object-server.conf's bind_ip/bind_port do not say it.</para></summary>
        [Parameter]
        [ValidatePattern(@"^[A-Za-z0-9.:\[\]-]+:[0-9]{1,5}$")]
        public string? ObjectServer { get; set; }

        /// <summary><para type="description">How long to wait for replication to put the first objects on the disk (120; 0 counts once).</para></summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int ReplicationTimeoutSeconds { get; set; } = 120;

        protected override void ProcessRecord()
        {
            var request = new SwiftDiskRequest
            {
                Device = Device, DiskPath = DiskPath, DevicesPath = DevicesPath, Force = Force, Owner = Owner,
                ObjectServer = ObjectServer, ReplicationTimeout = TimeSpan.FromSeconds(ReplicationTimeoutSeconds),
            };
            SwiftDiskPlan? plan = null;
            try
            {
                SwiftDiskReplacer.Validate(request);
                var shell = NodeShells.Open(this, StorageNode);
                var replacer = new SwiftDiskReplacer(shell, Messages);
                plan = Run(ct => replacer.PlanAsync(request, ct));
                foreach (var step in plan.Steps)
                {
                    if (!ShouldProcess(plan.Target, step.Action))
                    {
                        // -WhatIf shows every step; a "no" stops here, and says what state the node is in if anything ran.
                        if (WhatIfAsked()) continue;
                        if (plan.Result.Steps.Length > 0)
                        {
                            var partial = SwiftDiskReplacer.Declined(plan);
                            WriteWarning(partial.Status);
                            WriteObject(partial);
                        }
                        return;
                    }
                    Run(ct => replacer.RunStepAsync(plan, step, ct));
                }
                if (plan.Result.Steps.Length == 0 && plan.Steps.Count > 0) return; // -WhatIf
                var result = Run(ct => replacer.FinishAsync(plan, ct));
                if (result.ObjectServerSeesDevice != "Yes")
                    WriteWarning($"{result.Node}: the object server does not (yet) show {result.Device} as mounted: {result.ObjectServerEvidence}");
                if (result.Note != null) WriteWarning(result.Note);
                WriteObject(result);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NodeRepairSwiftDisk", StorageNode + ":" + Device);
            }
        }

        private bool WhatIfAsked()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given))
                return given is SwitchParameter s ? s.IsPresent : given is bool b && b;
            var pref = SessionState.PSVariable.GetValue("WhatIfPreference");
            return pref is SwitchParameter sp ? sp.IsPresent : pref is bool pb && pb;
        }
    }
}
