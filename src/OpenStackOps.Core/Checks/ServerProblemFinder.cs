using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Placement;

namespace OpenStackOps.Checks
{
    /// <summary>
    /// Reads what the daily check judges: every server (paged), the fault of each ERROR server, the nova-compute
    /// services, the open and failed migrations (one filtered call per status), and, when placement is there, the
    /// allocations on the compute nodes' providers (one call per node). The calls grow with pages, hosts and broken
    /// servers, never with healthy ones.
    /// </summary>
    public sealed class ServerProblemFinder
    {
        private readonly ComputeClient _compute;
        private readonly PlacementClient? _placement;

        /// <param name="placement">Null to skip the allocation checks (no placement endpoint, or not wanted).</param>
        public ServerProblemFinder(ComputeClient compute, PlacementClient? placement)
        {
            _compute = compute ?? throw new ArgumentNullException(nameof(compute));
            _placement = placement;
        }

        /// <summary>Where the finder's clock comes from; tests set it.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        public async Task<ServerCheckFacts> ReadAsync(CancellationToken ct)
        {
            var servers = _compute.Servers.ListAllAsync(ct);
            var services = _compute.Services.ListAsync(null, "nova-compute", ct);
            var migrations = new List<MigrationRecord>();
            foreach (var status in ServerProblemRules.OpenOrFailedStatuses)
                migrations.AddRange(await _compute.Migrations.ListAsync(new MigrationQuery { Status = status }, ct).ConfigureAwait(false));
            var listed = await servers.ConfigureAwait(false);
            await ReadFaultsAsync(listed, ct).ConfigureAwait(false);
            var facts = new ServerCheckFacts
            {
                Servers = listed,
                ComputeServices = await services.ConfigureAwait(false),
                OpenOrFailedMigrations = migrations,
                Now = Clock(),
            };
            if (_placement != null)
                facts.Allocations = await ReadAllocationsAsync(ct).ConfigureAwait(false);
            return facts;
        }

        public async Task<IReadOnlyList<ServerProblem>> FindAsync(TimeSpan stuckAfter, CancellationToken ct)
            => ServerProblemRules.Judge(await ReadAsync(ct).ConfigureAwait(false), stuckAfter);

        /// <summary>At most this many ERROR servers are shown one by one to read their fault.</summary>
        public const int FaultsRead = 100;

        /// <summary>
        /// nova leaves the fault out of /servers/detail (it shows it only for one server), so each ERROR server is shown
        /// once: the calls grow with the broken servers, which are few, and stop at <see cref="FaultsRead"/>.
        /// </summary>
        private async Task ReadFaultsAsync(IReadOnlyList<Compute.Servers.Server> servers, CancellationToken ct)
        {
            foreach (var s in servers.Where(s => string.Equals(s.Status, "ERROR", StringComparison.OrdinalIgnoreCase) && s.Fault == null).Take(FaultsRead))
            {
                var shown = await _compute.Servers.GetAsync(s.Id, ct).ConfigureAwait(false);
                s.Fault = shown?.Fault;
                s.FaultAt = shown?.FaultAt;
            }
        }

        /// <summary>Allocations on the providers that are compute nodes (named as a hypervisor), not on sharing or nested ones.</summary>
        private async Task<IReadOnlyList<ConsumerAllocation>> ReadAllocationsAsync(CancellationToken ct)
        {
            var hypervisors = await _compute.Hypervisors.ListDetailAsync(ct).ConfigureAwait(false);
            var nodes = new HashSet<string>(hypervisors.Select(h => h.HypervisorHostname).Where(n => n != null), StringComparer.OrdinalIgnoreCase);
            // ReadAsync reads allocations only when there is a placement client.
            var providers = (await _placement!.ListProvidersAsync(ct).ConfigureAwait(false)).Where(p => nodes.Contains(p.Name ?? "")).ToList();
            var all = new List<ConsumerAllocation>();
            foreach (var provider in providers)
                all.AddRange(await _placement.ListProviderAllocationsAsync(provider, ct).ConfigureAwait(false));
            return all;
        }
    }
}
