using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Gets compute nodes: each nova-compute service with its hypervisor's figures.</para>
    /// <para type="description">Lists the nova-compute hosts with their zone, scheduling status (enabled/disabled and why), state (up/down), forced-down flag, last heartbeat, running VMs and vCPU/RAM/disk used and total. Names match exactly (a short name such as c01 also matches c01.example.com when no other host has that short name); wildcards match only when you type them, so compute-1 never selects compute-10.</para>
    /// <example>
    ///   <code>Get-ComputeNode</code>
    ///   <para>Lists every compute node.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode c01 | Disable-ComputeNode -Reason patching -PassThru | Get-NodeServer</code>
    ///   <para>Stops scheduling to c01 and lists the servers that still run there.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ComputeNode 'c0*' | Where-Object State -eq down</code>
    ///   <para>Finds the compute nodes whose nova-compute service nova considers down.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ComputeNode")]
    [OutputType(typeof(ComputeNode))]
    public sealed class GetComputeNodeCommand : OpenStackCmdlet
    {
        private IReadOnlyList<ComputeNode>? _nodes;

        /// <summary>
        /// <para type="description">Host names of nova-compute services. Exact (or the unique short name) unless you type wildcards. Default: all.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "HostName", "ComputeHost", "ComputeNode")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ComputeHostCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (_nodes == null)
                {
                    var session = CurrentSession;
                    _nodes = Run(ct => new ComputeNodeQuery(session.Compute, session.Cloud, session.Region).ListAsync(null, ct));
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, "NovaListComputeNodes", Name == null ? null : string.Join(",", Name)));
                return;
            }

            if (Name == null)
            {
                WriteObject(_nodes, true);
                return;
            }
            foreach (string typed in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(typed))
                {
                    var pattern = new WildcardPattern(typed, WildcardOptions.IgnoreCase);
                    WriteObject(_nodes.Where(n => pattern.IsMatch(n.Host) || pattern.IsMatch(HostNameMatcher.ShortName(n.Host))), true);
                    continue;
                }
                var hosts = ComputeHostResolver.Match(typed, _nodes.Select(n => n.Host), out ErrorRecord? error);
                if (hosts.Count == 0)
                {
                    WriteError(error);
                    continue;
                }
                WriteObject(_nodes.Where(n => hosts.Contains(n.Host)), true);
            }
        }
    }
}
