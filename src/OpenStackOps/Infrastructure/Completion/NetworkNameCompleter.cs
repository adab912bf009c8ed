using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>Completes the names of the networks the session sees (the id of a network without a name).</summary>
    public sealed class NetworkNameCompleter : OpenStackArgumentCompleter
    {
        protected override async Task<IEnumerable<string>> FetchAsync(OpenStackSession session, CancellationToken ct)
            => (await session.Neutron.Networks.ListNamesAsync(ct).ConfigureAwait(false)).Select(n => n.ToString()).ToList();
    }
}
