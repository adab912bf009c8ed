using OpenStackOps.Compute;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Compute.Services;
using OpenStackOps.Placement;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// The fleet run's view of a real cloud: nova's compute services (zone, enabled, up), placement's inventories and
    /// usages per node (Get-NodeCapacity's query: 2 calls plus 2 per node), every server (paged, one call per 1000) and
    /// every server group; disable and enable through os-services.
    /// </summary>
    public sealed class NovaFleetCloud : IFleetCloud
    {
        private readonly ComputeClient _compute;
        private readonly PlacementClient _placement;
        private readonly IWaitClock _clock;
        private Dictionary<string, ComputeService> _services = new Dictionary<string, ComputeService>(StringComparer.OrdinalIgnoreCase);

        public NovaFleetCloud(ComputeClient compute, PlacementClient placement, IWaitClock? clock = null)
        {
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
            _placement = placement ?? throw new ArgumentNullException(nameof(placement));
            _clock = clock ?? SystemWaitClock.Instance;
        }

        public async Task<FleetSnapshot> ReadAsync(CancellationToken ct)
        {
            var services = await _compute.Services.ListAsync(null, "nova-compute", ct).ConfigureAwait(false);
            _services = services.Where(s => s.Host != null).GroupBy(s => s.Host, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var capacity = await new NodeCapacityQuery(_compute, _placement).ListAsync(null, ct).ConfigureAwait(false);
            var servers = await _compute.Servers.ListAllAsync(ct).ConfigureAwait(false);
            var groups = await _compute.ServerGroups.ListAllAsync(ct).ConfigureAwait(false);
            // A hypervisor nova lists has a service host or a name (NodeCapacityQuery's Host).
            var hosts = capacity.Where(c => _services.ContainsKey(c.Host!)).Select(c =>
            {
                var s = _services[c.Host!];
                return FleetHost.From(c, s.Zone, s.Status == "enabled", s.State == "up" && !s.ForcedDown);
            }).ToList();
            return new FleetSnapshot { Hosts = hosts, Servers = servers, Groups = groups };
        }

        public async Task DisableAsync(string host, string reason, CancellationToken ct)
        {
            var service = await ServiceAsync(host, ct).ConfigureAwait(false);
            if (service.Status == "disabled" && service.DisabledReason == reason) return;
            _services[host] = (await _compute.Services.DisableAsync(service, reason, ct).ConfigureAwait(false)).Service ?? service;
        }

        public async Task EnableAsync(string host, CancellationToken ct)
        {
            var service = await ServiceAsync(host, ct).ConfigureAwait(false);
            if (service.Status == "enabled") return;
            _services[host] = (await _compute.Services.EnableAsync(service, ct).ConfigureAwait(false)).Service ?? service;
        }

        public Task<IReadOnlyList<Server>> ListServersOnAsync(string host, CancellationToken ct) => _compute.Servers.ListOnHostAsync(host, ct);

        public async Task<Server?> GetServerAsync(string id, CancellationToken ct) => await _compute.Servers.GetAsync(id, ct).ConfigureAwait(false);

        /// <summary>
        /// Nova's view after a maintenance: the node's nova-compute is up (nova's own judgement: it reported within
        /// service_down_time) and not forced down, within <paramref name="timeout"/>, asked every 10 s.
        /// </summary>
        public async Task<FleetNodeCheck> WaitServiceUpAsync(string host, TimeSpan timeout, CancellationToken ct)
        {
            var deadline = _clock.UtcNow + timeout;
            ComputeService? last = null;
            while (true)
            {
                last = (await _compute.Services.ListAsync(host, "nova-compute", ct).ConfigureAwait(false)).FirstOrDefault();
                if (last != null && last.State == "up" && !last.ForcedDown)
                    return FleetNodeCheck.Ok(last);
                if (_clock.UtcNow >= deadline) break;
                await _clock.DelayAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            }
            string seen = last == null ? "nova lists no nova-compute service on it"
                : $"nova shows its nova-compute {last.State}{(last.ForcedDown ? ", forced down" : "")}, last report {last.UpdatedAt:u}";
            return new FleetNodeCheck { Healthy = false, Problems = new[] { $"{host}: not back within {timeout.TotalSeconds:0} s: {seen}" }, Detail = last };
        }

        private async Task<ComputeService> ServiceAsync(string host, CancellationToken ct)
        {
            if (_services.TryGetValue(host, out var s)) return s;
            s = (await _compute.Services.ListAsync(host, "nova-compute", ct).ConfigureAwait(false)).FirstOrDefault();
            if (s == null)
                throw new InvalidOperationException($"nova has no nova-compute service on {host}.");
            return _services[host] = s;
        }
    }
}
