using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using OpenStackOps.Node.Shell;
using OpenStackOps.Swift;

namespace OpenStackOps.Tests.Swift
{
    /// <summary>
    /// Real Swift rings in a temp directory, built with the real swift-ring-builder (Debian's swift package): a ring
    /// host directory with account/container/object builders, and one directory per node (s01..s03, proxy) holding
    /// the ring files as /etc/swift would. Each storage node sN has the IP 127.0.0.1N and, by default, two devices;
    /// 64 partitions. swift-ring-builder starts python and swift (about half a second of CPU a call): the engine's calls
    /// are the ones under test, the bed's own reads and set-up go through swift's RingBuilder in one python process.
    /// </summary>
    public sealed class SwiftRingTestBed : IDisposable
    {
        public const string Tool = "/usr/bin/swift-ring-builder";

        public SwiftRingTestBed(int nodes = 3, int devicesPerNode = 2, int replicas = 3, int minPartHours = 0)
        {
            Root = Path.Combine(Path.GetTempPath(), "osops-swift-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            HostDir = Path.Combine(Root, "ringhost");
            Directory.CreateDirectory(HostDir);
            HostShell = new LocalNodeShell("ringhost.example.com");
            Host = new SwiftRingHost(HostShell, HostDir) { Program = Tool };
            // Each shape of rings is built once per test run (one python process) and copied.
            string template = Templates.GetOrAdd($"{nodes}-{devicesPerNode}-{replicas}-{minPartHours}", _ => BuildTemplate(nodes, devicesPerNode, replicas, minPartHours));
            foreach (var f in Directory.GetFiles(template)) File.Copy(f, Path.Combine(HostDir, Path.GetFileName(f)));
            foreach (var name in new[] { "s01", "s02", "s03", "proxy" }.Take(nodes).Append("proxy").Distinct())
            {
                string dir = Path.Combine(Root, name);
                Directory.CreateDirectory(dir);
                foreach (var ring in SwiftRingHost.RingNames) File.Copy(Path.Combine(HostDir, ring + ".ring.gz"), Path.Combine(dir, ring + ".ring.gz"));
                Shells[name] = new LocalNodeShell(name + ".example.com");
                Targets.Add(new SwiftRingTarget(Shells[name], dir));
            }
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Templates = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();

        // Each shape is built in one python process with swift's own RingBuilder (what `swift-ring-builder X.builder create
        // 6 3 MPH`, `add --region 1 --zone N --ip .. --port .. --replication-ip .. --replication-port .. --device dD
        // --weight W --meta ..` and `rebalance` do): 21 CLI calls took ~25 s on this machine, this takes about one.
        private const string BuildScript = @"
import os, sys
from swift.common.ring import RingBuilder
d, nodes, devs, replicas, mph = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
for ring, port in (('account', 6202), ('container', 6201), ('object', 6200)):
    b = RingBuilder(6, replicas, mph)
    for n in range(1, nodes + 1):
        for k in range(1, devs + 1):
            b.add_dev({'region': 1, 'zone': n, 'ip': '127.0.0.1%d' % n, 'port': port, 'replication_ip': '127.0.1.1%d' % n,
                       'replication_port': int('62%d0' % n), 'device': 'd%d' % k, 'weight': float(100 + k), 'meta': 's0%d disk %d' % (n, k)})
    b.rebalance()
    b.save(os.path.join(d, ring + '.builder'))
    b.get_ring().save(os.path.join(d, ring + '.ring.gz'))
";

        private static string BuildTemplate(int nodes, int devicesPerNode, int replicas, int minPartHours)
        {
            string dir = Path.Combine(Path.GetTempPath(), "osops-swift-template-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            AppDomain.CurrentDomain.ProcessExit += (s, e) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
            Python(BuildScript, dir, nodes.ToString(CultureInfo.InvariantCulture), devicesPerNode.ToString(CultureInfo.InvariantCulture),
                replicas.ToString(CultureInfo.InvariantCulture), minPartHours.ToString(CultureInfo.InvariantCulture));
            return dir;
        }

        /// <summary>Runs a python script with swift's modules (Debian's python3-swift); returns its output, throws on failure.</summary>
        public static string Python(string script, params string[] args)
        {
            var words = new List<string> { "/usr/bin/python3", "-c", script };
            words.AddRange(args);
            var r = new LocalNodeShell("python").RunAsync(NodeCommand.Root(words.ToArray()), CancellationToken.None).GetAwaiter().GetResult();
            if (r.ExitCode != 0) throw new InvalidOperationException($"python: exit {r.ExitCode}: {r.StandardOutput}{r.StandardError}");
            return r.StandardOutput;
        }

        private const string DevicesScript = @"
import os, sys
from swift.common.ring import RingBuilder
for ring in ('account', 'container', 'object'):
    b = RingBuilder.load(os.path.join(sys.argv[1], ring + '.builder'))
    for dev in b.devs:
        if dev is not None:
            print('%s|%d|%d|%s|%d|%s|%d|%s|%.2f|%s|%d' % (ring, dev['region'], dev['zone'], dev['ip'], dev['port'], dev['replication_ip'],
                  dev['replication_port'], dev['device'], dev['weight'], dev['meta'], dev['parts']))
";

        /// <summary>
        /// Every device of the ring host's three builders as swift's RingBuilder loads them (not through the engine's parser):
        /// "ring|region|zone|ip|port|replication ip|replication port|device|weight|meta", sorted; and each one's partitions.
        /// </summary>
        public (string[] keys, Dictionary<string, int> partitions) Devices()
        {
            var lines = Python(DevicesScript, HostDir).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var parts = lines.ToDictionary(l => l.Substring(0, l.LastIndexOf('|')), l => int.Parse(l.Substring(l.LastIndexOf('|') + 1), CultureInfo.InvariantCulture));
            return (parts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), parts);
        }

        /// <summary>`swift-ring-builder X.builder pretend_min_part_hours_passed` for the three builders, in one python process.</summary>
        public void PretendMinPartHoursPassed()
            => Python(@"
import os, sys
from swift.common.ring import RingBuilder
for ring in ('account', 'container', 'object'):
    p = os.path.join(sys.argv[1], ring + '.builder')
    b = RingBuilder.load(p)
    b.pretend_min_part_hours_passed()
    b.save(p)
", HostDir);

        public string Root { get; }
        public string HostDir { get; }
        public LocalNodeShell HostShell { get; }
        public SwiftRingHost Host { get; }
        public Dictionary<string, LocalNodeShell> Shells { get; } = new Dictionary<string, LocalNodeShell>();
        public List<SwiftRingTarget> Targets { get; } = new List<SwiftRingTarget>();
        public string JournalPath => Path.Combine(Root, "journal.json");

        public static string Ip(int node) => "127.0.0.1" + node;
        private static string PortOf(string ring) => ring == "account" ? "6202" : ring == "container" ? "6201" : "6200";

        /// <summary>Runs swift-ring-builder on a builder of the ring host; returns its output, throws on exit 2.</summary>
        public string Run(string ring, params string[] args)
        {
            var words = new List<string> { Tool, Path.Combine(HostDir, ring + ".builder") };
            words.AddRange(args);
            var r = HostShell.RunAsync(NodeCommand.Root(words.ToArray()), CancellationToken.None).GetAwaiter().GetResult();
            if (r.ExitCode >= 2) throw new InvalidOperationException($"{r.CommandLine}: exit {r.ExitCode}: {r.StandardOutput}{r.StandardError}");
            return r.StandardOutput;
        }

        public string Describe(string ring) => Run(ring);

        /// <summary>MD5 of every file of the ring host's builders and ring files and every node's ring files.</summary>
        public Dictionary<string, string> Fingerprint()
        {
            var map = new Dictionary<string, string>();
            foreach (var f in Directory.GetFiles(HostDir, "*.builder").Concat(Directory.GetFiles(HostDir, "*.ring.gz")))
                map["ringhost/" + Path.GetFileName(f)] = Md5(f);
            foreach (var t in Targets)
                foreach (var f in Directory.GetFiles(t.Directory))
                    map[Path.GetFileName(t.Directory) + "/" + Path.GetFileName(f)] = Md5(f);
            return map;
        }

        public static string Md5(string file)
        {
            using (var md5 = MD5.Create()) return string.Concat(md5.ComputeHash(File.ReadAllBytes(file)).Select(b => b.ToString("x2")));
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }
}
