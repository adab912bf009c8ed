using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// Base of the node cmdlets that also ask nova (servers, the nova-compute service), so take -Session; they reach
    /// the node through <see cref="NodeShells"/>. The cmdlets that only use SSH derive from CancellableCmdlet.
    /// </summary>
    public abstract class NodeCmdlet : OpenStackCmdlet
    {
        /// <summary>The cloud session if there is one (-Session or Connect-OpenStack), else null: no error.</summary>
        internal OpenStackSession? SessionIfAny => Session != null || SessionStore.GetDefault() != null ? CurrentSession : null;

        /// <summary>A server by id or exact name (one match), through nova.</summary>
        internal Server FindServer(OpenStackSession session, string idOrName)
        {
            if (Guid.TryParse(idOrName, out _))
                return Run(ct => session.Compute.Servers.GetAsync(idOrName, ct));
            var found = Run(ct => session.Compute.Servers.FindByNameAsync(idOrName, ct));
            if (found.Count == 1) return found[0];
            throw new NodeCommandException(found.Count == 0 ? NodeErrorKind.NotFound : NodeErrorKind.InvalidArgument, null,
                found.Count == 0
                    ? $"No server is named '{idOrName}'."
                    : $"{found.Count} servers are named '{idOrName}' ({string.Join(", ", found.Select(s => s.Id))}): name it by id.");
        }
    }
}
