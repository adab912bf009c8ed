using System.Globalization;
using System.Text;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// GET /os-migrations (admin): every kind of migration record, finished ones included. From 2.59 newest
    /// first, paged with limit/marker, with uuids and changes-since; from 2.23 with migration_type.
    /// </summary>
    public sealed class MigrationsApi
    {
        /// <summary>2.59: paging, uuid, changes-since, newest-first order.</summary>
        internal static readonly Microversion Paging = ComputeClient.V(59);
        private readonly ComputeClient _compute;

        internal MigrationsApi(ComputeClient compute) => _compute = compute;

        /// <summary>Whether this cloud pages os-migrations and filters it by changes-since (2.59+).</summary>
        public async Task<bool> SupportsPagingAsync(CancellationToken ct)
            => await ChooseAsync(ct).ConfigureAwait(false) >= Paging;

        /// <summary>The records that match <paramref name="query"/>, newest first from 2.59.</summary>
        public async Task<IReadOnlyList<MigrationRecord>> ListAsync(MigrationQuery query, CancellationToken ct)
        {
            var mv = await ChooseAsync(ct).ConfigureAwait(false);
            // nova's marker is the migration uuid (2.59+).
            var next = mv >= Paging && query.AllPages ? MarkerPager.LastItemWhenNextLink("migrations_links", "uuid") : MarkerPager.SinglePage;
            var items = await MarkerPager.ReadAllAsync(marker => _compute.Http.GetAsync(BuildPath(query, mv, marker), ct, mv.ToString()),
                "migrations", next, ct).ConfigureAwait(false);
            return items.Select(MigrationRecord.FromJson).ToList();
        }

        private Task<Microversion> ChooseAsync(CancellationToken ct)
            => _compute.ChooseAsync("Listing migrations", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct);

        internal static string BuildPath(MigrationQuery q, Microversion mv, string? marker)
        {
            var path = new StringBuilder("os-migrations");
            char sep = '?';
            void Add(string key, string? value)
            {
                if (value == null) return;
                path.Append(sep).Append(key).Append('=').Append(Json.Escape(value));
                sep = '&';
            }
            Add("instance_uuid", q.InstanceUuid);
            Add("migration_type", q.MigrationType);
            Add("host", q.Host);
            if (q.Host == null) Add("source_compute", q.SourceCompute);
            Add("status", q.Status);
            // From 2.75 nova refuses unknown query parameters, and before 2.59 these do not exist: send them only when they count.
            if (mv >= Paging)
            {
                if (q.ChangesSince.HasValue)
                    Add("changes-since", q.ChangesSince.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                if (q.Limit.HasValue) Add("limit", q.Limit.Value.ToString(CultureInfo.InvariantCulture));
                Add("marker", marker);
            }
            return path.ToString();
        }
    }
}
