using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>Completes server names (every project's for admins), from nova's cheap listing of ids and names.</summary>
    public sealed class ServerNameCompleter : OpenStackArgumentCompleter
    {
        // One page; a cloud with more servers than this completes from the first page only, rather than wait.
        private const int Limit = 1000;

        protected override async Task<IEnumerable<string>> FetchAsync(OpenStackSession session, CancellationToken ct)
            => (await session.Compute.Servers.ListNamesAsync(session.IsAdmin, Limit, ct).ConfigureAwait(false)).Select(s => s.Name).OfType<string>().ToList();
    }
}
