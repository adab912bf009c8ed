using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Volumes
{
    /// <summary>Cinder's view of a volume: its status and which servers it is attached to.</summary>
    public sealed class VolumeState
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        public string Status { get; set; } = null!;
        public string[] AttachedServerIds { get; set; } = new string[0];
    }

    /// <summary>GET /v3/{project}/volumes/{id} (the catalog's volumev3 endpoint already names the project).</summary>
    public sealed class VolumesApi
    {
        private readonly ServiceClient _cinder;

        public VolumesApi(ServiceClient cinder) => _cinder = cinder;

        public async Task<VolumeState> GetAsync(string volumeId, CancellationToken ct)
        {
            var response = await _cinder.GetAsync("volumes/" + Json.Escape(volumeId), ct).ConfigureAwait(false);
            var v = response.Body?["volume"];
            return new VolumeState
            {
                Id = v.Str("id")!,
                Name = v.Str("name"),
                Status = v.Str("status")!,
                AttachedServerIds = (v.Arr("attachments") ?? new JsonArray()).Select(a => a.Str("server_id")).OfType<string>().ToArray(),
            };
        }
    }
}
