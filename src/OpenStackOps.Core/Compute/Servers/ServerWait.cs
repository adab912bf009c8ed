using System;
using System.Threading;
using System.Threading.Tasks;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>A bounded wait for one server to be ACTIVE with no task (after a hard reboot, say).</summary>
    public static class ServerWait
    {
        public static async Task<Server> WaitActiveAsync(ComputeClient compute, string serverId, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            // A HARD reboot is accepted before the task state shows; wait for it to pass.
            while (true)
            {
                var s = await compute.Servers.GetAsync(serverId, ct).ConfigureAwait(false);
                if (s.Status == "ACTIVE" && string.IsNullOrEmpty(s.TaskState)) return s;
                if (s.Status == "ERROR")
                    throw new InvalidOperationException($"Server {serverId} went to ERROR after the hard reboot (host {s.Host}).");
                if (DateTimeOffset.UtcNow >= deadline)
                    throw new TimeoutException($"Server {serverId} is {s.Status}/{s.TaskState} after {timeout.TotalSeconds:0} s; it did not become ACTIVE.");
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
        }
    }
}
