using System.Collections;
using OpenStackOps.Configuration;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>
    /// Completes Connect-OpenStack -Region from clouds.yaml and secure.yaml: the region_name or regions: list of the
    /// cloud typed as -Cloud (or OS_CLOUD), else of every cloud. Files found as <see cref="CloudNameCompleter"/> finds
    /// them; no connection, no cache.
    /// </summary>
    public sealed class RegionCompleter : OpenStackArgumentCompleter
    {
        protected override IEnumerable<string> Candidates(IDictionary fakeBoundParameters)
        {
            string? cloud = fakeBoundParameters?["Cloud"]?.ToString();
            if (string.IsNullOrEmpty(cloud)) cloud = Environment.GetEnvironmentVariable("OS_CLOUD");
            return CloudsYamlLoader.ListRegions(CloudNameCompleter.Search(fakeBoundParameters), (string.IsNullOrEmpty(cloud) ? null : cloud));
        }
    }
}
