using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using OpenStackOps.Http;
using OpenStackOps.Network.Networks;
using OpenStackOps.Network.Ports;

namespace OpenStackOps.Network.Recovery
{
    /// <summary>
    /// Gets a lost IP address back onto a new port (the guide's "Retrieve an IP address when an instance is deleted
    /// before detaching a port"). First the exact request, fixed_ips [{subnet_id, ip_address}], which neutron allows
    /// to admins and members of the network's project. When policy refuses it (403), a sweep: waves of single creates
    /// on the subnet, keeping every port that missed so neutron cannot hand the same addresses out again (so each round
    /// narrows the draw, unlike the guide's create-check-delete loop), until the address comes up; then the winner is
    /// renamed and every other port deleted. Every port the run creates and does not return is deleted, also on
    /// failure and cancellation (creates are never cancelled mid-request, so their ports are always known).
    /// </summary>
    public sealed class AddressRecovery
    {
        /// <summary>Creates in flight at once: keep neutron's load reasonable.</summary>
        public const int MaxBatchSize = 50;
        private const string TemporaryPrefix = "ip-recovery-";
        private const int CleanupAttempts = 6;
        private const int DeletesInFlight = 8;
        private readonly NetworkClient _neutron;
        private readonly IApiLog _log;

        public AddressRecovery(NetworkClient neutron, IApiLog? log = null)
        {
            _neutron = neutron;
            _log = log ?? NullApiLog.Instance;
            Submitter = new PortCreateSubmitter(neutron.Ports, _log);
        }

        /// <summary>Progress of a sweep and of its cleanup (called from the requests' threads, possibly side by side).</summary>
        public System.Action<RecoveryProgress>? OnProgress { get; set; }

        /// <summary>Sends the creates; a transient fault is checked in neutron before a create is sent again (tests shorten its pauses).</summary>
        internal PortCreateSubmitter Submitter { get; }

        /// <summary>The name of a run's temporary ports (tests pin it; a crashed run's leftovers can be found by it).</summary>
        internal Func<string> TemporaryName { get; set; } = () => TemporaryPrefix + Guid.NewGuid().ToString("N").Substring(0, 8);

