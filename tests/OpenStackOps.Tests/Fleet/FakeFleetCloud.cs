using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;
using OpenStackOps.Maintenance.Fleet;
using OpenStackOps.Placement;
using OpenStackOps.Tests.Migrations;

namespace OpenStackOps.Tests.Fleet
{
    /// <summary>
    /// The fleet run's reads and node changes over a <see cref="FakeNova"/>'s servers, in memory, on its virtual clock:
    /// placement's usage is the sum of the servers on each host (1 vCPU each, their RAM and disk). Every operation
    /// counts the API calls the real <see cref="NovaFleetCloud"/> sends for it (services, hypervisors, providers,
    /// 2 per node, server pages of 1000, group pages) and takes their latency from the virtual clock.
    /// </summary>
    public sealed class FakeFleetCloud : IFleetCloud, IFleetNodeWork
    {
        private readonly FakeNova _nova;
        private readonly VirtualClock _clock;

        public FakeFleetCloud(FakeNova nova, VirtualClock clock)
        {
            _nova = nova;
            _clock = clock;
        }

        public sealed class Node
        {
            public string Host;
            public string Zone = "nova";
            public int Vcpus = 32;
            public int RamMb = 65536;
            public int DiskGb = 1000;
            public string Status = "enabled";
            public string Reason;
            public bool Up = true;
        }

        public List<Node> Nodes { get; } = new List<Node>();
        public List<ServerGroup> Groups { get; } = new List<ServerGroup>();
        public TimeSpan Latency { get; set; } = TimeSpan.Zero;
        /// <summary>Calls a real cloud would have answered, by kind: read, disable, enable, list, get.</summary>
        public Dictionary<string, int> Calls { get; } = new Dictionary<string, int>();
        public List<string> Log { get; } = new List<string>();

        public TimeSpan MaintenanceTime { get; set; } = TimeSpan.FromMinutes(10);
        public bool HasMaintenance { get; set; } = true;
        public Func<string, Task> OnMaintain { get; set; }
        public Func<string, FleetNodeCheck> OnCheck { get; set; }

        public Node Add(string host, Action<Node> configure = null)
        {
            var n = new Node { Host = host };
            configure?.Invoke(n);
            Nodes.Add(n);
            return n;
        }

        private void Count(string kind, int calls)
        {
            lock (Calls) Calls[kind] = (Calls.TryGetValue(kind, out int c) ? c : 0) + calls;
            if (Latency > TimeSpan.Zero) _clock.Advance(TimeSpan.FromTicks(Latency.Ticks * calls));
        }

        public int TotalCalls { get { lock (Calls) return Calls.Values.Sum(); } }

        public Task<FleetSnapshot> ReadAsync(CancellationToken ct)
        {
            var servers = _nova.Servers.Values.Where(s => !s.Deleted).Select(s => _nova.ServerObject(s.Id)).ToList();
            Count("read", 3 + 2 * Nodes.Count + Math.Max(1, (servers.Count + 999) / 1000) + 1);
            var hosts = Nodes.Select(n =>
            {
                var on = servers.Where(s => string.Equals(s.Host, n.Host, StringComparison.OrdinalIgnoreCase)).ToList();
                return new FleetHost
                {
                    Host = n.Host, Zone = n.Zone, Enabled = n.Status == "enabled", Up = n.Up,
                    Resources = new[]
                    {
                        new ResourceCapacity { ResourceClass = "VCPU", Total = n.Vcpus, Used = on.Sum(s => (long)(s.FlavorVcpus ?? 1)) },
                        new ResourceCapacity { ResourceClass = "MEMORY_MB", Total = n.RamMb, Used = on.Sum(s => (long)(s.FlavorRamMb ?? 0)) },
                        new ResourceCapacity { ResourceClass = "DISK_GB", Total = n.DiskGb, Used = on.Sum(s => (long)(s.FlavorDiskGb ?? 0)) },
                    },
                };
            }).ToList();
            return Task.FromResult(new FleetSnapshot { Hosts = hosts, Servers = servers, Groups = Groups.ToList() });
        }

        public Task DisableAsync(string host, string reason, CancellationToken ct)
        {
            Count("disable", 1);
            var n = Nodes.Single(x => x.Host == host);
            n.Status = "disabled";
            n.Reason = reason;
            lock (Log) Log.Add($"{_clock.Elapsed:0} disable {host}");
            return Task.CompletedTask;
        }

        public Task EnableAsync(string host, CancellationToken ct)
        {
            Count("enable", 1);
            var n = Nodes.Single(x => x.Host == host);
            n.Status = "enabled";
            n.Reason = null;
            lock (Log) Log.Add($"{_clock.Elapsed:0} enable {host}");
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<Server>> ListServersOnAsync(string host, CancellationToken ct)
        {
            Count("list", 1);
            IReadOnlyList<Server> on = _nova.Servers.Values.Where(s => !s.Deleted && string.Equals(s.Host, host, StringComparison.OrdinalIgnoreCase))
                .Select(s => _nova.ServerObject(s.Id)).ToList();
            return Task.FromResult(on);
        }

        public Task<Server> GetServerAsync(string id, CancellationToken ct)
        {
            Count("get", 1);
            return Task.FromResult(_nova.ServerObject(id));
        }

        public async Task MaintainAsync(string host, CancellationToken ct)
        {
            lock (Log) Log.Add($"{_clock.Elapsed:0} maintain {host}");
            if (OnMaintain != null) await OnMaintain(host);
            await _clock.DelayAsync(MaintenanceTime, ct);
        }

        public Task<FleetNodeCheck> CheckAsync(string host, CancellationToken ct)
        {
            Count("check", 1);
            lock (Log) Log.Add($"{_clock.Elapsed:0} check {host}");
            return Task.FromResult(OnCheck?.Invoke(host) ?? FleetNodeCheck.Ok());
        }
    }

    /// <summary>Collects a run's events.</summary>
    public sealed class FleetEventLog : IFleetObserver
    {
        public List<FleetEvent> Events { get; } = new List<FleetEvent>();
        public List<string> Messages { get; } = new List<string>();
        public List<(int wave, DrainProgress progress)> Progress { get; } = new List<(int, DrainProgress)>();

        public void OnEvent(FleetEvent e) { lock (Events) Events.Add(e); }
        public void OnMessage(string message) { lock (Messages) Messages.Add(message); }
        public void OnDrainProgress(int wave, DrainProgress progress) { lock (Progress) Progress.Add((wave, progress)); }
    }
}
