using System.Text.Json.Nodes;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Volumes
{
    /// <summary>Nova's side of volumes: GET/POST/DELETE /servers/{id}/os-volume_attachments.</summary>
    public sealed class VolumeAttachmentsApi
    {
        private readonly ComputeClient _compute;

        public VolumeAttachmentsApi(ComputeClient compute) => _compute = compute;

        public async Task<IReadOnlyList<VolumeAttachment>> ListAsync(string serverId, CancellationToken ct)
        {
            var mv = await Choose(ct).ConfigureAwait(false);
            var response = await _compute.Http.GetAsync(Path(serverId), ct, mv.ToString()).ConfigureAwait(false);
            return (response.Body.Arr("volumeAttachments") ?? new JsonArray()).Select(a => new VolumeAttachment
            {
                ServerId = a.Str("serverId") ?? serverId,
                VolumeId = a.Str("volumeId")!,
                Device = a.Str("device"),
                AttachmentId = a.Str("attachment_id"),
            }).ToList();
        }

        /// <summary>Asks nova to detach; nova answers 202 and cinder's volume goes detaching → available.</summary>
        public async Task<string?> DetachAsync(string serverId, string volumeId, CancellationToken ct)
        {
            var mv = await Choose(ct).ConfigureAwait(false);
            var response = await _compute.Http.DeleteAsync(Path(serverId) + "/" + Json.Escape(volumeId), ct, mv.ToString(), 202).ConfigureAwait(false);
            return response.RequestId;
        }

        /// <summary>Asks nova to attach; <paramref name="device"/> is a hint most hypervisors ignore.</summary>
        public async Task<string?> AttachAsync(string serverId, string volumeId, string? device, CancellationToken ct)
        {
            var mv = await Choose(ct).ConfigureAwait(false);
            var inner = new JsonObject { ["volumeId"] = volumeId };
            if (!string.IsNullOrEmpty(device)) inner["device"] = device;
            var response = await _compute.Http.PostAsync(Path(serverId), new JsonObject { ["volumeAttachment"] = inner }, ct, mv.ToString(), 200).ConfigureAwait(false);
            return response.RequestId;
        }

        private Task<Microversion> Choose(CancellationToken ct)
            => _compute.ChooseAsync("Volume attachments", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct);

        private static string Path(string serverId) => "servers/" + Json.Escape(serverId) + "/os-volume_attachments";
    }
}
