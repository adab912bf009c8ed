using System.Management.Automation;
using OpenStackOps.Checks;
using OpenStackOps.Identity;
using OpenStackOps.Infrastructure;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// <para type="synopsis">Finds the servers in a failed or weird state, across all projects: the guide's daily check.</para>
    /// <para type="description">Reads every server (nova's pages), the nova-compute services, the migrations that have not ended (and failed ones), and placement's allocations on each compute node, then returns one object per problem: ERROR (with nova's fault), a task_state stuck longer than -StuckAfter, a power state that disagrees with the status, a server on a down or forced-down host, a migration that never ended, a failed migration still holding resources, an allocation on another node than the server's, a server with no allocation, and allocations no server owns. Each object says what is wrong, since when, and the next step. The calls grow with nova's pages and the number of compute nodes, not with the servers. Needs an admin session. Nothing is changed.</para>
    /// <example>
    ///   <code>Find-ServerProblem</code>
    ///   <para>The daily check: every problem, with its reason and next step.</para>
    /// </example>
    /// <example>
    ///   <code>Find-ServerProblem -Kind Error, StuckTask -StuckAfter 00:30:00 | Format-List</code>
    ///   <para>Only ERROR servers and tasks unchanged for more than 30 minutes, one block per problem.</para>
    /// </example>
    /// <example>
    ///   <code>if (Find-ServerProblem) { exit 1 }</code>
    ///   <para>In a scheduled script: a non-zero exit when anything is wrong, for the monitoring that runs it.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "ServerProblem")]
    [OutputType(typeof(ServerProblem))]
    public sealed class FindServerProblemCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">How long a task_state or an open migration may stay unchanged before it counts as stuck.</para></summary>
        [Parameter]
        public TimeSpan StuckAfter { get; set; } = TimeSpan.FromHours(1);

        /// <summary><para type="description">Only these kinds of problem.</para></summary>
        [Parameter]
        [ValidateSet("Error", "StuckTask", "PowerMismatch", "OnDownHost", "OnForcedDownHost", "MigrationStuck", "MigrationHoldsResources", "AllocationElsewhere", "AllocationMissing", "OrphanAllocation")]
        public string[]? Kind { get; set; }

        /// <summary><para type="description">Do not read placement: no allocation checks (one call per compute node fewer).</para></summary>
        [Parameter]
        public SwitchParameter SkipPlacement { get; set; }

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            WarnIfNotAdmin("nova lists other projects' servers, hosts and migrations only to admins, so the check sees little.");
            Placement.PlacementClient? placement = null;
            if (!SkipPlacement)
            {
                try { placement = session.Placement; }
                catch (EndpointNotFoundException) { WriteWarning("The catalog has no placement endpoint: the allocation checks are skipped."); }
            }
            try
            {
                var finder = new ServerProblemFinder(session.Compute, placement);
                var problems = Run(ct => finder.FindAsync(StuckAfter, ct));
                foreach (var p in problems.Where(p => Kind == null || Kind.Contains(p.Kind, StringComparer.OrdinalIgnoreCase)))
                {
                    p.Cloud = session.Cloud;
                    p.Region = session.Region;
                    WriteObject(p);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NovaFindServerProblems", session.Cloud);
            }
        }
    }
}
