using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Servers
{
    /// <summary>
    /// /servers/{id}/os-interface: attaching an existing port to a server and detaching it through nova, so that
    /// nova's own view of the server's interfaces (its network info cache, the guest's NICs) follows.
    /// </summary>
    public sealed class InterfacesApi
    {
        private readonly ComputeClient _compute;

        internal InterfacesApi(ComputeClient compute) => _compute = compute;

        /// <summary>
        /// POST /servers/{id}/os-interface {"interfaceAttachment": {"port_id": …}} (200). Nova binds the port to the
        /// server's host and records it as pre-existing, so a later detach or server delete keeps the port.
        /// </summary>
        public async Task<string?> AttachPortAsync(string serverId, string portId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Attaching a port to a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["interfaceAttachment"] = new JsonObject { ["port_id"] = portId } };
            var r = await _compute.Http.PostAsync(Path(serverId), body, ct, mv.ToString(), 200, 202).ConfigureAwait(false);
            return r.RequestId;
        }

        /// <summary>
        /// DELETE /servers/{id}/os-interface/{port} (202; the detach finishes asynchronously). Careful: nova keeps a
        /// port it was given (pre-existing) but DELETES a port it created itself at boot.
        /// </summary>
        public async Task<string?> DetachPortAsync(string serverId, string portId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Detaching a port from a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var r = await _compute.Http.DeleteAsync(Path(serverId) + "/" + Json.Escape(portId), ct, mv.ToString(), 202, 204).ConfigureAwait(false);
            return r.RequestId;
        }

        private static string Path(string serverId) => "servers/" + Json.Escape(serverId) + "/os-interface";
    }
}
