using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>Hard reboot (regenerates the domain XML on the server's host) and a bounded wait for ACTIVE.</summary>
    public static class ServerRebootApi
    {
        /// <summary>POST /servers/{id}/action {"reboot":{"type":"HARD"}} (202).</summary>
        public static async Task<ServerActionResult> HardRebootAsync(ComputeClient compute, string serverId, CancellationToken ct)
        {
            var mv = await compute.ChooseAsync("Rebooting a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["reboot"] = new JsonObject { ["type"] = "HARD" } };
            var response = await compute.Http.PostAsync("servers/" + Json.Escape(serverId) + "/action", body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        /// <summary>Polls GET /servers/{id} until ACTIVE (returns it), ERROR (throws) or the timeout (throws TimeoutException).</summary>
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
