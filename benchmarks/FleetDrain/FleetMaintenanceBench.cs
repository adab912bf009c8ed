// FleetDrain --fleet <N> [hosts=50] [servers=1000] [latency-ms=40]: a whole fleet's rolling maintenance through
// FleetMaintenanceRunner (what Invoke-FleetMaintenance runs), at most N nodes out at once, against the engine tests'
// fake nova (live migrations over HTTP, 20-60 s each, one in fifty rolled back) and FakeFleetCloud (placement, services
// and server groups in memory, each operation counted as the API calls the real NovaFleetCloud sends and charged
// their latency), on a virtual clock. Each node's maintenance takes 10 virtual minutes, a wave's nodes at once.
// Prints one tab-separated line (header with --fleet-header).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Compute.ServerGroups;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using OpenStackOps.Maintenance.Fleet;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Fleet;
using OpenStackOps.Tests.Migrations;

internal static class FleetMaintenanceBench
{
    internal const string Header = "N\thosts\tservers\twaves\tvirtual-h\tdrain-h\tnova-calls/srv\tother-calls/srv\tcalls/srv\tmoves/srv\tper-host-slot-busy(mean)\t(min wave)\tmax-per-host\tcompleted\trolled-back\tnodes-done\tfailed\twall-s";

    internal static async Task<string> RunAsync(int n, int hostCount, int serverCount, TimeSpan latency)
    {
        var clock = new VirtualClock();
        var nova = new FakeNova(clock) { Latency = latency };
        var calls = new ApiCallCounter();
        var http = new ServiceClient("compute", new Uri(NovaFixture.Endpoint), new HttpClient(nova), new StaticTokenSource("tok-1"),
            NullApiLog.Instance, calls, MicroversionHeader.Compute);
        var compute = new ComputeClient(http);
        var cloud = new FakeFleetCloud(nova, clock) { Latency = latency };
        var rng = new Random(20261207);
        for (int h = 1; h <= hostCount; h++) cloud.Add($"h{h:D3}", x => { x.Vcpus = 64; x.RamMb = 98304; x.DiskGb = 2000; });
        var ids = new List<string>();
        for (int i = 0; i < serverCount; i++)
        {
            string id = $"00000000-0000-4000-8000-{i + 1:D12}";
            nova.AddServer(id, $"vm-{i + 1}", $"h{i % hostCount + 1:D3}", s => { s.RamMb = 1024 * rng.Next(1, 5); s.DiskGb = 20; });
            ids.Add(id);
        }
        // Twenty anti-affinity groups of three, members on three different hosts.
        for (int g = 0; g < 20; g++)
            cloud.Groups.Add(new ServerGroup { Id = "g" + g, Name = "aa" + g, Policy = "anti-affinity", Members = new[] { ids[g], ids[g + hostCount], ids[g + 2 * hostCount] } });
        // Every live migration: 20-60 s, one in fifty rolled back. A script is used by one move: each move of a server
        // (a second one, a move back) gets a fresh one as soon as the last is taken.
        int scripted = 0;
        MigrationScript Next() { lock (rng) return new MigrationScript { Duration = TimeSpan.FromSeconds(20 + rng.Next(41)), Outcome = scripted++ % 50 == 49 ? ScriptOutcome.RollBack : ScriptOutcome.Complete }; }
        foreach (var id in ids) nova.Script(id, Next());
        nova.OnRequest = r =>
        {
            if (r.Method == "POST" && r.Body != null && r.Body.Contains("os-migrateLive")) nova.Script(r.Uri.AbsolutePath.Split('/')[3], Next());
        };

        var work = new WaveMaintenance(clock, TimeSpan.FromMinutes(10));
        var log = new FleetEventLog();
        var runner = new FleetMaintenanceRunner(compute, cloud, work, log, clock);
        var options = new FleetRunOptions { Reason = "bench", MaxNodesOut = n, MigrationsPerNode = 1, ContinueOnNodeFailure = true };
        var hosts = cloud.Nodes.Select(x => x.Host).ToList();
        var wall = Stopwatch.StartNew();
        var summary = await runner.RunAsync(hosts, options, null, CancellationToken.None);
        wall.Stop();

        // How busy each draining node's one migration slot was during its drain: the time a migration of it ran over the
        // time from its first move's start to its last move's end, per node and wave (1.0 = a new move began the instant
        // the last one ended).
        var lives = nova.Migrations.Where(m => m.Type == "live-migration" && m.EndAt.HasValue).ToList();
        var busy = new List<(int wave, double ratio)>();
        int maxPerHost = 0;
        foreach (var g in lives.GroupBy(m => m.Source))
        {
            var ordered = g.OrderBy(m => m.Start).ToList();
            // Split a node's moves into its drains: a gap longer than 5 minutes is another drain (a move-back, say).
            var chunk = new List<FakeMigration>();
            void Flush()
            {
                if (chunk.Count < 2) { chunk.Clear(); return; }
                double window = (chunk.Max(m => m.EndAt.Value) - chunk.Min(m => m.Start)).TotalSeconds;
                double used = chunk.Sum(m => (m.EndAt.Value - m.Start).TotalSeconds);
                busy.Add((0, used / window));
                chunk.Clear();
            }
            foreach (var m in ordered)
            {
                if (chunk.Count > 0 && (m.Start - chunk.Max(x => x.EndAt.Value)).TotalMinutes > 5) Flush();
                chunk.Add(m);
                int overlapping = ordered.Count(x => x.Start < m.EndAt.Value && x.EndAt.Value > m.Start);
                maxPerHost = Math.Max(maxPerHost, overlapping);
            }
            Flush();
        }
        double drainSeconds = 0;
        // Drain time: the union of intervals in which some live migration ran.
        DateTimeOffset? curStart = null, curEnd = null;
        foreach (var m in lives.OrderBy(m => m.Start))
        {
            if (curEnd == null || m.Start > curEnd) { if (curEnd != null) drainSeconds += (curEnd.Value - curStart.Value).TotalSeconds; curStart = m.Start; curEnd = m.EndAt; }
            else if (m.EndAt > curEnd) curEnd = m.EndAt;
        }
        if (curEnd != null) drainSeconds += (curEnd.Value - curStart.Value).TotalSeconds;

        int servers = serverCount;
        double novaCalls = calls.Count, other = cloud.TotalCalls;
        return string.Join("\t", n, hostCount, servers, summary.Waves, (clock.Elapsed / 3600).ToString("F2"), (drainSeconds / 3600).ToString("F2"),
            (novaCalls / servers).ToString("F2"), (other / servers).ToString("F2"), ((novaCalls + other) / servers).ToString("F2"),
            ((double)lives.Count / servers).ToString("F2"), busy.Count == 0 ? "-" : busy.Average(b => b.ratio).ToString("F3"),
            busy.Count == 0 ? "-" : busy.Min(b => b.ratio).ToString("F3"), maxPerHost,
            summary.ServersMoved, summary.ServersNotMoved, summary.NodesDone, summary.NodesFailed, wall.Elapsed.TotalSeconds.ToString("F1"));
    }

    /// <summary>Each node's maintenance takes the same virtual time; a wave's nodes are worked on at once.</summary>
    private sealed class WaveMaintenance : IFleetNodeWork
    {
        private readonly VirtualClock _clock;
        private readonly TimeSpan _time;

        public WaveMaintenance(VirtualClock clock, TimeSpan time)
        {
            _clock = clock;
            _time = time;
        }

        public bool HasMaintenance => true;

        public async Task MaintainAsync(string host, CancellationToken ct)
        {
            var start = _clock.UtcNow;
            await Task.Yield(); // every node of the wave starts before any of them finishes
            var end = start + _time;
            var wait = end - _clock.UtcNow;
            if (wait > TimeSpan.Zero) _clock.Advance(wait);
        }

        public Task<FleetNodeCheck> CheckAsync(string host, CancellationToken ct) => Task.FromResult(FleetNodeCheck.Ok());
    }
}
