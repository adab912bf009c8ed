using System.Management.Automation;
using OpenStackOps.Commands.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Swift;

namespace OpenStackOps.Commands.Swift
{
    /// <summary>
    /// Base of the Swift ring cmdlets: the ring host (where the builder files are and swift-ring-builder runs) and the
    /// nodes that get the ring files, all reached over SSH as the node cmdlets reach a node (Connect-ComputeNode's
    /// options, else ~/.ssh/config, else ssh's defaults).
    /// </summary>
    public abstract class SwiftRingCmdlet : CancellableCmdlet
    {
        /// <summary><para type="description">The node that keeps the builder files (account.builder, container.builder, object.builder) and runs swift-ring-builder, as connected with Connect-ComputeNode or named in ~/.ssh/config; often the proxy.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string RingHost { get; set; } = null!;

        /// <summary><para type="description">Where the builder files are on the ring host. Default /etc/swift.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BuilderDirectory { get; set; } = SwiftRingHost.DefaultDirectory;

        /// <summary><para type="description">The storage nodes whose ring files are written or compared. Default: the nodes of the rings themselves, each IP the devices have, reached as the connection registered for that IP (Connect-ComputeNode with that name or -Address), else by the IP itself.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? StorageNode { get; set; }

        /// <summary><para type="description">The proxy nodes, which need the ring files too (they have no devices in the rings).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ProxyNode { get; set; }

        /// <summary><para type="description">Where the ring files are on the storage and proxy nodes. Default /etc/swift.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SwiftDirectory { get; set; } = SwiftRingHost.DefaultDirectory;

        internal SwiftRingHost OpenRingHost() => new SwiftRingHost(NodeShells.Open(this, RingHost), BuilderDirectory);

        /// <summary>
        /// The node names that get the ring files: -StorageNode (else the rings' IPs, less <paramref name="leaveOut"/>),
        /// then -ProxyNode. Each IP is mapped to a registered connection for it when there is one.
        /// </summary>
        internal List<string> TargetNames(IEnumerable<SwiftRing> rings, string? leaveOut)
        {
            var names = new List<string>();
            if (StorageNode != null && StorageNode.Length > 0) names.AddRange(StorageNode);
            else
            {
                var pool = NodeConnectionStore.Current;
                foreach (var ip in SwiftStorageNodeRings.RingIps(rings))
                {
                    if (leaveOut != null && string.Equals(ip, leaveOut, StringComparison.OrdinalIgnoreCase)) continue;
                    names.Add(pool.FindByAddress(ip)?.NodeName ?? ip);
                }
            }
            if (ProxyNode != null) names.AddRange(ProxyNode);
            return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Connects to each target (a node that cannot be reached fails here, before anything changes).</summary>
        internal List<SwiftRingTarget> OpenTargets(IEnumerable<string> names)
            => names.Select(n => new SwiftRingTarget(NodeShells.Open(this, n), SwiftDirectory)).ToList();

        /// <summary>
        /// Adds the copy steps to the plan, shows its warnings and asks for each step (what -WhatIf lists): true only when
        /// every step is accepted. Otherwise nothing is done: -WhatIf -PassThru returns the plan, a refusal says so.
        /// </summary>
        internal bool ConfirmEveryStep(SwiftStorageNodeResult plan, IReadOnlyList<SwiftRingTarget> targets, bool passThru, string what)
        {
            SwiftStorageNodeRings.AddCopySteps(plan, targets);
            plan.Message += $"; ring files to {targets.Count} node(s)";
            foreach (var w in plan.Warnings) WriteWarning(w);
            bool all = true;
            foreach (var step in plan.Steps)
                all &= ShouldProcess(step.Target, step.Action + (step.Command == null ? "" : ": " + step.Command));
            if (all) return true;
            if (IsWhatIf && passThru) WriteObject(plan);
            else if (!IsWhatIf) WriteWarning($"Not every step was confirmed: nothing was changed for {what}.");
            return false;
        }

        /// <summary>Writes a failure through the one error model: a ring failure by its own id, anything else as SwiftRing + outcome.</summary>
        internal void WriteRingFailure(Exception e, object target) => WriteFailure(e, "SwiftRing", target);
    }
}