        public async Task<AddressRecoveryResult> RestoreAsync(AddressRecoveryRequest request, CancellationToken ct)
            => await ExecuteAsync(await PlanAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

        /// <summary>Validates and looks up, changing nothing: the address, its network and subnet, and whether a port holds it.</summary>
        public async Task<RecoveryPlan> PlanAsync(AddressRecoveryRequest request, CancellationToken ct)
        {
            var plan = new RecoveryPlan { Request = request, StartCalls = _neutron.Http.Calls.Count, Clock = Stopwatch.StartNew() };
            if (!IpAddressText.TryParseStrict(request.IpAddress, out var address))
                throw Fail(AddressRecoveryFailure.InvalidAddress, request.IpAddress,
                    $"'{request.IpAddress}' is not an IPv4 address (four numbers 0-255, e.g. 203.0.113.7) or an IPv6 address (e.g. 2001:db8::7).");
            plan.Address = address;
            plan.IpAddress = IpAddressText.Canonical(address);

            (plan.Network, plan.Subnet) = await FindSubnetAsync(request.Network, plan, ct).ConfigureAwait(false);
            if (plan.Subnet.GatewayIp != null && IpAddressText.SameAddress(plan.Subnet.GatewayIp, plan.IpAddress))
                throw Fail(AddressRecoveryFailure.GatewayAddress, plan.IpAddress,
                    $"{plan.IpAddress} is the gateway of subnet {plan.Subnet}: neutron does not give it to a port.");

            var holders = await _neutron.Ports.ListAsync(new PortQuery { NetworkId = plan.Network.Id, IpAddress = plan.IpAddress }, ct).ConfigureAwait(false);
            var holder = holders.FirstOrDefault(p => p.HasAddress(plan.IpAddress));
            if (holder != null) throw InUse(plan, holder);

            var availability = await _neutron.Networks.GetIpAvailabilityAsync(plan.Network.Id, ct).ConfigureAwait(false);
            if (availability != null && availability.TryGetValue(plan.Subnet.Id, out var figures))
            {
                plan.FreeAddresses = Math.Max(0, figures.Total - figures.Used);
                plan.FreeAddressesExact = true;
            }
            else
                plan.FreeAddresses = plan.Subnet.PoolSize;

            plan.Preview = new AddressRecoveryResult
            {
                IpAddress = plan.IpAddress, NetworkId = plan.Network.Id, NetworkName = plan.Network.Name,
                SubnetId = plan.Subnet.Id, SubnetCidr = plan.Subnet.Cidr, StrategyUsed = plan.FirstStrategy,
                FreeAddresses = plan.FreeAddresses, FreeAddressesExact = plan.FreeAddressesExact, Planned = true,
                ApiCalls = _neutron.Http.Calls.Count - plan.StartCalls, Elapsed = plan.Clock.Elapsed,
                Message = $"{plan.IpAddress} is free in {plan.Subnet.Cidr} of network {plan.Network}; would be restored as '{NameFor(plan)}' " +
                          (plan.FirstStrategy == RecoveryStrategy.Exact ? "by asking for it (sweeping if policy forbids that)." : "by a sweep."),
            };
            return plan;
        }

        /// <summary>Creates the port (exact, or by sweep) and deletes whatever else it created.</summary>
        public async Task<AddressRecoveryResult> ExecuteAsync(RecoveryPlan plan, CancellationToken ct)
        {
            var run = new Run(plan, TemporaryName());
            AddressRecoveryResult? result = null;
            ExceptionDispatchInfo? failure = null;
            try
            {
                ct.ThrowIfCancellationRequested();
                result = await RunAsync(run, ct).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }

            // Always: nothing the run created stays behind except the port it returns.
            var leftBehind = await CleanupAsync(run, searchByName: failure != null).ConfigureAwait(false);
            if (failure != null)
            {
                if (failure.SourceException is AddressRecoveryException are)
                {
                    are.PortsCreated = run.Created.Count;
                    are.PortsDeleted = run.Deleted.Count;
                    are.LeftBehind = leftBehind;
                }
                _log.Verbose($"Restore-PortAddress {plan.IpAddress}: failed after creating {run.Created.Count} port(s); deleted {run.Deleted.Count}" +
                             (leftBehind.Length == 0 ? "." : $"; could NOT delete {string.Join(", ", leftBehind)}."));
                failure.Throw();
            }
            // failure == null: RunAsync returned a result.
            result!.PortsCreated = run.Created.Count;
            result.PortsDeleted = run.Deleted.Count;
            result.ApiCalls = _neutron.Http.Calls.Count - plan.StartCalls;
            result.Elapsed = plan.Clock.Elapsed;
            if (leftBehind.Length > 0)
                result.Message += $" Could not delete {leftBehind.Length} temporary port(s): {string.Join(", ", leftBehind)}.";
            return result;
        }

        private async Task<AddressRecoveryResult> RunAsync(Run run, CancellationToken ct)
        {
            var plan = run.Plan;
            var result = new AddressRecoveryResult
            {
                IpAddress = plan.IpAddress, NetworkId = plan.Network.Id, NetworkName = plan.Network.Name,
                SubnetId = plan.Subnet.Id, SubnetCidr = plan.Subnet.Cidr,
                FreeAddresses = plan.FreeAddresses, FreeAddressesExact = plan.FreeAddressesExact,
            };
            if (plan.Request.Mode != RecoveryMode.Sweep)
            {
                var exact = new PortCreateRequest(plan.Network.Id, NameFor(plan))
                {
                    Description = plan.Request.Description, SubnetId = plan.Subnet.Id, IpAddress = plan.IpAddress,
                };
                try
                {
                    run.CreateRequests++;
                    // Never cancelled mid-request: a create that neutron finished must be known, to be deleted.
                    // A create whose answer is lost is looked up before it is sent again: never a second port.
                    var port = await Submitter.CreateAsync(exact, CancellationToken.None).ConfigureAwait(false);
                    run.Created.Add(port);
                    run.Returned = port;
                    result.StrategyUsed = RecoveryStrategy.Exact;
                    result.CreateRequests = run.CreateRequests;
                    result.Port = Annotate(port, plan);
                    result.Message = $"{plan.IpAddress} restored on port {port.Id} by asking for it.";
                    _log.Verbose(result.Message);
                    return result;
                }
                catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Forbidden)
                {
                    if (plan.Request.Mode == RecoveryMode.Exact)
                        throw Fail(AddressRecoveryFailure.ExactForbidden, plan.IpAddress,
                            $"Neutron's policy does not let this project ask for {plan.IpAddress} ({e.ServerMessage ?? e.Message}). " +
                            "Only admins and members of the project that owns the network may; run without -Strategy Exact to sweep instead.", e);
                    result.ExactForbidden = true;
                    _log.Verbose($"Asking for {plan.IpAddress} is forbidden by policy (403); sweeping subnet {plan.Subnet.Cidr} instead.");
                }
                catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Conflict && e.FaultName == "IpAddressInUse")
                {
                    var holders = await _neutron.Ports.ListAsync(new PortQuery { NetworkId = plan.Network.Id, IpAddress = plan.IpAddress }, ct).ConfigureAwait(false);
                    var holder = holders.FirstOrDefault(p => p.HasAddress(plan.IpAddress));
                    if (holder != null) throw InUse(plan, holder);
                    throw Fail(AddressRecoveryFailure.AddressInUse, plan.IpAddress,
                        $"{plan.IpAddress} is in use by a port this project cannot see ({e.ServerMessage ?? e.Message}).", e);
                }
            }
            ct.ThrowIfCancellationRequested();
            return await SweepAsync(run, result, ct).ConfigureAwait(false);
        }

