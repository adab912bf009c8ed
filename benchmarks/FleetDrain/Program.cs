// A rolling drain of N servers from N/10 hosts through the engine (what Move-ServerLive runs), against the engine
// tests' fake nova on a virtual clock:  FleetDrain <N> [throttle=10] [per-host=2] [latency-ms=40]
// Prints one tab-separated line of per-server figures (header with --header). benchmarks/fleet-drain.sh runs it
// once per N, each in a fresh process so peak memory is that N's own.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;

if (args.Contains("--fleet-header"))
{
    Console.WriteLine(FleetMaintenanceBench.Header);
    return;
}
if (args.Length > 0 && args[0] == "--fleet")
{
    // Rolling maintenance of a whole fleet, N nodes at a time: FleetDrain --fleet N [hosts] [servers] [latency-ms]
    int nodesOut = int.Parse(args[1]);
    int hostCount = args.Length > 2 ? int.Parse(args[2]) : 50;
    int serverCount = args.Length > 3 ? int.Parse(args[3]) : 1000;
    var fleetLatency = TimeSpan.FromMilliseconds(args.Length > 4 ? int.Parse(args[4]) : 40);
    await FleetMaintenanceBench.RunAsync(1, 5, 50, fleetLatency); // warm-up, not reported
    Console.WriteLine(await FleetMaintenanceBench.RunAsync(nodesOut, hostCount, serverCount, fleetLatency));
    return;
}
if (args.Contains("--header"))
{
    Console.WriteLine(Metrics.Header);
    return;
}
int n = int.Parse(args[0]);
int throttle = args.Length > 1 ? int.Parse(args[1]) : 10;
int perHost = args.Length > 2 ? int.Parse(args[2]) : 2;
var latency = TimeSpan.FromMilliseconds(args.Length > 3 ? int.Parse(args[3]) : 40);

await Drain.RunAsync(50, throttle, perHost, latency); // warm-up: JIT and tiering, not reported
var metrics = await Drain.RunAsync(n, throttle, perHost, latency);
Console.WriteLine(metrics);

internal static class Drain
{
    internal static async Task<Metrics> RunAsync(int n, int throttle, int perHost, TimeSpan latency)
    {
        var m = new Metrics { N = n, Hosts = n / 10 };
        var results = await DrainAsync(n, throttle, perHost, latency, m);
        m.Completed = results.Count(r => r.Outcome == MigrationOutcome.Completed);
        m.RolledBack = results.Count(r => r.Outcome == MigrationOutcome.RolledBack);
        m.Other = results.Count - m.Completed - m.RolledBack;
        m.PeakWorkingSetBytes = PeakWorkingSet();
        return m;
    }

    private static async Task<IReadOnlyList<MigrationResult>> DrainAsync(int n, int throttle, int perHost, TimeSpan latency, Metrics m)
    {
        var clock = new VirtualClock();
        var nova = new FakeNova(clock) { Latency = latency };
        var meter = new FakeMeter { InnerHandler = nova };
        var calls = new ApiCallCounter();
        var http = new ServiceClient("compute", new Uri(NovaFixture.Endpoint), new HttpClient(meter), new StaticTokenSource("tok-1"),
            NullApiLog.Instance, calls, MicroversionHeader.Compute);
        var engine = new LiveMigrationEngine(new ComputeClient(http), clock);

        // The cloud's history: earlier moves the engine must not take for its own.
        var rng = new Random(20261206);
        for (int i = 0; i < 20; i++)
            nova.AddHistory($"old-{i}", "h0000.example.com", "spare-1.example.com", "completed", TimeSpan.FromHours(1 + i));
        var requests = new List<MigrationRequest>();
        for (int h = 1; h <= m.Hosts; h++)
        {
            string host = $"h{h:D4}.example.com";
            for (int k = 1; k <= 10; k++)
            {
                string id = $"00000000-0000-4000-8000-{requests.Count + 1:D12}";
                nova.AddServer(id, $"vm-{h}-{k}", host);
                // Live migrations of small guests take 20-60 s; one in fifty fails and is rolled back.
                nova.Script(id, new MigrationScript
                {
                    Duration = TimeSpan.FromSeconds(20 + rng.Next(41)),
                    Outcome = requests.Count % 50 == 49 ? ScriptOutcome.RollBack : ScriptOutcome.Complete,
                    Destination = $"spare-{requests.Count % 5}.example.com",
                });
                requests.Add(new MigrationRequest(nova.ServerObject(id), null));
            }
        }

        var events = new MigrationEventQueue();
        var options = new MigrationOptions { ThrottleLimit = throttle, ThrottleLimitPerHost = perHost };
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var wall = Stopwatch.StartNew();

        // As Get-NodeServer h0001, h0002, ... | Move-ServerLive: the servers arrive host by host; the cmdlet's
        // pipeline thread takes the events (results, progress, messages) as they come.
        var run = engine.Start(options, events, CancellationToken.None);
        foreach (var r in requests) run.Add(r);
        run.Complete();
        long eventCount = 0;
        while (!run.Completion.IsCompleted)
        {
            while (events.TryDequeue(out _)) eventCount++;
            await Task.Delay(5);
        }
        var results = await run.Completion;
        while (events.TryDequeue(out _)) eventCount++;

        wall.Stop();
        process.Refresh();
        double processCpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        m.WallSeconds = wall.Elapsed.TotalSeconds;
        m.VirtualHours = clock.Elapsed / 3600;
        m.Calls = calls.Count;
        m.Posts = nova.Requests.Count(r => r.Method == "POST");
        m.MigrationLists = nova.Requests.Count(r => r.Uri.AbsolutePath == "/v2.1/os-migrations");
        m.ServerReads = nova.Requests.Count(r => r.Method == "GET" && r.Uri.AbsolutePath.StartsWith("/v2.1/servers", StringComparison.Ordinal)
                                                 && !r.Uri.AbsolutePath.Contains("os-instance-actions"));
        m.BytesReceived = meter.BytesReceived;
        m.FakeCpuMs = meter.CpuNs / 1e6;
        m.ModuleCpuMs = processCpuMs - m.FakeCpuMs;
        m.ModuleAllocatedBytes = allocated - meter.AllocatedBytes;
        m.AsyncFakeAnswers = meter.AsyncAnswers;
        m.Events = eventCount;
        return results;
    }

