using System.Management.Automation;
using OpenStackOps.Swift;

namespace OpenStackOps.Commands.Swift
{
    /// <summary>
    /// <para type="synopsis">Puts a storage node back into the rings from the journal Remove-SwiftStorageNode wrote, with each device's original parameters.</para>
    /// <para type="description">The guide's "add it back to the ring with the original options": on the ring host each device of the journal is added to its builder with its region, zone, IP, port, replication IP and port, device name, weight and meta (swift-ring-builder add --region ... --meta ...), each builder is rebalanced, and the three ring files are copied to every storage node (now including this one) and proxy and compared by MD5. Devices already in their builder are not added twice. A failure puts the builders and ring files of just before back everywhere (SwiftRingRolledBack).</para>
    /// <para type="description">min_part_hours: swift moves no partition twice within min_part_hours of the last rebalance, so a node put back soon after it was taken out gets no partitions yet. Then the rebalance is held back, the ring files are unchanged, and the result's Status is HeldBack with the hours and the time from which it can be done (a warning says so); run the same command again after that time: it rebalances and distributes without adding the devices twice.</para>
    /// <example>
    ///   <code>Restore-SwiftStorageNode -JournalPath ./s03-rings.json -RingHost proxy01 -ProxyNode proxy01 -WhatIf</code>
    ///   <para>Shows the swift-ring-builder add commands with the original parameters, the rebalances and the nodes that would get the files.</para>
    /// </example>
    /// <example>
    ///   <code>Restore-SwiftStorageNode -JournalPath ./s03-rings.json -RingHost proxy01 -ProxyNode proxy01 | Select-Object Status, Message</code>
    ///   <para>Puts s03's devices back; Status is Added, or HeldBack with the time to run it again.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Restore, "SwiftStorageNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SwiftStorageNodeResult))]
    public sealed class RestoreSwiftStorageNodeCommand : SwiftRingCmdlet
    {
        /// <summary><para type="description">The journal file Remove-SwiftStorageNode wrote.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        /// <summary><para type="description">With -WhatIf: return the plan (devices, steps, nodes, warnings).</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                if (!File.Exists(path))
                    throw new SwiftRingException(SwiftRingError.JournalInvalid, path, $"The journal '{path}' does not exist.") { JournalPath = path };
                var journal = SwiftRingJournal.Read(path);
                if (!MyInvocation.BoundParameters.ContainsKey(nameof(BuilderDirectory)) && !string.IsNullOrEmpty(journal.BuilderDirectory))
                    BuilderDirectory = journal.BuilderDirectory;
                var host = OpenRingHost();
                var rings = new SwiftStorageNodeRings(host) { OnStep = Messages.Verbose };
                var plan = Run(ct => rings.PlanPutBackAsync(journal, new SwiftRingTarget[0], ct));
                var names = TargetNames(rings.LastRead!, null); // the plan read the rings
                var nodeName = NodeConnectionName(journal.NodeIp);
                if (StorageNode == null || StorageNode.Length == 0)
                    if (!names.Contains(nodeName, StringComparer.OrdinalIgnoreCase)) names.Insert(0, nodeName); // back in the ring: it needs the files too
                var targets = OpenTargets(names);
                plan.JournalPath = path;
                if (!ConfirmEveryStep(plan, targets, PassThru, journal.NodeIp)) return;
                var result = Run(ct => rings.PutBackAsync(plan, journal, path, targets, ct));
                if (result.Status == SwiftStorageNodeResult.HeldBack) WriteWarning(result.Message);
                WriteObject(result);
            }
            catch (Exception e)
            {
                WriteRingFailure(e, path);
            }
        }

        private static string NodeConnectionName(string ip) => Infrastructure.NodeConnectionStore.Current.FindByAddress(ip)?.NodeName ?? ip;
    }
}
