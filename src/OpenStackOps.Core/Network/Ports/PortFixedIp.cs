namespace OpenStackOps.Network.Ports
{
    /// <summary>One entry of a port's fixed_ips: the subnet and the address neutron gave it there.</summary>
    public sealed class PortFixedIp
    {
        public PortFixedIp(string subnetId, string ipAddress)
        {
            SubnetId = subnetId;
            IpAddress = ipAddress;
        }

        public string SubnetId { get; }
        public string IpAddress { get; }

        public override string ToString() => IpAddress;
    }
}
