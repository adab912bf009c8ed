using System.Text.Json.Nodes;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>Power actions on POST /servers/{id}/action: os-start and reboot (SOFT or HARD). Both answer 202.</summary>
    public sealed class ServerActionsApi
    {
        private readonly ComputeClient _compute;

        internal ServerActionsApi(ComputeClient compute) => _compute = compute;

        /// <summary>Starts a SHUTOFF server: <c>{"os-start": null}</c>.</summary>
        public async Task<ServerActionResult> StartAsync(string serverId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Starting a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["os-start"] = null };
            var response = await _compute.Http.PostAsync(ActionPath(serverId), body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        /// <summary>
        /// Reboots a server: <c>{"reboot": {"type": "SOFT"|"HARD"}}</c>. HARD also works for ERROR, stopped and paused
        /// servers and makes libvirt's domain XML anew; SOFT needs an ACTIVE server with no task.
        /// </summary>
        public async Task<ServerActionResult> RebootAsync(string serverId, bool hard, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync(hard ? "Hard-rebooting a server" : "Rebooting a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["reboot"] = new JsonObject { ["type"] = hard ? "HARD" : "SOFT" } };
            var response = await _compute.Http.PostAsync(ActionPath(serverId), body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        private static string ActionPath(string serverId) => "servers/" + Json.Escape(serverId) + "/action";
    }
}
