using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Network.Ports
{
    /// <summary>/v2.0/ports: list, show, create (one or bulk), update, delete.</summary>
    public sealed class PortsApi
    {
        private readonly NetworkClient _network;

        internal PortsApi(NetworkClient network) => _network = network;

        /// <summary>GET /v2.0/ports with the query's filters (neutron pages only when asked; one call lists all).</summary>
        public async Task<IReadOnlyList<Port>> ListAsync(PortQuery? query, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/ports" + (query ?? new PortQuery()).ToQueryString(), ct).ConfigureAwait(false);
            return (r.Body.Arr("ports") ?? new JsonArray()).Select(p => Port.FromJson(p!)).ToList();
        }

        /// <summary>GET /v2.0/ports/{id}; null on 404.</summary>
        public async Task<Port?> GetAsync(string id, CancellationToken ct)
        {
            var r = await _network.Http.GetAsync("v2.0/ports/" + Json.Escape(id), ct, null, 200, 404).ConfigureAwait(false);
            return r.StatusCode == 404 ? null : WithRequestId(Port.FromJson(r.Body?["port"]!), r);
        }

        /// <summary>POST /v2.0/ports {"port": {...}} (201).</summary>
        public async Task<Port> CreateAsync(PortCreateRequest request, CancellationToken ct)
        {
            var body = new JsonObject { ["port"] = request.ToJson() };
            var r = await _network.Http.PostAsync("v2.0/ports", body, ct, null, 201).ConfigureAwait(false);
            return WithRequestId(Port.FromJson(r.Body?["port"]!), r);
        }

        /// <summary>
        /// POST /v2.0/ports {"ports": [...]} (201): one request for many ports. When one fails none is created, but
        /// neutron (Zed) keeps the addresses it had already allocated to the ports before it with no port on them: never
        /// ask for more ports than there are surely free addresses (Restore-PortAddress sends single creates for that).
        /// </summary>
        public async Task<IReadOnlyList<Port>> CreateBulkAsync(IReadOnlyList<PortCreateRequest> requests, CancellationToken ct)
        {
            var body = new JsonObject { ["ports"] = new JsonArray(requests.Select(q => (JsonNode)q.ToJson()).ToArray()) };
            var r = await _network.Http.PostAsync("v2.0/ports", body, ct, null, 201).ConfigureAwait(false);
            return (r.Body.Arr("ports") ?? new JsonArray()).Select(p => WithRequestId(Port.FromJson(p!), r)).ToList();
        }

        /// <summary>PUT /v2.0/ports/{id} {"port": {"name": …}}.</summary>
        public Task<Port> RenameAsync(string id, string name, string? description, CancellationToken ct)
        {
            var port = new JsonObject { ["name"] = name };
            if (description != null) port["description"] = description;
            return UpdateAsync(id, port, ct);
        }

        /// <summary>
        /// The guide's detach: PUT /v2.0/ports/{id} {"port": {"device_id": "", "device_owner": "", "binding:profile": {}}}
        /// (what `openstack port set --device "" --device-owner "" --no-binding-profile` means; OSC 6.0.0 silently
        /// drops the empty --device, the API call does not).
        /// </summary>
        public Task<Port> ClearAttachmentAsync(string id, CancellationToken ct)
            => UpdateAsync(id, new JsonObject { ["device_id"] = "", ["device_owner"] = "", ["binding:profile"] = new JsonObject() }, ct);

        private async Task<Port> UpdateAsync(string id, JsonObject port, CancellationToken ct)
        {
            var r = await _network.Http.PutAsync("v2.0/ports/" + Json.Escape(id), new JsonObject { ["port"] = port }, ct).ConfigureAwait(false);
            return WithRequestId(Port.FromJson(r.Body?["port"]!), r);
        }

        /// <summary>DELETE /v2.0/ports/{id} (204). False when it was already gone (404).</summary>
        public async Task<bool> DeleteAsync(string id, CancellationToken ct)
        {
            var r = await _network.Http.DeleteAsync("v2.0/ports/" + Json.Escape(id), ct, null, 204, 404).ConfigureAwait(false);
            return r.StatusCode == 204;
        }

        [return: NotNullIfNotNull("p")]
        private static Port? WithRequestId(Port? p, ApiResponse r)
        {
            if (p != null) p.RequestId = r.RequestId;
            return p;
        }
    }
}
