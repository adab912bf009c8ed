using OpenStackOps.Maintenance;

namespace OpenStackOps.Network.Ports
{
    /// <summary>Nova's interface detach is asynchronous: waits until neutron shows the port attached to nothing.</summary>
    public static class PortDetachWait
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

        /// <summary>The port as neutron shows it once free; a TimeoutException when it is still attached after <paramref name="timeout"/>.</summary>
        public static async Task<Port> UntilFreeAsync(PortsApi ports, string portId, TimeSpan timeout, CancellationToken ct, IWaitClock? clock = null)
        {
            var (port, free) = await new BoundedWait(clock, timeout, Interval).UntilAsync(
                async c => await ports.GetAsync(portId, c).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Port {portId} disappeared during nova's detach."),
                p => string.IsNullOrEmpty(p.DeviceId), ct).ConfigureAwait(false);
            if (!free)
                throw new TimeoutException($"Nova accepted the detach of port {portId}, but after {timeout.TotalSeconds:0} s neutron still shows it attached to {port.DeviceId}. Check the server's instance actions, or run again with -Method Neutron.");
            return port;
        }
    }
}
