using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// The move actions on POST /servers/{id}/action: os-migrateLive, migrate (cold) and confirmResize, which
    /// ends a cold migration. Each returns as soon as nova accepted it; the outcome shows in the migration
    /// record (<see cref="MigrationsApi"/>) and, for failures, in the instance action events.
    /// </summary>
    public sealed class MigrateActionsApi
    {
        /// <summary>2.56 let a cold migration name its destination host.</summary>
        internal static readonly Microversion ColdMigrateHost = ComputeClient.V(56);
        private readonly ComputeClient _compute;

        internal MigrateActionsApi(ComputeClient compute) => _compute = compute;

        /// <summary>
        /// Live-migrates a server (202). The body follows the microversion (see <see cref="LiveMigrateBody"/>).
        /// A named host below 2.30 would bypass the scheduler, so it needs <see cref="LiveMigrationRequest.AllowUnvalidatedHost"/>.
        /// From 2.34 nova's pre-checks run after the 202: a failure shows only in the migration record and the
        /// instance action of the returned request id.
        /// </summary>
        public async Task<ServerActionResult> LiveMigrateAsync(string serverId, LiveMigrationRequest request, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Live-migrating a server", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            if (request.Host != null && mv < LiveMigrateBody.ValidatedHost && !request.AllowUnvalidatedHost)
                throw new MicroversionNotSupportedException("compute",
                    "Live-migrating to a named host with the scheduler checking that host", LiveMigrateBody.ValidatedHost, mv);
            var body = LiveMigrateBody.For(mv, request.Host, request.BlockMigration);
            var response = await _compute.Http.PostAsync(ActionPath(serverId), body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        /// <summary>
        /// Cold-migrates a server (202): <c>{"migrate": null}</c>, or <c>{"migrate": {"host": …}}</c> from 2.56.
        /// The server ends in VERIFY_RESIZE on the destination until <see cref="ConfirmResizeAsync"/>.
        /// </summary>
        public async Task<ServerActionResult> MigrateAsync(string serverId, string? host, CancellationToken ct)
        {
            var minimum = host == null ? ComputeClient.V(1) : ColdMigrateHost;
            var mv = await _compute.ChooseAsync(host == null ? "Cold-migrating a server" : "Cold-migrating a server to a named host",
                minimum, ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            JsonNode? inner = host == null ? null : new JsonObject { ["host"] = host };
            var body = new JsonObject { ["migrate"] = inner };
            var response = await _compute.Http.PostAsync(ActionPath(serverId), body, ct, mv.ToString(), 202).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        /// <summary>Confirms a finished cold migration or resize (server in VERIFY_RESIZE): 204, nova frees the source.</summary>
        public async Task<ServerActionResult> ConfirmResizeAsync(string serverId, CancellationToken ct)
        {
            var mv = await _compute.ChooseAsync("Confirming a cold migration", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false);
            var body = new JsonObject { ["confirmResize"] = null };
            var response = await _compute.Http.PostAsync(ActionPath(serverId), body, ct, mv.ToString(), 202, 204).ConfigureAwait(false);
            return new ServerActionResult(response.RequestId, mv);
        }

        private static string ActionPath(string serverId) => "servers/" + Json.Escape(serverId) + "/action";
    }
}
