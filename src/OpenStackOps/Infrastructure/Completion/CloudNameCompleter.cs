using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OpenStackOps.Configuration;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>
    /// Completes the cloud names of clouds.yaml and secure.yaml, found as Connect-OpenStack finds them (-CloudsYamlPath
    /// when already typed, OS_CLIENT_CONFIG_FILE, then the standard directories). Reads the files on every Tab, no
    /// connection and no cache: they are local and small, and an edit shows at once. Only names, never a setting.
    /// </summary>
    public sealed class CloudNameCompleter : OpenStackArgumentCompleter
    {
        protected override IEnumerable<string> Candidates(IDictionary fakeBoundParameters)
            => CloudsYamlLoader.ListClouds(Search(fakeBoundParameters));

        /// <summary>Where Connect-OpenStack would look for clouds.yaml, given what is typed on the line so far.</summary>
        internal static CloudsYamlSearch Search(IDictionary? fakeBoundParameters)
        {
            var path = CurrentPath();
            var search = CloudsYamlSearch.Default(Environment.GetEnvironmentVariable, path?.CurrentFileSystemLocation.ProviderPath ?? Environment.CurrentDirectory);
            if (fakeBoundParameters?["CloudsYamlPath"] is object bound && bound.ToString() is string file && file.Length > 0)
                search.ExplicitFile = path != null ? path.GetUnresolvedProviderPathFromPSPath(file) : file;
            return search;
        }

        // The session's location ($PWD, which the process's own directory does not follow), as Connect-OpenStack resolves paths.
        private static PathIntrinsics? CurrentPath()
        {
            try { return Runspace.DefaultRunspace?.SessionStateProxy.Path; }
            catch (Exception) { return null; }
        }
    }
}
