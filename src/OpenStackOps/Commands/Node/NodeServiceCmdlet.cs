using System.Management.Automation;
using OpenStackOps.Node.Services;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>What the cmdlets about a node's nova-compute service share: which node, and how its init system is found.</summary>
    public abstract class NodeServiceCmdlet : NodeCmdlet
    {
        /// <summary><para type="description">The compute node (as given to Connect-ComputeNode, or nova's host name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "Node")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string ComputeNode { get; set; }

        /// <summary><para type="description">Systemd (systemctl), SysV (`service`, also upstart jobs) or Auto (find out on the node; the default).</para></summary>
        [Parameter]
        [ValidateSet("Auto", "Systemd", "SysV")]
        public string InitSystem { get; set; } = "Auto";

        // A string, not the engine's enum: a value-type field of an engine type would make PowerShell load the
        // engine before the module initializer has set up its load context.
        internal InitSystem Init => (InitSystem)System.Enum.Parse(typeof(InitSystem), InitSystem, true);
    }
}