    /// <summary>VmHWM: the process's peak resident set (Linux).</summary>
    private static long PeakWorkingSet()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}

/// <summary>
/// Between the module's HttpClient and the fake: what the fake itself costs (CPU of the calling thread, bytes it
/// allocated), so it can be taken out of the process's figures, and the bytes of every answer the module parsed.
/// The fake answers synchronously; an answer that did not is counted, not measured.
/// </summary>
internal sealed class FakeMeter : DelegatingHandler
{
    internal long CpuNs;
    internal long AllocatedBytes;
    internal long BytesReceived;
    internal int AsyncAnswers;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        long cpu = ThreadCpu.Nanoseconds();
        long alloc = GC.GetAllocatedBytesForCurrentThread();
        var answer = base.SendAsync(request, ct);
        if (answer.IsCompleted)
        {
            Interlocked.Add(ref CpuNs, ThreadCpu.Nanoseconds() - cpu);
            Interlocked.Add(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - alloc);
            if (answer.Status == TaskStatus.RanToCompletion)
                Interlocked.Add(ref BytesReceived, answer.Result.Content.Headers.ContentLength ?? 0);
        }
        else Interlocked.Increment(ref AsyncAnswers);
        return answer;
    }
}

internal static class ThreadCpu
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec value);

    private const int ClockThreadCpuTime = 3;

    internal static long Nanoseconds() => ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
}

internal sealed class Metrics
{
    public int N, Hosts, Completed, RolledBack, Other, AsyncFakeAnswers;
    public long Calls, Posts, MigrationLists, ServerReads, BytesReceived, ModuleAllocatedBytes, PeakWorkingSetBytes, Events;
    public double WallSeconds, VirtualHours, FakeCpuMs, ModuleCpuMs;

    public static string Header => string.Join("\t", "servers", "hosts", "calls/srv", "POST/srv", "mig-lists/srv", "srv-reads/srv",
        "KB-recv/srv", "module-CPU-ms/srv", "fake-CPU-ms/srv", "module-alloc-KB/srv", "peak-WS-MB",
        "drain-h(virtual)", "wall-s", "completed", "rolled-back", "other", "async-answers");

    public override string ToString() => string.Join("\t", N, Hosts, Per(Calls, 2), Per(Posts, 2), Per(MigrationLists, 2), Per(ServerReads, 2),
        Per(BytesReceived / 1024.0, 1), Per(ModuleCpuMs, 3), Per(FakeCpuMs, 3), Per(ModuleAllocatedBytes / 1024.0, 1),
        (PeakWorkingSetBytes / 1048576.0).ToString("F0"), VirtualHours.ToString("F2"), WallSeconds.ToString("F1"), Completed, RolledBack, Other, AsyncFakeAnswers);

    private string Per(double total, int decimals) => (total / N).ToString("F" + decimals);
}
