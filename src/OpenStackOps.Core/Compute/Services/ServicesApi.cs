using System.Text;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Services
{
    /// <summary>
    /// os-services. From 2.53 a service is updated by UUID with one PUT; before that through the
    /// legacy action URLs (disable, disable-log-reason, enable, force-down), keyed by host and binary.
    /// </summary>
    public sealed class ServicesApi
    {
        internal static readonly Microversion UuidUpdates = ComputeClient.V(53);
        internal static readonly Microversion ForcedDownField = ComputeClient.V(11);
        private readonly ComputeClient _compute;

        internal ServicesApi(ComputeClient compute) => _compute = compute;

        /// <summary>GET /os-services, filtered server-side by exact host and binary when given.</summary>
        public async Task<IReadOnlyList<ComputeService>> ListAsync(string? host, string? binary, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Listing compute services", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var query = new StringBuilder("os-services");
            char sep = '?';
            if (host != null) { query.Append(sep).Append("host=").Append(Json.Escape(host)); sep = '&'; }
            if (binary != null) { query.Append(sep).Append("binary=").Append(Json.Escape(binary)); }
            var response = await _compute.Http.GetAsync(query.ToString(), ct, mv.ToString()).ConfigureAwait(false);
            return (response.Body.Arr("services") ?? new JsonArray()).Select(s => ComputeService.FromJson(s!)).ToList();
        }

        /// <summary>Disables scheduling to the service's host, recording why.</summary>
        public Task<ServiceUpdateResult> DisableAsync(ComputeService service, string reason, CancellationToken ct)
        {
            var body = new JsonObject { ["status"] = "disabled" };
            if (!string.IsNullOrEmpty(reason)) body["disabled_reason"] = reason;
            var legacy = new JsonObject { ["host"] = service.Host, ["binary"] = service.Binary };
            if (!string.IsNullOrEmpty(reason)) legacy["disabled_reason"] = reason;
            return UpdateAsync(service, body, string.IsNullOrEmpty(reason) ? "os-services/disable" : "os-services/disable-log-reason", legacy, ct);
        }

        /// <summary>Enables scheduling again. (2.53 refuses a disabled_reason together with "enabled".)</summary>
        public Task<ServiceUpdateResult> EnableAsync(ComputeService service, CancellationToken ct)
            => UpdateAsync(service, new JsonObject { ["status"] = "enabled" }, "os-services/enable",
                new JsonObject { ["host"] = service.Host, ["binary"] = service.Binary }, ct);

        /// <summary>Marks the service forced down (or clears it). Needs 2.11. Only safe on a fenced host.</summary>
        public async Task<ServiceUpdateResult> SetForcedDownAsync(ComputeService service, bool forcedDown, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Forcing a compute service down", ForcedDownField, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            if (mv >= UuidUpdates && service.IdIsUuid)
                return await PutByIdAsync(service, new JsonObject { ["forced_down"] = forcedDown }, mv, ct).ConfigureAwait(false);
            var legacy = new JsonObject { ["host"] = service.Host, ["binary"] = service.Binary, ["forced_down"] = forcedDown };
            return await PutLegacyAsync(service, "os-services/force-down", legacy, Microversion.Min(mv, ComputeClient.V(52)), ct).ConfigureAwait(false);
        }

        private async Task<ServiceUpdateResult> UpdateAsync(ComputeService service, JsonObject body, string legacyPath, JsonObject legacyBody, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Updating a compute service", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            if (mv >= UuidUpdates && service.IdIsUuid)
                return await PutByIdAsync(service, body, mv, ct).ConfigureAwait(false);
            // Below 2.53 (or a service listed with an integer id) only the legacy action URLs exist.
            return await PutLegacyAsync(service, legacyPath, legacyBody, Microversion.Min(mv, ComputeClient.V(52)), ct).ConfigureAwait(false);
        }

        private async Task<ServiceUpdateResult> PutByIdAsync(ComputeService service, JsonObject body, Microversion mv, CancellationToken ct)
        {
            // Every service update sets fields to given values: sent twice it changes nothing, so a passing fault is retried.
            var response = await IdempotentRetry.RunAsync(() => _compute.Http.PutAsync("os-services/" + Json.Escape(service.Id), body, ct, mv.ToString())).ConfigureAwait(false);
            return new ServiceUpdateResult(ComputeService.FromJson(response.Body?["service"]!), response.RequestId);
        }

        private async Task<ServiceUpdateResult> PutLegacyAsync(ComputeService service, string path, JsonObject body, Microversion mv, CancellationToken ct)
        {
            var response = await IdempotentRetry.RunAsync(() => _compute.Http.PutAsync(path, body, ct, mv.ToString())).ConfigureAwait(false);
            // The legacy answers echo only host/binary/status/reason: merge them into what we knew.
            var echoed = response.Body?["service"];
            var updated = service.Copy();
            updated.Status = echoed.Str("status") ?? service.Status;
            updated.DisabledReason = echoed?["disabled_reason"] != null || echoed.Str("status") == "enabled" ? echoed.Str("disabled_reason") : service.DisabledReason;
            updated.ForcedDown = echoed.Bool("forced_down") ?? service.ForcedDown;
            return new ServiceUpdateResult(updated, response.RequestId);
        }
    }

    /// <summary>The service as nova returned it after an update, with the request id of that update.</summary>
    public sealed class ServiceUpdateResult
    {
        public ServiceUpdateResult(ComputeService service, string? requestId)
        {
            Service = service;
            RequestId = requestId;
        }

        public ComputeService Service { get; }
        public string? RequestId { get; }
    }
}
