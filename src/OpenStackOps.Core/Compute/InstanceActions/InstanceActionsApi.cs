using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.InstanceActions
{
    /// <summary>
    /// os-instance-actions: nova's journal of what happened to a server per API request. The place where an
    /// asynchronous failure (a live migration refused by the scheduler after the 202, a rollback) is explained.
    /// </summary>
    public sealed class InstanceActionsApi
    {
        private readonly ComputeClient _compute;

        internal InstanceActionsApi(ComputeClient compute) => _compute = compute;

        /// <summary>GET /servers/{id}/os-instance-actions: every action recorded for the server, newest first, without events.</summary>
        public async Task<IReadOnlyList<InstanceAction>> ListAsync(string serverId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Listing a server's instance actions", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.GetAsync("servers/" + Json.Escape(serverId) + "/os-instance-actions", ct, mv.ToString()).ConfigureAwait(false);
            return (response.Body.Arr("instanceActions") ?? new JsonArray()).Select(a => InstanceAction.FromJson(a!)).ToList();
        }

        /// <summary>
        /// GET /servers/{id}/os-instance-actions/{request_id}, with its events. Asked at the newest microversion
        /// understood, so the events carry details (2.84) and host (2.62) where the cloud has them.
        /// </summary>
        public async Task<InstanceAction> GetAsync(string serverId, string requestId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Showing a server's instance action", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var path = "servers/" + Json.Escape(serverId) + "/os-instance-actions/" + Json.Escape(requestId);
            var response = await _compute.Http.GetAsync(path, ct, mv.ToString()).ConfigureAwait(false);
            return InstanceAction.FromJson(response.Body?["instanceAction"]!);
        }
    }
}
