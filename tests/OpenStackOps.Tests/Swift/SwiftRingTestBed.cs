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
    /// the ring files as /etc/swift would. Each storage node sN has the IP 127.0.0.1N and, by default, two devices.
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
            // swift-ring-builder takes about a second a call here: each shape of rings is built once per test run and copied.
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

        private static string BuildTemplate(int nodes, int devicesPerNode, int replicas, int minPartHours)
        {
            string dir = Path.Combine(Path.GetTempPath(), "osops-swift-template-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            AppDomain.CurrentDomain.ProcessExit += (s, e) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
            var shell = new LocalNodeShell("template");
            void Run(string ring, params string[] args)
            {
                var words = new List<string> { Tool, Path.Combine(dir, ring + ".builder") };
                words.AddRange(args);
                var r = shell.RunAsync(NodeCommand.Root(words.ToArray()), CancellationToken.None).GetAwaiter().GetResult();
                if (r.ExitCode >= 2) throw new InvalidOperationException($"{r.CommandLine}: exit {r.ExitCode}: {r.StandardOutput}{r.StandardError}");
            }
            foreach (var ring in SwiftRingHost.RingNames)
            {
                Run(ring, "create", "8", replicas.ToString(CultureInfo.InvariantCulture), minPartHours.ToString(CultureInfo.InvariantCulture));
                for (int n = 1; n <= nodes; n++)
                    for (int d = 1; d <= devicesPerNode; d++)
                        Run(ring, "add", "--region", "1", "--zone", n.ToString(CultureInfo.InvariantCulture), "--ip", Ip(n), "--port", PortOf(ring),
                            "--replication-ip", "127.0.1.1" + n, "--replication-port", "62" + n + "0", "--device", "d" + d, "--weight", (100 + d).ToString(CultureInfo.InvariantCulture),
                            "--meta", $"s0{n} disk {d}");
                Run(ring, "rebalance");
            }
            return dir;
        }

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
