using OpenStackOps.Http;
using OpenStackOps.Network.Networks;
using OpenStackOps.Network.Ports;

namespace OpenStackOps.Network
{
    /// <summary>Neutron (network API v2.0, no microversions): one typed API per resource.</summary>
    public sealed class NetworkClient
    {
        public NetworkClient(ServiceClient http)
        {
            Http = http;
            Ports = new PortsApi(this);
            Networks = new NetworksApi(this);
        }

        public ServiceClient Http { get; }
        public PortsApi Ports { get; }
        /// <summary>Networks, subnets, IP availability and quota headroom.</summary>
        public NetworksApi Networks { get; }
    }
}
