using System.Management.Automation;
using OpenStackOps.Node.Services;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>What the cmdlets about a node's nova-compute service share beyond the node: how its init system is found.</summary>
    public abstract class NodeServiceCmdlet : OneNodeCmdlet
    {
        /// <summary><para type="description">Systemd (systemctl), SysV (`service`, also upstart jobs) or Auto (find out on the node; the default).</para></summary>
        [Parameter]
        [ValidateSet("Auto", "Systemd", "SysV")]
        public string InitSystem { get; set; } = "Auto";

        // A string, not the engine's enum: a value-type field of an engine type would make PowerShell load the
        // engine before the module initializer has set up its load context.
        internal InitSystem Init => (InitSystem)System.Enum.Parse(typeof(InitSystem), InitSystem, true);
    }
}
