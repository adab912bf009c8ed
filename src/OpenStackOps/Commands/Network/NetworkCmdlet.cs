using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using OpenStackOps.Commands.Compute;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network.Networks;
using OpenStackOps.Network.Ports;
using OpenStackOps.Network.Recovery;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// What the port cmdlets share: resolving networks, ports and servers by id or name.
    /// </summary>
    public abstract class NetworkCmdlet : OpenStackCmdlet
    {
        internal NeutronNetwork ResolveNetwork(string typed)
        {
            var neutron = CurrentSession.Neutron;
            NeutronNetwork? net = null;
            System.Collections.Generic.IReadOnlyList<NeutronNetwork> named;
            try
            {
                if (Guid.TryParse(typed, out _)) net = Run(ct => neutron.Networks.GetAsync(typed, ct));
                if (net != null) return net;
                named = Run(ct => neutron.Networks.FindByNameAsync(typed, ct));
            }
            catch (OpenStackOps.Http.OpenStackApiException e)
            {
                // A network that cannot be read (503s, resets past the retries) ends with the one error model's id.
                ThrowTerminatingError(ErrorRecords.FromException(e, "NeutronReadNetwork", typed));
                return null!; // not reached: ThrowTerminatingError throws
            }
            if (named.Count == 1) return named[0];
            ThrowTerminatingError(ErrorRecords.Make(named.Count == 0
                    ? $"No network '{typed}' is visible to project {CurrentSession.ProjectName}."
                    : $"{named.Count} networks are named '{typed}' ({string.Join(", ", named.Select(n => n.Id))}); give the id.",
                named.Count == 0 ? "NetworkNotFound" : "NetworkNameAmbiguous",
                named.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, typed));
            return null!; // not reached: ThrowTerminatingError throws
        }

        /// <summary>The port, read fresh from neutron; null (with an error written) when it cannot be named uniquely.</summary>
        internal Port? ResolvePort(PortTarget target)
        {
            var neutron = CurrentSession.Neutron;
            if (target.IsId)
            {
                var byId = Run(ct => neutron.Ports.GetAsync(target.Text, ct));
                if (byId != null) return byId;
            }
            var named = Run(ct => neutron.Ports.ListAsync(new PortQuery { Name = target.Text }, ct));
            if (named.Count == 1) return named[0];
            WriteError(ErrorRecords.Make(named.Count == 0
                    ? $"No port '{target.Text}' is visible to project {CurrentSession.ProjectName}."
                    : $"{named.Count} ports are named '{target.Text}' ({string.Join(", ", named.Select(p => p.Id))}); give the id.",
                named.Count == 0 ? "PortNotFound" : "PortNameAmbiguous",
                named.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, target.Text));
            return null;
        }

        /// <summary>The server: as the base resolves it, with an id nova does not know written as ServerNotFound.</summary>
        internal Server? ResolveServerOrReport(ServerTarget target)
        {
            try
            {
                return ResolveServer(target);
            }
            catch (OpenStackOps.Http.OpenStackApiException e) when (e.Kind == OpenStackOps.Http.ApiErrorKind.NotFound && target.IsId)
            {
                WriteError(ErrorRecords.Make($"No server {target.Text}.", "ServerNotFound", ErrorCategory.ObjectNotFound, target.Text));
                return null;
            }
        }

        [return: NotNullIfNotNull("p")]
        internal Port? Stamp(Port? p)
        {
            if (p == null) return null;
            p.Cloud = CurrentSession.Cloud;
            p.Region = CurrentSession.Region;
            return p;
        }

        /// <summary>The port with the name of <paramref name="server"/>, when it is that server's port.</summary>
        [return: NotNullIfNotNull("p")]
        internal static Port? Named(Port? p, Server? server)
        {
            if (p != null && server != null && p.DeviceId == server.Id) p.ServerName = server.Name;
            return p;
        }
    }
}
