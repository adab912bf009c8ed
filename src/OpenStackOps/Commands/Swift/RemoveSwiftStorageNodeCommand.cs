using System.Management.Automation;
using OpenStackOps.Swift;

namespace OpenStackOps.Commands.Swift
{
    /// <summary>
    /// <para type="synopsis">Takes a Swift storage node out of the account, container and object rings, journaled, and gives every node the new ring files, checked by MD5.</para>
    /// <para type="description">The guide's "Shutting Down a Storage Node" for a node that stays down a day or more: on the ring host, every device the node has in account.builder, container.builder and object.builder is removed (swift-ring-builder remove d&lt;id&gt; [d&lt;id&gt; ...] --yes: by id, one call per builder), each builder is rebalanced, and the three ring files are copied to every storage node and proxy (through this machine over SSH, written beside the old file and renamed over it) and compared with the ring host's by MD5.</para>
    /// <para type="description">Before anything changes, it writes a JSON journal (-JournalPath; an existing file is never replaced) with each device's region, zone, IP, port, replication IP and port, device name, weight and meta, and copies the builders and ring files to backups/osops-&lt;time&gt;.* on the ring host. Restore-SwiftStorageNode -JournalPath puts the devices back with exactly those parameters.</para>
    /// <para type="description">Refused, with nothing changed: a node with no device in the rings (SwiftRingNodeNotInRing); a ring that would keep fewer devices with weight than replicas, which swift-ring-builder's rebalance refuses because every partition needs its copies on different devices (SwiftRingReplicasNotHeld); a builder with changes not yet rebalanced (SwiftRingPendingChanges). Fewer nodes or zones than replicas is allowed, as swift allows it, with a warning: some partitions then keep two copies on one node. A failure after the first change (a rebalance, a node that cannot be written) puts the previous builders and ring files back on the ring host and on every node and checks them (SwiftRingRolledBack); if that fails too, the error names the nodes and the backup files (SwiftRingInconsistent).</para>
    /// <para type="description">The node itself is not given the new ring files (it is going down); -StorageNode and -ProxyNode choose the nodes that are. -WhatIf lists each device removed from each builder with its parameters, the exact swift-ring-builder commands, and the nodes that get the files; -WhatIf -PassThru returns that plan. With -Confirm each step is asked for first, and nothing is done unless every step is accepted.</para>
    /// <example>
    ///   <code>Remove-SwiftStorageNode s03.example.com -RingHost proxy01 -ProxyNode proxy01 -JournalPath ./s03-rings.json -WhatIf</code>
    ///   <para>Shows the devices of s03 that would leave each ring, the commands, and the nodes that would get the ring files.</para>
    /// </example>
    /// <example>
    ///   <code>Remove-SwiftStorageNode 10.0.0.13 -RingHost proxy01 -ProxyNode proxy01 -JournalPath ./s03-rings.json -Confirm:$false | Format-List</code>
    ///   <para>Takes the node with ring IP 10.0.0.13 out of the rings; the result lists the devices, the rebalances and each node's ring files.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SwiftStorageNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SwiftStorageNodeResult))]
    public sealed class RemoveSwiftStorageNodeCommand : SwiftRingCmdlet
    {
        /// <summary><para type="description">The storage node: the IP its devices have in the rings, or a host name the ring host resolves to one of them.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("NodeIp", "Ip")]
        [ValidateNotNullOrEmpty]
        public string Node { get; set; } = null!;

        /// <summary><para type="description">The journal file to write on this machine (JSON). It must not exist yet.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        /// <summary><para type="description">With -WhatIf: return the plan (devices, steps, nodes, warnings).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string journal = GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                if (File.Exists(journal))
                    throw new SwiftRingException(SwiftRingError.JournalUnwritable, journal, $"The journal {journal} exists already (it may record an earlier removal): nothing was changed.") { JournalPath = journal };
                var host = OpenRingHost();
                var rings = new SwiftStorageNodeRings(host) { OnStep = Messages.Verbose };
                // The node's IP is known once planned: it is left out of the nodes that get the files.
                var plan = Run(ct => rings.PlanRemovalAsync(Node, new SwiftRingTarget[0], ct));
                var targets = OpenTargets(TargetNames(rings.LastRead!, plan.NodeIp)); // the plan read the rings
                plan.JournalPath = journal;
                if (!ConfirmEveryStep(plan, targets, PassThru, Node)) return;
                WriteObject(Run(ct => rings.RemoveAsync(plan, targets, journal, ct)));
            }
            catch (Exception e)
            {
                WriteRingFailure(e, Node);
            }
        }
    }
}
