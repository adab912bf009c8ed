using System.Management.Automation;
using OpenStackOps.Swift;

namespace OpenStackOps.Commands.Swift
{
    /// <summary>
    /// <para type="synopsis">Shows the account, container and object rings of a ring host with their devices, and whether every node holds the same ring files.</para>
    /// <para type="description">Runs swift-ring-builder on each builder of the ring host (over SSH) and returns one object per ring: partitions, replicas, zones, balance, dispersion, min_part_hours and the time left before partitions may move again, whether the ring file is up to date with the builder, and its devices (id, region, zone, IP:port, replication IP:port, device, weight, partitions, balance, flags, meta; expand Devices). Then it reads the MD5 of /etc/swift/*.ring.gz on every node (the rings' own nodes by IP, -StorageNode, -ProxyNode) and compares it with the ring host's: Status is Consistent when every node agrees, else Differs, and Copies says which node holds what. -SkipNodes reads only the ring host.</para>
    /// <example>
    ///   <code>Get-SwiftRing -RingHost proxy01 -ProxyNode proxy01</code>
    ///   <para>The three rings, and whether the storage nodes and the proxy hold the ring host's ring files.</para>
    /// </example>
    /// <example>
    ///   <code>(Get-SwiftRing -RingHost proxy01 -SkipNodes).Devices | Format-Table</code>
    ///   <para>Every device of every ring.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SwiftRing")]
    [OutputType(typeof(SwiftRing))]
    public sealed class GetSwiftRingCommand : SwiftRingCmdlet
    {
        /// <summary><para type="description">Only the ring host's builders: no node is read.</para></summary>
        [Parameter]
        public SwitchParameter SkipNodes { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var host = OpenRingHost();
                if (SkipNodes)
                {
                    foreach (var r in Run(ct => host.DescribeAllAsync(ct))) WriteObject(r);
                    return;
                }
                var current = Run(ct => host.DescribeAllAsync(ct));
                var targets = new System.Collections.Generic.List<SwiftRingTarget>();
                foreach (var name in TargetNames(current, null))
                {
                    try { targets.AddRange(OpenTargets(new[] { name })); }
                    catch (Node.Shell.NodeCommandException e)
                    {
                        WriteWarning($"{name}: not read ({e.Message})");
                        WriteError(Infrastructure.ErrorRecords.FromException(e, "SwiftRingNode", name));
                    }
                }
                Run(ct => SwiftStorageNodeRings.CompareAsync(current, targets, ct));
                foreach (var r in current) WriteObject(r);
            }
            catch (Exception e)
            {
                WriteRingFailure(e, RingHost);
            }
        }
    }
}
