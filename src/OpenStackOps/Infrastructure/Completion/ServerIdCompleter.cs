using System.Management.Automation;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>
    /// Completes a server id (-ServerId of Copy-InstanceDirectory, Restart-NodeServer) from the server's name or id:
    /// `web&lt;Tab&gt;` offers the ids of the servers whose name starts with web, listed as "name (id)". Same listing and
    /// cache as <see cref="ServerNameCompleter"/>'s names.
    /// </summary>
    public sealed class ServerIdCompleter : OpenStackArgumentCompleter
    {
        private const int Limit = 1000;
        private const char Separator = '\t';

        protected override async Task<IEnumerable<string>> FetchAsync(OpenStackSession session, CancellationToken ct)
            => (await session.Compute.Servers.ListNamesAsync(session.IsAdmin, Limit, ct).ConfigureAwait(false))
                .Select(s => s.Id + Separator + s.Name).ToList();

        protected override CompletionResult? ToResult(string candidate, string typed)
        {
            int tab = candidate.IndexOf(Separator);
            string id = tab < 0 ? candidate : candidate.Substring(0, tab), name = tab < 0 ? "" : candidate.Substring(tab + 1);
            if (!id.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && !name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)) return null;
            string text = string.IsNullOrEmpty(name) ? id : $"{name} ({id})";
            return new CompletionResult(id, text, CompletionResultType.ParameterValue, text);
        }
    }
}
