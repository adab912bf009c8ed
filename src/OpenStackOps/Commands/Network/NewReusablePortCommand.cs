using System.Management.Automation;
using OpenStackOps.Http;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network;
using OpenStackOps.Network.Ports;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// <para type="synopsis">Creates a port that carries a public address and can be moved between servers.</para>
    /// <para type="description">On a provider network without floating IPs, the port holds the server's public IPv4/IPv6 address: create it once, boot or attach servers with it (Connect-NetworkPort), and move it to a new server when the old one goes (Disconnect-NetworkPort). Name it after the FQDN the address will answer to (-Fqdn), as the Operations Guide recommends, so that the port is easy to find again. With -IPAddress it asks neutron for that exact address, which neutron's policy allows to admins and members of the project that owns the network.</para>
    /// <example>
    ///   <code>New-ReusablePort -Network public -Fqdn web01.sys.example.com</code>
    ///   <para>Creates a port named web01.sys.example.com on the network public, with an address neutron chooses.</para>
    /// </example>
    /// <example>
    ///   <code>New-ReusablePort -Network public -Name port1 -IPAddress 203.0.113.40 -WhatIf</code>
    ///   <para>Shows the port that would be created with that exact address, creating nothing.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ReusablePort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByName)]
    [OutputType(typeof(Port))]
    public sealed class NewReusablePortCommand : NetworkCmdlet
    {
        private const string ByName = "Name";
        private const string ByFqdn = "Fqdn";

        /// <summary><para type="description">The network (id or exact name), e.g. the provider network that carries public addresses.</para></summary>
        [Parameter(Mandatory = true)]
        [Alias("NetworkId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string Network { get; set; } = null!;

        /// <summary><para type="description">The port's name.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = null!;

        /// <summary><para type="description">The fully qualified domain name the address will have; the port is named after it.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByFqdn)]
        [ValidatePattern(@"^(?=.{1,253}\.?$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$")]
        public string Fqdn { get; set; } = null!;

        /// <summary><para type="description">An exact address to ask for (admins, or members of the network's project). Default: neutron chooses.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? IPAddress { get; set; }

        /// <summary><para type="description">A description stored on the port.</para></summary>
        [Parameter]
        public string? Description { get; set; }

        protected override void ProcessRecord()
        {
            var neutron = CurrentSession.Neutron;
            string name = ParameterSetName == ByFqdn ? Fqdn.TrimEnd('.') : Name;
            System.Net.IPAddress? address = null;
            if (IPAddress != null && !IpAddressText.TryParseStrict(IPAddress, out address))
            {
                WriteError(ErrorRecords.Make($"'{IPAddress}' is not an IPv4 or IPv6 address.", "InvalidIPAddress", ErrorCategory.InvalidArgument, IPAddress));
                return;
            }
            var network = ResolveNetwork(Network);
            var request = new PortCreateRequest(network.Id, name) { Description = Description };
            if (address != null)
            {
                var subnets = Run(ct => neutron.Networks.ListSubnetsAsync(network.Id, ct));
                var subnet = subnets.FirstOrDefault(s => s.Contains(address));
                if (subnet == null)
                {
                    WriteError(ErrorRecords.Make($"{IPAddress} is outside every subnet of network {network} ({string.Join(", ", subnets.Select(s => s.Cidr))}).",
                        "AddressNotInNetwork", ErrorCategory.InvalidArgument, IPAddress));
                    return;
                }
                request.SubnetId = subnet.Id;
                request.IpAddress = IpAddressText.Canonical(address);
            }
            string action = $"Create port '{name}'" + (request.IpAddress == null ? "" : $" with address {request.IpAddress}");
            if (!ShouldProcess($"network {network} ({network.Id})", action)) return;
            try
            {
                // A create whose answer is lost (503, reset, 429) is looked up before it is sent again: never two ports.
                var port = Run(ct => new PortCreateSubmitter(neutron.Ports, Messages).CreateAsync(request, ct));
                port.NetworkName = network.Name;
                WriteVerbose($"Created port {port.Id} '{port.Name}' with {string.Join(", ", port.IpAddresses)} [request {port.RequestId}]");
                WriteObject(Stamp(port));
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Conflict && e.FaultName == "IpAddressInUse")
            {
                WriteError(ErrorRecords.Make(e, "PortAddressInUse", ErrorCategory.ResourceExists, IPAddress));
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Forbidden && request.IpAddress != null)
            {
                e.RecommendedAction = "Restore-PortAddress gets a specific address without that right (by a sweep).";
                WriteError(ErrorRecords.Make(e, "PortAddressRequestForbidden", ErrorCategory.PermissionDenied, IPAddress));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NeutronCreatePort", name);
            }
        }
    }
}
