using System.Text.Json.Nodes;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>POST /servers/{id}/action evacuate, per microversion (the power actions after it are <see cref="Compute.Servers.ServerActionsApi"/>).</summary>
    public sealed class EvacuationApi
    {
        /// <summary>From 2.14 nova detects shared storage itself and the body loses onSharedStorage.</summary>
        internal static readonly Microversion AutoSharedStorage = ComputeClient.V(14);
        /// <summary>From 2.95 an evacuated server is left stopped on the destination.</summary>
        internal static readonly Microversion LeavesStopped = ComputeClient.V(95);
        private readonly ComputeClient _compute;

        public EvacuationApi(ComputeClient compute) => _compute = compute;

        internal static JsonObject Body(Microversion mv, string? host, bool onSharedStorage)
        {
            var inner = new JsonObject();
            if (host != null) inner["host"] = host;
            // Before 2.14 the field is required; nova's samples send it as a string.
            if (mv < AutoSharedStorage) inner["onSharedStorage"] = onSharedStorage ? "True" : "False";
            return new JsonObject { ["evacuate"] = inner };
        }

        public async Task<ServerActionResult> EvacuateAsync(string serverId, string? host, bool onSharedStorage, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Evacuating a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.PostAsync(ActionPath(serverId), Body(mv, host, onSharedStorage), ct, mv.ToString(), 200, 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        private static string ActionPath(string serverId) => "servers/" + Json.Escape(serverId) + "/action";
    }
}
