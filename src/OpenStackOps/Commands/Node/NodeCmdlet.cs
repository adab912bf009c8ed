using System;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using OpenStackOps.Sessions;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// Base of the cmdlets that work on a compute node over SSH. The connection comes from the runspace's pool:
    /// the options Connect-ComputeNode registered for the node, or the defaults (root, ~/.ssh keys, ~/.ssh/known_hosts,
    /// port 22, strict host key checking). A cloud session is used when there is one and the cmdlet needs nova.
    /// </summary>
    public abstract class NodeCmdlet : OpenStackCmdlet
    {
        /// <summary>The shell of a node, connecting on first use and reusing the connection afterwards.</summary>
        internal SshNodeShell NodeShell(string node)
        {
            var pool = NodeConnectionStore.Current;
            var options = pool.Find(node) ?? new NodeConnectionOptions { NodeName = node };
            return Run(ct => pool.GetAsync(options, Messages, ct));
        }

        /// <summary>The cloud session if there is one (-Session or Connect-OpenStack), else null: no error.</summary>
        internal OpenStackSession SessionIfAny => Session != null || SessionStore.GetDefault() != null ? CurrentSession : null;

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

        /// <summary>Writes a failure as an ErrorRecord (node failures keep their kind in the id).</summary>
        internal void Fail(Exception e, string operation, object target)
        {
            if (e is PipelineStoppedException) throw e;
            WriteFailure(e, operation, target);
        }
    }
}
