using System.Globalization;
using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// /servers/{id}/migrations: the in-progress live migrations of one server with their memory figures
    /// (2.23), and the two ways to end one early: force-complete (2.22) and abort (2.24). The URLs take the
    /// migration's integer id, not its uuid.
    /// </summary>
    public sealed class ServerMigrationsApi
    {
        internal static readonly Microversion ForceComplete = ComputeClient.V(22);
        internal static readonly Microversion InProgressList = ComputeClient.V(23);
        internal static readonly Microversion Abort = ComputeClient.V(24);
        private readonly ComputeClient _compute;

        internal ServerMigrationsApi(ComputeClient compute) => _compute = compute;

        /// <summary>GET /servers/{id}/migrations: only live migrations still in progress (2.23).</summary>
        public async Task<IReadOnlyList<MigrationRecord>> ListInProgressAsync(string serverId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Showing a server's live-migration progress", InProgressList, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.GetAsync(BasePath(serverId), ct, mv.ToString()).ConfigureAwait(false);
            var list = new List<MigrationRecord>();
            foreach (var m in response.Body.Arr("migrations") ?? new JsonArray()) list.Add(MigrationRecord.FromJson(m!));
            return list;
        }

        /// <summary>GET /servers/{id}/migrations/{migrationId} (2.23); 404 once the migration is no longer in progress.</summary>
        public async Task<MigrationRecord> GetInProgressAsync(string serverId, long migrationId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Showing a server's live-migration progress", InProgressList, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.GetAsync(ItemPath(serverId, migrationId), ct, mv.ToString()).ConfigureAwait(false);
            return MigrationRecord.FromJson(response.Body?["migration"]!);
        }

        /// <summary>
        /// Asks nova to finish a running live migration now (pause the guest, or switch to post-copy when the
        /// cloud permits it): POST …/action {"force_complete": null}, 202. The migration must be 'running'.
        /// </summary>
        public async Task<ServerActionResult> ForceCompleteAsync(string serverId, long migrationId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Forcing a live migration to complete", ForceComplete, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["force_complete"] = null };
            var response = await _compute.Http.PostAsync(ItemPath(serverId, migrationId) + "/action", body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        /// <summary>
        /// Aborts a live migration: DELETE …/migrations/{id}, 202. 'running' only up to 2.64; 'queued' and
        /// 'preparing' too from 2.65. The record then goes 'cancelled' and the server stays on its source.
        /// </summary>
        public async Task<ServerActionResult> AbortAsync(string serverId, long migrationId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Aborting a live migration", Abort, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var response = await _compute.Http.DeleteAsync(ItemPath(serverId, migrationId), ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        private static string BasePath(string serverId) => "servers/" + Json.Escape(serverId) + "/migrations";

        private static string ItemPath(string serverId, long migrationId)
            => BasePath(serverId) + "/" + migrationId.ToString(CultureInfo.InvariantCulture);
    }
}
