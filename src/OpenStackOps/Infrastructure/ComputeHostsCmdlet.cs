using System.Management.Automation;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Infrastructure
{
    /// <summary>Base of the cmdlets that read what is on compute hosts, named or piped from Get-ComputeNode (resolved through <see cref="OpenStackCmdlet.ComputeHosts"/>).</summary>
    public abstract class ComputeHostsCmdlet : OpenStackCmdlet
    {
        /// <summary><para type="description">The compute hosts (exact name, or unique short name). Binds the Host property of piped ComputeNode objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "ComputeHost")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string[] ComputeNode { get; set; } = null!;
    }
}
