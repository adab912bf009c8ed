using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Checks
{
    /// <summary>
    /// The control plane seen from a client after a controller reboot: each API in the catalog answering an
    /// authenticated call, nova's and cinder's services and neutron's agents as they report themselves, and the
    /// database and message queue as far as those answers prove them. Every source is read at once; a source that
    /// cannot be read is a component in state Unknown, never an exception.
    /// </summary>
    public sealed class ControlPlaneCheck
    {
        private readonly Func<string, ServiceClient?> _clientFor;
        private readonly ComputeClient _compute;

        /// <param name="clientFor">A fresh client for a catalog service type, or null when the catalog has none.</param>
        public ControlPlaneCheck(Func<string, ServiceClient?> clientFor, ComputeClient compute)
        {
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
        }

        /// <summary>How long one probe may take before its API counts as down.</summary>
        public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

        public async Task<IReadOnlyList<ComponentHealth>> RunAsync(CancellationToken ct)
        {
            var probes = ApiProbe.All.Select(p => (Probe: p, Client: _clientFor(p.ServiceType))).Where(p => p.Client != null)
                .Select(p => ProbeAsync(p.Probe, p.Client!, ct)).ToList();
            var nova = NovaServicesAsync(ct);
            var cinder = ReportedAsync("volumev3", "os-services", "services", "cinder", Cinder, ct);
            var agents = ReportedAsync("network", "v2.0/agents", "agents", "neutron", Agent, ct);
            var apis = await Task.WhenAll(probes).ConfigureAwait(false);
            var services = (await nova.ConfigureAwait(false)).Concat(await cinder.ConfigureAwait(false)).Concat(await agents.ConfigureAwait(false)).ToList();
            var all = apis.ToList();
            all.AddRange(Inferred(apis, services));
            all.AddRange(services);
            return all;
        }

        private async Task<ComponentHealth> ProbeAsync(ApiProbe probe, ServiceClient client, CancellationToken ct)
        {
            client.RequestTimeout = ProbeTimeout;
            string path = probe.PathFor(client.Endpoint);
            var health = new ComponentHealth { Kind = "Api", Component = probe.Component, Host = client.Endpoint.Authority };
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await client.GetAsync(path, ct, null, 200, 204).ConfigureAwait(false);
                health.State = ComponentStates.Up;
                health.RequestId = response.RequestId;
                health.Evidence = $"GET {client.Resolve(path).AbsolutePath} answered {response.StatusCode} in {clock.ElapsedMilliseconds} ms";
            }
            catch (OpenStackApiException e)
            {
                health.State = ComponentStates.Down;
                health.RequestId = e.RequestId;
                health.Evidence = $"GET {client.Resolve(path).AbsolutePath}: {e.Message}";
            }
            return health;
        }

        private async Task<IReadOnlyList<ComponentHealth>> NovaServicesAsync(CancellationToken ct)
        {
            try
            {
                var services = await _compute.Services.ListAsync(null, null, ct).ConfigureAwait(false);
                return services.Select(s => Reported("Service", s.Binary, s.Host, s.State == "up", s.Status == "disabled", s.ForcedDown, s.UpdatedAt, s.DisabledReason, "nova")).ToList();
            }
            catch (OpenStackApiException e)
            {
                return new[] { Unreadable("nova services", "nova", e) };
            }
        }

        /// <summary>Cinder's os-services or neutron's agents: a list of things that report their own heartbeat.</summary>
        private async Task<IReadOnlyList<ComponentHealth>> ReportedAsync(string serviceType, string path, string key, string who,
            Func<JsonNode?, ComponentHealth> read, CancellationToken ct)
        {
            var client = _clientFor(serviceType);
            if (client == null) return new ComponentHealth[0];
            client.RequestTimeout = ProbeTimeout;
            try
            {
                var response = await client.GetAsync(path, ct).ConfigureAwait(false);
                return (response.Body.Arr(key) ?? new JsonArray()).Select(read).ToList();
            }
            catch (OpenStackApiException e)
            {
                return new[] { Unreadable(who + " " + key, who, e) };
            }
        }

        private static ComponentHealth Cinder(JsonNode? s)
            => Reported("Service", s.Str("binary"), s.Str("host"), s.Str("state") == "up", s.Str("status") == "disabled", false, s.Date("updated_at"), s.Str("disabled_reason"), "cinder");

        private static ComponentHealth Agent(JsonNode? a)
            => Reported("Agent", a.Str("binary"), a.Str("host"), a.Bool("alive") == true, a.Bool("admin_state_up") == false, false, a.Date("heartbeat_timestamp"), null, "neutron");

        private static ComponentHealth Reported(string kind, string? binary, string? host, bool up, bool disabled, bool forcedDown, DateTimeOffset? seen, string? reason, string who)
        {
            string state = forcedDown || !up ? ComponentStates.Down : disabled ? ComponentStates.Disabled : ComponentStates.Up;
            string heartbeat = seen.HasValue ? "last heartbeat " + seen.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "no heartbeat recorded";
            string evidence = forcedDown ? $"{who} has it forced down (fenced); {heartbeat}"
                : !up ? $"{who} reports it down: {heartbeat}"
                : disabled ? $"{who} reports it up but disabled{(reason != null ? ": " + reason : "")}; {heartbeat}"
                : $"{who} reports it up; {heartbeat}";
            // nova, cinder and neutron name the binary of every service and agent they list.
            return new ComponentHealth { Kind = kind, Component = binary!, Host = host, State = state, LastSeen = seen, Evidence = evidence };
        }

        private static ComponentHealth Unreadable(string what, string who, OpenStackApiException e) => new ComponentHealth
        {
            Kind = who == "neutron" ? "Agent" : "Service", Component = what, State = ComponentStates.Unknown, RequestId = e.RequestId,
            Evidence = $"{who} did not list them: {e.Message}",
        };

        /// <summary>
        /// What the answers prove about the database and the message queue, said as inference: nova-api reads the database
        /// to list servers; a nova service's heartbeat reaches the database through nova-conductor over the queue.
        /// </summary>
        private static IEnumerable<ComponentHealth> Inferred(IReadOnlyList<ComponentHealth> apis, IReadOnlyList<ComponentHealth> services)
        {
            var novaApi = apis.FirstOrDefault(a => a.Component == "nova-api");
            if (novaApi != null)
                yield return new ComponentHealth
                {
                    Kind = "Database", Component = "database",
                    State = novaApi.State == ComponentStates.Up ? ComponentStates.Up : ComponentStates.Unknown,
                    Evidence = novaApi.State == ComponentStates.Up
                        ? "inferred: nova-api read its databases to list servers"
                        : "unknown: nova-api did not answer, so nothing shows whether the database does",
                };
            // nova-compute has no database access: its heartbeat travels over the queue to nova-conductor, which writes it.
            var nova = services.Where(s => s.Component == "nova-compute" && s.Evidence != null && s.Evidence.StartsWith("nova", StringComparison.Ordinal)).ToList();
            if (nova.Count == 0) yield break;
            int reporting = nova.Count(s => s.State != ComponentStates.Down);
            yield return new ComponentHealth
            {
                Kind = "MessageQueue", Component = "message queue",
                State = reporting > 0 ? ComponentStates.Up : ComponentStates.Down,
                Evidence = reporting > 0
                    ? $"inferred: {reporting} of {nova.Count} nova-compute heartbeats reach the database through nova-conductor over the queue"
                    : $"inferred: none of {nova.Count} nova-compute services reports a heartbeat: the message queue, nova-conductor or the database is down",
            };
        }
    }
}