        private async Task<AddressRecoveryResult> SweepAsync(Run run, AddressRecoveryResult result, CancellationToken ct)
        {
            var plan = run.Plan;
            if (!plan.Subnet.InAllocationPools(plan.Address))
                throw Fail(AddressRecoveryFailure.OutsideAllocationPools, plan.IpAddress,
                    $"{plan.IpAddress} is outside the allocation pools of {plan.Subnet.Cidr} ({string.Join(", ", plan.Subnet.AllocationPools.Select(p => p.ToString()))}): " +
                    "neutron never hands it out by itself, so only an admin (or a member of the network's project) asking for it can get it back.");

            long headroom = long.MaxValue;
            if (plan.Request.ProjectId != null)
                headroom = await _neutron.Networks.GetPortHeadroomAsync(plan.Request.ProjectId, ct).ConfigureAwait(false) ?? long.MaxValue;
            long free = plan.FreeAddresses;
            int batch = plan.Request.BatchSize ?? (int)Math.Max(1, Math.Ceiling(Math.Sqrt(Math.Min(free, 1000) / 2.0)));
            batch = (int)Math.Max(1, Math.Min(Math.Min(batch, MaxBatchSize), headroom));
            int maxRounds = plan.Request.MaxRounds ?? (int)Math.Min(1000, (Math.Min(free, 1000) + batch - 1) / batch + 3);
            result.StrategyUsed = RecoveryStrategy.Sweep;
            result.BatchSize = batch;
            _log.Verbose($"Sweeping {plan.Subnet.Cidr} for {plan.IpAddress}: {free} free address(es){(plan.FreeAddressesExact ? "" : " at most")}, " +
                         $"port quota headroom {(headroom == long.MaxValue ? "unknown/unlimited" : headroom.ToString())}, {batch} port(s) per request, at most {maxRounds} request(s).");

            var held = new List<Port>();
            int rounds = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (rounds >= maxRounds)
                    throw Fail(AddressRecoveryFailure.RoundsExhausted, plan.IpAddress,
                        $"{plan.IpAddress} did not come up in {rounds} wave(s) of creates ({run.Created.Count} ports). Raise -MaxRounds, or check who holds it as admin.");
                long remaining = free - held.Count;
                if (remaining <= 0)
                    throw NotObtainable(plan, held.Count);
                long room = headroom - held.Count;
                if (room <= 0)
                {
                    if (held.Count == 0)
                        throw Fail(AddressRecoveryFailure.QuotaExhausted, plan.IpAddress,
                            $"The project's port quota is used up: no port can be created to sweep for {plan.IpAddress}.");
                    _log.Verbose($"Port quota reached with {held.Count} port(s) held: deleting them and drawing again.");
                    await DeleteAsync(run, held).ConfigureAwait(false);
                    held.Clear();
                    continue;
                }
                int n = (int)Math.Min(Math.Min(batch, remaining), room);
                rounds++;
                var wave = await CreateWaveAsync(run, n).ConfigureAwait(false);
                run.Created.AddRange(wave.Ports);
                wave.Failure?.Throw();
                var got = wave.Ports;
                var hit = got.FirstOrDefault(p => p.HasAddress(plan.IpAddress));
                held.AddRange(got.Where(p => !ReferenceEquals(p, hit)));
                OnProgress?.Invoke(new RecoveryProgress("Sweeping", held.Count + (hit == null ? 0 : 1), free,
                    $"{plan.IpAddress}: {run.Created.Count} port(s) in {rounds} wave(s), {(hit == null ? "not drawn yet" : "drawn")}"));
                _log.Verbose($"Wave {rounds}: {n} create(s), {got.Count} port(s) got {string.Join(", ", got.SelectMany(p => p.IpAddresses))}" +
                             (hit != null ? $": {plan.IpAddress} is on {hit.Id}." : wave.PoolEmpty ? ": neutron has no address left." : wave.OverQuota ? ": the port quota is reached." : ""));
                if (hit == null)
                {
                    // No address left and it was not drawn: someone else's port holds it.
                    if (wave.PoolEmpty) throw NotObtainable(plan, held.Count);
                    if (wave.OverQuota) headroom = held.Count;
                    continue;
                }

                ct.ThrowIfCancellationRequested();
                var renamed = await IdempotentRetry.RunAsync(() => _neutron.Ports.RenameAsync(hit.Id, NameFor(plan), plan.Request.Description ?? "", CancellationToken.None), Submitter.Delay).ConfigureAwait(false);
                run.Returned = hit;
                result.Port = Annotate(renamed, plan);
                result.CreateRequests = run.CreateRequests;
                result.Message = $"{plan.IpAddress} restored on port {hit.Id} by a sweep of {run.Created.Count} port(s) in {run.CreateRequests} create request(s)" +
                                 (result.ExactForbidden ? " (asking for it was forbidden by policy)." : ".");
                _log.Verbose(result.Message);
                return result;
            }
        }

        /// <summary>
        /// n single creates side by side, never one bulk create: neutron (Zed) allocates a bulk's addresses port by port,
        /// each committed at once, and when it runs out part-way it keeps the addresses already taken with no port on
        /// them (a bulk of 7 on a pool of 5 left no address usable until the subnet was deleted, on the devcloud). A
        /// member cannot know how many addresses are really free, so a bulk could lose the very address sought. A
        /// single create that finds the pool empty takes nothing. Each has its own name, so a create whose answer was
        /// lost is found by it; every port made is returned, also when a sibling failed.
        /// </summary>
        private async Task<Wave> CreateWaveAsync(Run run, int n)
        {
            var sends = Enumerable.Range(0, n).Select(_ => TryCreateAsync(new PortCreateRequest(run.Plan.Network.Id, run.NextName())
            {
                Description = $"Restore-PortAddress {run.Plan.IpAddress}: temporary, deleted when the run ends",
            })).ToList();
            run.CreateRequests += n;
            var outcomes = await Task.WhenAll(sends).ConfigureAwait(false);
            var wave = new Wave { Ports = outcomes.Where(o => o.Port != null).Select(o => o.Port!).ToList() };
            foreach (var e in outcomes.Select(o => o.Error).Where(e => e != null))
            {
                if (e is OpenStackApiException api && api.Kind == ApiErrorKind.Conflict && api.FaultName == "IpAddressGenerationFailure") wave.PoolEmpty = true;
                else if (e is OpenStackApiException q && q.Kind == ApiErrorKind.Conflict && q.FaultName == "OverQuota") wave.OverQuota = true;
                else if (wave.Failure == null) wave.Failure = ExceptionDispatchInfo.Capture(e);
            }
            return wave;
        }

        private async Task<(Port? Port, Exception? Error)> TryCreateAsync(PortCreateRequest request)
        {
            try
            {
                // Never cancelled mid-request: a create that neutron finished must be known, to be deleted.
                return (await Submitter.CreateAsync(request, CancellationToken.None).ConfigureAwait(false), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        }

        private sealed class Wave
        {
            public List<Port> Ports { get; set; } = null!;
            public bool PoolEmpty { get; set; }
            public bool OverQuota { get; set; }
            public ExceptionDispatchInfo? Failure { get; set; }
        }

        /// <summary>Deletes every created port that is not returned; on failure also any port carrying this run's temporary name.</summary>
        private async Task<string[]> CleanupAsync(Run run, bool searchByName)
        {
            var doomed = run.Created.Where(p => !ReferenceEquals(p, run.Returned) && !run.Deleted.Contains(p.Id)).ToList();
            if (searchByName && run.CreateRequests > 0)
            {
                try
                {
                    // A create that timed out may still have made ports we never heard of: their names start with the run's.
                    var mine = await _neutron.Ports.ListAsync(new PortQuery { NetworkId = run.Plan.Network.Id, ProjectId = run.Plan.Request.ProjectId }, CancellationToken.None).ConfigureAwait(false);
                    doomed.AddRange(mine.Where(p => run.Owns(p) && !run.Deleted.Contains(p.Id) && doomed.All(d => d.Id != p.Id)));
                }
                catch (Exception e)
                {
                    _log.Verbose($"Could not list ports named {run.TemporaryName} for cleanup: {e.Message}");
                }
            }
            return await DeleteAsync(run, doomed).ConfigureAwait(false);
        }

        /// <summary>Deletes ports, several side by side, ignoring cancellation; returns the ids it could not delete.</summary>
        private async Task<string[]> DeleteAsync(Run run, IReadOnlyList<Port> ports)
        {
            var failed = new List<string>();
            int done = 0;
            using (var gate = new SemaphoreSlim(DeletesInFlight))
            {
                await Task.WhenAll(ports.Select(async p =>
                {
                    await gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        // A temporary port left behind is worse than a slow cleanup: more tries than elsewhere (404 counts as done).
                        await IdempotentRetry.RunAsync(() => _neutron.Ports.DeleteAsync(p.Id, CancellationToken.None), Submitter.Delay, CleanupAttempts).ConfigureAwait(false);
                        lock (run.Deleted) run.Deleted.Add(p.Id);
                        int n = Interlocked.Increment(ref done);
                        OnProgress?.Invoke(new RecoveryProgress("Deleting temporary ports", n, ports.Count, $"{n} of {ports.Count} deleted"));
                    }
                    catch (Exception e)
                    {
                        lock (failed) failed.Add(p.Id);
                        _log.Verbose($"Could not delete temporary port {p.Id}: {e.Message}");
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }
            return failed.ToArray();
        }

        private async Task<(NeutronNetwork, Subnet)> FindSubnetAsync(string? network, RecoveryPlan plan, CancellationToken ct)
        {
            if (network != null)
            {
                NeutronNetwork? net = null;
                if (Guid.TryParse(network, out _)) net = await _neutron.Networks.GetAsync(network, ct).ConfigureAwait(false);
                if (net == null)
                {
                    var named = await _neutron.Networks.FindByNameAsync(network, ct).ConfigureAwait(false);
                    if (named.Count > 1)
                        throw Fail(AddressRecoveryFailure.NetworkAmbiguous, plan.IpAddress,
                            $"{named.Count} networks are named '{network}' ({string.Join(", ", named.Select(n => n.Id))}): give the id.");
                    net = named.FirstOrDefault();
                }
                if (net == null)
                    throw Fail(AddressRecoveryFailure.NetworkNotFound, plan.IpAddress, $"No network '{network}' is visible to this project.");
                var subnets = await _neutron.Networks.ListSubnetsAsync(net.Id, ct).ConfigureAwait(false);
                var subnet = subnets.FirstOrDefault(s => s.Contains(plan.Address));
                if (subnet == null)
                    throw Fail(AddressRecoveryFailure.NotInNetwork, plan.IpAddress,
                        $"{plan.IpAddress} is outside every subnet of network {net} ({(subnets.Count == 0 ? "it has none" : string.Join(", ", subnets.Select(s => s.Cidr)))}).");
                return (net, subnet);
            }
            var all = await _neutron.Networks.ListSubnetsAsync(null, ct).ConfigureAwait(false);
            var matching = all.Where(s => s.Contains(plan.Address)).ToList();
            if (matching.Count == 0)
                throw Fail(AddressRecoveryFailure.NotInNetwork, plan.IpAddress, $"No subnet visible to this project contains {plan.IpAddress}.");
            if (matching.Select(s => s.NetworkId).Distinct().Count() > 1)
                throw Fail(AddressRecoveryFailure.SubnetAmbiguous, plan.IpAddress,
                    $"Subnets of several networks contain {plan.IpAddress} ({string.Join(", ", matching.Select(s => s.Cidr + " on " + s.NetworkId))}): name the network with -Network.");
            var owner = await _neutron.Networks.GetAsync(matching[0].NetworkId, ct).ConfigureAwait(false)
                        ?? new NeutronNetwork { Id = matching[0].NetworkId };
            return (owner, matching[0]);
        }

        private static string NameFor(RecoveryPlan plan) => plan.Request.Name ?? "restored-" + plan.IpAddress;

        [return: NotNullIfNotNull("p")]
        private static Port? Annotate(Port? p, RecoveryPlan plan)
        {
            if (p != null) p.NetworkName = plan.Network.Name;
            return p;
        }

        private static AddressRecoveryException InUse(RecoveryPlan plan, Port holder)
            => new AddressRecoveryException(AddressRecoveryFailure.AddressInUse,
                $"{plan.IpAddress} is not lost: port {holder.Id}{(string.IsNullOrEmpty(holder.Name) ? "" : " (" + holder.Name + ")")} holds it" +
                (holder.IsFree ? ", attached to nothing. Attach that port (Connect-NetworkPort) instead of recovering the address."
                               : $", attached to {holder.DeviceOwner} {holder.DeviceId}."))
            { IpAddress = plan.IpAddress, Holder = holder };

        private static AddressRecoveryException NotObtainable(RecoveryPlan plan, int held)
            => Fail(AddressRecoveryFailure.NotObtainable, plan.IpAddress,
                $"Every free address of {plan.Subnet.Cidr} was drawn ({held} port(s)) and {plan.IpAddress} was not among them: " +
                "a port this project cannot see (another project's) holds it. An admin can find it with Get-NetworkPort -IPAddress.");

        private static AddressRecoveryException Fail(AddressRecoveryFailure failure, string ip, string message, Exception? inner = null)
            => new AddressRecoveryException(failure, message, inner) { IpAddress = ip };

        private sealed class Run
        {
            public Run(RecoveryPlan plan, string temporaryName)
            {
                Plan = plan;
                TemporaryName = temporaryName;
            }

            public RecoveryPlan Plan { get; }
            public string TemporaryName { get; }
            public List<Port> Created { get; } = new List<Port>();
            public HashSet<string> Deleted { get; } = new HashSet<string>();
            public Port? Returned { get; set; }
            public int CreateRequests { get; set; }
            private int _sequence;

            /// <summary>"ip-recovery-1a2b3c4d-7": the run's name and the create's number.</summary>
            public string NextName() => $"{TemporaryName}-{Interlocked.Increment(ref _sequence)}";

            public bool Owns(Port p) => p.Name != null && p.Name.StartsWith(TemporaryName + "-", StringComparison.Ordinal);
        }
    }
}
