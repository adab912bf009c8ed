using System.Text.Json.Nodes;
using OpenStackOps.Compute.Hypervisors;
using OpenStackOps.Compute.InstanceActions;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Compute.Services;
using OpenStackOps.Http;

namespace OpenStackOps.Compute
{
    /// <summary>
    /// Nova. Negotiates the microversion range once per session from the endpoint's version document;
    /// each operation then says the lowest version it needs and the highest whose response it understands,
    /// and is sent at the highest version both sides accept.
    /// </summary>
    public sealed class ComputeClient
    {
        /// <summary>The newest microversion whose behaviour this client has been written against.</summary>
        public static readonly Microversion NewestUnderstood = new Microversion(2, 96);

        private readonly SemaphoreSlim _negotiation = new SemaphoreSlim(1, 1);
        private ComputeVersionRange? _range;

        public ComputeClient(ServiceClient http)
        {
            Http = http;
            Services = new ServicesApi(this);
            Hypervisors = new HypervisorsApi(this);
            Servers = new ServersApi(this);
            MigrateActions = new MigrateActionsApi(this);
            Migrations = new MigrationsApi(this);
            ServerMigrations = new ServerMigrationsApi(this);
            InstanceActions = new InstanceActionsApi(this);
            ServerActions = new ServerActionsApi(this);
            Interfaces = new InterfacesApi(this);
            ServerGroups = new ServerGroupsApi(this);
        }

        public ServiceClient Http { get; }
        public ServicesApi Services { get; }
        public HypervisorsApi Hypervisors { get; }
        public ServersApi Servers { get; }
        /// <summary>os-migrateLive, migrate (cold) and confirmResize.</summary>
        public MigrateActionsApi MigrateActions { get; }
        /// <summary>os-migrations: every migration record.</summary>
        public MigrationsApi Migrations { get; }
        /// <summary>/servers/{id}/migrations: live-migration progress, abort, force-complete.</summary>
        public ServerMigrationsApi ServerMigrations { get; }
        /// <summary>os-instance-actions: why an action failed, in nova's words.</summary>
        public InstanceActionsApi InstanceActions { get; }
        /// <summary>os-start and reboot (after a node reboot).</summary>
        public ServerActionsApi ServerActions { get; }
        /// <summary>os-interface: attach and detach ports.</summary>
        public InterfacesApi Interfaces { get; }
        /// <summary>os-server-groups: affinity and anti-affinity groups and their members.</summary>
        public ServerGroupsApi ServerGroups { get; }

        /// <summary>The negotiated range, or null before the first call.</summary>
        public ComputeVersionRange? VersionRange => _range;

        public async Task<ComputeVersionRange> GetVersionRangeAsync(CancellationToken ct)
        {
            if (_range != null) return _range;
            await _negotiation.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_range == null)
                {
                    // The endpoint itself (…/v2.1/) answers with {"version": {...}}; some deployments register the
                    // unversioned root, which answers {"versions": [...]}.
                    var response = await Http.GetAsync("", ct, null, 200, 300).ConfigureAwait(false);
                    _range = ParseVersionDocument(response.Body);
                }
                return _range;
            }
            finally
            {
                _negotiation.Release();
            }
        }

        internal static ComputeVersionRange ParseVersionDocument(JsonNode? body)
        {
            JsonNode? version = body?["version"];
            if (version == null && body?["versions"] is JsonArray versions)
            {
                foreach (var v in versions)
                    if ((string?)v?["id"] == "v2.1") version = v;
            }
            if (version == null)
                throw new OpenStackApiException(ApiErrorKind.InvalidResponse,
                    "The compute endpoint did not describe its API version (no 'version' in its version document). " +
                    "Check that the catalog's compute endpoint points at nova's /v2.1.");
            string? max = (string?)version["version"];
            string? min = (string?)version["min_version"];
            if (string.IsNullOrEmpty(max)) return ComputeVersionRange.Legacy;
            return new ComputeVersionRange(Microversion.Parse(string.IsNullOrEmpty(min) ? "2.1" : min), Microversion.Parse(max));
        }

        /// <summary>
        /// The microversion to send for an operation that needs at least <paramref name="minimum"/> and understands
        /// responses up to <paramref name="highestUnderstood"/>. Throws when the cloud is too old.
        /// </summary>
        public async Task<Microversion> ChooseAsync(string operation, Microversion minimum, Microversion highestUnderstood, CancellationToken ct)
        {
            var range = await GetVersionRangeAsync(ct).ConfigureAwait(false);
            if (range.Maximum < minimum)
                throw new MicroversionNotSupportedException("compute", operation, minimum, range.Maximum);
            var chosen = Microversion.Min(range.Maximum, highestUnderstood);
            return chosen < range.Minimum ? range.Minimum : chosen;
        }

        public static Microversion V(int minor) => new Microversion(2, minor);
    }
}
