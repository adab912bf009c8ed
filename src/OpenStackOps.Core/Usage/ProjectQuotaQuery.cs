using System.Text.Json.Nodes;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Usage
{
    /// <summary>A keystone project, as the usage report names it.</summary>
    public sealed class ProjectRef
    {
        public string Id { get; set; } = null!;
        public string? Name { get; set; }
        public bool Enabled { get; set; } = true;
        public override string ToString() => Name ?? Id;
    }

    /// <summary>A service's quota call that failed for one project; the others are still reported.</summary>
    public sealed class QuotaReadFailure
    {
        public string ProjectId { get; set; } = null!;
        public string? ProjectName { get; set; }
        public string Service { get; set; } = null!;
        public OpenStackApiException Error { get; set; } = null!;
    }

    /// <summary>
    /// Quota limits and use per project from the three services that keep them: nova (GET os-quota-sets/{id}/detail),
    /// cinder (GET os-quota-sets/{id}?usage=true) and neutron (GET v2.0/quotas/{id}/details). The projects come from one
    /// keystone listing. Calls: 1 (+ nova's version, once a session) + one per project and service, whatever the number of servers, volumes or ports.
    /// </summary>
    public sealed class ProjectQuotaQuery
    {
        private readonly ServiceClient _identity;
        private readonly ComputeClient? _compute;
        private readonly ServiceClient? _volume;
        private readonly ServiceClient? _network;

        /// <param name="volume">Null when the catalog has no cinder: no volume quotas.</param>
        /// <param name="network">Null when the catalog has no neutron: no network quotas.</param>
        public ProjectQuotaQuery(ServiceClient identity, ComputeClient? compute, ServiceClient? volume, ServiceClient? network)
        {
            _identity = identity ?? throw new ArgumentNullException(nameof(identity));
            _compute = compute;
            _volume = volume;
            _network = network;
        }

        public const string Compute = "compute";
        public const string Volume = "volume";
        public const string Network = "network";

        /// <summary>The calls refused for one project and service (400, 403 from a service's policy, 404 for a project gone meanwhile);
        /// a service that is down or unreachable ends the whole query.</summary>
        public List<QuotaReadFailure> Failures { get; } = new List<QuotaReadFailure>();

        /// <summary>Keystone said its listing was cut short (list_limit): some projects are missing.</summary>
        public bool ProjectsTruncated { get; private set; }

        /// <summary>GET /v3/projects: every project the session may list (an admin: all).</summary>
        public async Task<IReadOnlyList<ProjectRef>> ListProjectsAsync(CancellationToken ct)
        {
            var r = await _identity.GetAsync(UsagePaths.Versioned(_identity.Endpoint, "v3", "projects"), ct).ConfigureAwait(false);
            ProjectsTruncated = r.Body.Bool("truncated") == true;
            return (r.Body.Arr("projects") ?? new JsonArray())
                .Select(p => new ProjectRef { Id = p.Str("id")!, Name = p.Str("name"), Enabled = p.Bool("enabled") != false })
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <param name="projects">The projects to report (from <see cref="ListProjectsAsync"/>, maybe filtered).</param>
        /// <param name="services">compute, volume, network; null for all three.</param>
        public async Task<IReadOnlyList<ProjectQuotaUsage>> ListAsync(IEnumerable<ProjectRef> projects, ICollection<string>? services, CancellationToken ct)
        {
            bool Wanted(string s) => services == null || services.Contains(s, StringComparer.OrdinalIgnoreCase);
            var rows = new List<ProjectQuotaUsage>();
            // The newest microversion both understand: from 2.36 nova no longer shows the network quotas it only proxied
            // (neutron's own are in this report), from 2.57 no injected-file quotas.
            string? novaVersion = _compute != null && Wanted(Compute)
                ? (await _compute.ChooseAsync("Reading quota usage", ComputeClient.V(1), ComputeClient.NewestUnderstood, ct).ConfigureAwait(false)).ToString()
                : null;
            foreach (var project in projects)
            {
                string id = Json.Escape(project.Id);
                if (_compute != null && Wanted(Compute))
                    await ReadAsync(rows, project, Compute, _compute.Http, "os-quota-sets/" + id + "/detail", "quota_set", "in_use", ct, novaVersion).ConfigureAwait(false);
                if (_volume != null && Wanted(Volume))
                    await ReadAsync(rows, project, Volume, _volume, "os-quota-sets/" + id + "?usage=true", "quota_set", "in_use", ct).ConfigureAwait(false);
                if (_network != null && Wanted(Network))
                    await ReadAsync(rows, project, Network, _network, "v2.0/quotas/" + id + "/details", "quota", "used", ct).ConfigureAwait(false);
            }
            return rows;
        }

        private async Task ReadAsync(List<ProjectQuotaUsage> rows, ProjectRef project, string service, ServiceClient http, string path,
            string key, string usedKey, CancellationToken ct, string? microversion = null)
        {
            ApiResponse r;
            try
            {
                r = await http.GetAsync(path, ct, microversion).ConfigureAwait(false);
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Forbidden || e.Kind == ApiErrorKind.NotFound || e.Kind == ApiErrorKind.BadRequest)
            {
                Failures.Add(new QuotaReadFailure { ProjectId = project.Id, ProjectName = project.Name, Service = service, Error = e });
                return;
            }
            if (!(r.Body?[key] is JsonObject quotas)) return;
            foreach (var q in quotas.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                // Every quota is an object {limit, in_use|used, reserved}; "id" and cinder's per-type extras that are not are skipped.
                if (!(q.Value is JsonObject figures) || figures.Long("limit") == null) continue;
                rows.Add(new ProjectQuotaUsage
                {
                    ProjectId = project.Id, ProjectName = project.Name, Service = service, Resource = q.Key,
                    Limit = figures.Long("limit") ?? -1, InUse = figures.Long(usedKey) ?? 0, Reserved = figures.Long("reserved") ?? 0,
                });
            }
        }
    }

    internal static class UsagePaths
    {
        /// <summary>The path with the API's version segment when the catalog's URL lacks it (keystone's /v3, glance's /v2).</summary>
        public static string Versioned(Uri endpoint, string segment, string path)
        {
            string last = endpoint.AbsolutePath.TrimEnd('/');
            last = last.Substring(last.LastIndexOf('/') + 1);
            return string.Equals(last, segment, StringComparison.OrdinalIgnoreCase) ? path : segment + "/" + path;
        }
    }
}
