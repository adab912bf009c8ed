using System.Management.Automation;
using OpenStackOps.Identity;
using OpenStackOps.Infrastructure;
using OpenStackOps.Usage;

namespace OpenStackOps.Commands.Usage
{
    /// <summary>
    /// <para type="synopsis">Gets each project's quota limits and use in nova, cinder and neutron: the weekly report's user quotas.</para>
    /// <para type="description">Lists the projects from keystone, then reads each project's quotas with their use from nova (os-quota-sets detail), cinder (os-quota-sets with usage) and neutron (quota details): one object per project, service and quota, with Limit (-1 unlimited), InUse, Reserved, Free and UsedPercent, flat for Export-Csv and ConvertTo-Json. Calls: one listing plus one per project and service, however many servers, volumes or ports there are. A service missing from the catalog is skipped with a warning; a project a service refuses to show is an error for that project, and the others are still reported. Needs an admin session. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-ProjectQuotaUsage | Where-Object UsedPercent -ge 80</code>
    ///   <para>The quotas that are nearly used up, in every project.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ProjectQuotaUsage -Project demo -Service compute</code>
    ///   <para>One project's nova quotas: cores, ram, instances...</para>
    /// </example>
    /// <example>
    ///   <code>Get-ProjectQuotaUsage | Export-Csv ./quotas-$(Get-Date -Format yyyy-MM-dd).csv</code>
    ///   <para>The weekly usage report's quota part.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProjectQuotaUsage")]
    [OutputType(typeof(ProjectQuotaUsage))]
    public sealed class GetProjectQuotaUsageCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">Projects by name or id (wildcards allowed). Default: every project keystone lists.</para></summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Project { get; set; }

        /// <summary><para type="description">Only these services' quotas: compute (nova), volume (cinder), network (neutron). Default: all three.</para></summary>
        [Parameter]
        [ValidateSet("compute", "volume", "network")]
        public string[]? Service { get; set; }

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            WarnIfNotAdmin("keystone lists, and the services show quotas of, other projects only to admins.");
            try
            {
                var identity = session.NewServiceClientOrNull("identity") ?? throw new EndpointNotFoundException("identity", session.Interface, session.Region, "The catalog has no identity endpoint to list the projects from.");
                var query = new ProjectQuotaQuery(identity, session.Compute, Optional(session, "volumev3", "volume"), Optional(session, "network", "network"));
                var projects = Run(ct => query.ListProjectsAsync(ct));
                if (query.ProjectsTruncated)
                    WriteWarning("keystone cut its project listing short (its list_limit): the projects beyond it are missing from this report.");
                if (Project != null)
                {
                    var patterns = Project.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
                    var chosen = projects.Where(p => patterns.Any(w => w.IsMatch(p.Name ?? "") || w.IsMatch(p.Id ?? ""))).ToList();
                    foreach (var typed in Project.Where(t => !WildcardPattern.ContainsWildcardCharacters(t) && !chosen.Any(p => string.Equals(p.Name, t, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Id, t, StringComparison.OrdinalIgnoreCase))))
                        WriteError(ErrorRecords.Make($"keystone lists no project named or with id '{typed}'. Get-ProjectQuotaUsage without -Project reports them all.",
                            "ProjectNotFound", ErrorCategory.ObjectNotFound, typed));
                    projects = chosen;
                }
                foreach (var row in Run(ct => query.ListAsync(projects, Service, ct)))
                {
                    row.Cloud = session.Cloud;
                    row.Region = session.Region;
                    WriteObject(row);
                }
                foreach (var failure in query.Failures)
                    WriteFailure(failure.Error, "QuotaListProjectUsage", failure.ProjectName ?? failure.ProjectId);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "QuotaListProjectUsage", session.Cloud);
            }
        }

        private Http.ServiceClient? Optional(OpenStackOps.Sessions.OpenStackSession session, string serviceType, string service)
        {
            if (Service != null && !Service.Contains(service, StringComparer.OrdinalIgnoreCase)) return null;
            var client = session.NewServiceClientOrNull(serviceType);
            if (client == null) WriteWarning($"The catalog has no {serviceType} endpoint: no {service} quotas in this report.");
            return client;
        }
    }
}
