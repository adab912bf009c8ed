using OpenStackOps.Maintenance;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>A bounded wait for one server to be ACTIVE with no task (after a hard reboot, say).</summary>
    public static class ServerWait
    {
        public static async Task<Server> WaitActiveAsync(ComputeClient compute, string serverId, TimeSpan timeout, TimeSpan interval, CancellationToken ct, IWaitClock? clock = null)
        {
            // A HARD reboot is accepted before the task state shows; wait for it to pass.
            var (s, settled) = await new BoundedWait(clock, timeout, interval).UntilAsync(
                c => compute.Servers.GetAsync(serverId, c),
                x => x.Status == "ERROR" || x.Status == "ACTIVE" && string.IsNullOrEmpty(x.TaskState), ct).ConfigureAwait(false);
            if (s.Status == "ERROR")
                throw new InvalidOperationException($"Server {serverId} went to ERROR after the hard reboot (host {s.Host}).");
            if (!settled)
                throw new TimeoutException($"Server {serverId} is {s.Status}/{s.TaskState} after {timeout.TotalSeconds:0} s; it did not become ACTIVE.");
            return s;
        }
    }
}
