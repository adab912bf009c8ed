using System.Management.Automation;
using OpenStackOps.Commands.Compute;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network;
using OpenStackOps.Network.Ports;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// <para type="synopsis">Gets neutron ports by address, network, server, name or id.</para>
    /// <para type="description">Finds the ports that match every filter given: the port that holds an IPv4 or IPv6 address (the guide's `openstack port list | grep -B1 ADDRESS`, done by neutron's own fixed_ips filter), the ports of a network, of a server (piped from Get-NodeServer, or by id or name), or with an exact name. Each port shows its addresses, what it is attached to and where it is bound. Admins see every project's ports, others their own.</para>
    /// <example>
    ///   <code>Get-NetworkPort -IPAddress 203.0.113.20</code>
    ///   <para>Which port holds 203.0.113.20, and which server it is attached to.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c01 | Get-NetworkPort</code>
    ///   <para>The ports of every server on c01.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NetworkPort")]
    [OutputType(typeof(Port))]
    public sealed class GetNetworkPortCommand : NetworkCmdlet
    {
        private readonly Dictionary<string, string?> _networkNames = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        /// <summary><para type="description">An address the port holds (IPv4 or IPv6, exact).</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Address")]
        [ValidateNotNullOrEmpty]
        public string? IPAddress { get; set; }

        /// <summary><para type="description">The network (id or exact name).</para></summary>
        [Parameter]
        [Alias("NetworkId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string? Network { get; set; }

        /// <summary><para type="description">The servers whose ports to list: Server objects from Get-NodeServer, ids or exact names.</para></summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("ServerId")]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public ServerTarget[]? Server { get; set; }

        /// <summary><para type="description">The port's exact name.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary><para type="description">The port's id.</para></summary>
        [Parameter]
        [Alias("PortId")]
        [ValidateNotNullOrEmpty]
        public string? Id { get; set; }

        protected override void ProcessRecord()
        {
            var neutron = CurrentSession.Neutron;
            string? address = null;
            if (IPAddress != null)
            {
                if (!IpAddressText.TryParseStrict(IPAddress, out var parsed))
                {
                    WriteError(ErrorRecords.Make($"'{IPAddress}' is not an IPv4 or IPv6 address.", "InvalidIPAddress", ErrorCategory.InvalidArgument, IPAddress));
                    return;
                }
                address = IpAddressText.Canonical(parsed);
            }
            string? networkId = Network == null ? null : ResolveNetwork(Network).Id;
            var deviceIds = new List<string>();
            var servers = new Dictionary<string, OpenStackOps.Compute.Servers.Server>(StringComparer.OrdinalIgnoreCase);
            if (Server != null)
                foreach (var target in Server)
                {
                    var server = ResolveServerOrReport(target);
                    if (server == null) continue;
                    deviceIds.Add(server.Id);
                    servers[server.Id] = server;
                }
            if (Server != null && deviceIds.Count == 0) return;

            try
            {
                var found = new List<Port>();
                foreach (string? device in deviceIds.DefaultIfEmpty(null))
                {
                    if (Id != null)
                    {
                        var one = Run(ct => neutron.Ports.GetAsync(Id, ct));
                        if (one != null) found.Add(one);
                    }
                    else
                        found.AddRange(Run(ct => neutron.Ports.ListAsync(new PortQuery { NetworkId = networkId, DeviceId = device, Name = Name, IpAddress = address }, ct)));
                }
                var seen = new HashSet<string>();
                foreach (var p in found.Where(p => (networkId == null || p.NetworkId == networkId) && (Name == null || p.Name == Name)
                                                   && (address == null || p.HasAddress(address))
                                                   && (deviceIds.Count == 0 || (p.DeviceId != null && deviceIds.Contains(p.DeviceId))) && seen.Add(p.Id)))
                {
                    p.NetworkName = NetworkName(p.NetworkId);
                    // The servers asked for are known already: their names cost no call.
                    if (p.DeviceId != null && servers.TryGetValue(p.DeviceId, out var owner)) Named(p, owner);
                    WriteObject(Stamp(p));
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NeutronListPorts", IPAddress ?? Name ?? Id ?? Network);
            }
        }

        private string? NetworkName(string? id)
        {
            if (id == null) return null;
            if (_networkNames.TryGetValue(id, out var name)) return name;
            try
            {
                var neutron = CurrentSession.Neutron;
                name = Run(ct => neutron.Networks.GetAsync(id, ct))?.Name;
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteVerbose($"Could not read network {id}: {e.Message}");
            }
            return _networkNames[id] = name;
        }
    }
}
