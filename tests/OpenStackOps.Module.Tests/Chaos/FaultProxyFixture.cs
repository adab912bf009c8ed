using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OpenStackOps.Module.Tests.Infrastructure;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// The chaos tier's fault proxy (tools/OpenStackOps.FaultProxy), started by this fixture as a child process on
    /// free loopback ports in front of the devcloud's keystone, nova, neutron and cinder, and ended by its PID.
    /// <see cref="CloudsYaml"/> is the devcloud's clouds.yaml with auth_url pointed at the proxy: a session connected
    /// with it authenticates through the proxy, whose catalog rewrite sends every API request through the faults.
    /// The tests check what happened with the devcloud's own clouds.yaml, the openstack CLI and nova's database,
    /// which do not go through the proxy.
    /// </summary>
    public sealed class FaultProxyFixture : IDisposable
    {
        /// <summary>Issue #14's rates: 15% 503, 8% resets (half after nova did the work), 5% 401, 3% 429, 10% slow.</summary>
        public const string Rates = "503=0.15,reset-before=0.04,reset-after=0.04,401=0.05,429=0.03,latency=0.10";
        public const int Seed = 14;
        private readonly Process _proxy;

        public FaultProxyFixture()
        {
            Cloud.RequireUp();
            Directory = Path.Combine(Path.GetTempPath(), "osops-chaos-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            System.IO.Directory.CreateDirectory(Directory);
            LogPath = Path.Combine(Directory, "faults.log");
            int keystone = FreePort(), nova = FreePort(), neutron = FreePort(), cinder = FreePort();
            string dll = Path.Combine(ModulePaths.RepositoryRoot, "tools", "OpenStackOps.FaultProxy", "bin", "Release", "net10.0", "OpenStackOps.FaultProxy.dll");
            if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution (dotnet build OpenStackOps.sln -c Release).");
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                dll, "--seed", Seed.ToString(), "--log", LogPath, "--retry-after", "1", "--latency-ms", "50-400",
                "--parent-pid", Environment.ProcessId.ToString(), "--rates", Rates,
                "--keystone", $"keystone:{keystone}:http://127.0.0.1:5000",
                "--route", $"nova:{nova}:http://127.0.0.1:8774",
                "--route", $"neutron:{neutron}:http://127.0.0.1:9696",
                "--route", $"cinder:{cinder}:http://127.0.0.1:8776",
            }) psi.ArgumentList.Add(a);
            _proxy = Process.Start(psi);
            string first = _proxy.StandardOutput.ReadLine();
            if (first != "ready")
            {
                Stop();
                throw new InvalidOperationException("the fault proxy did not start: " + first + " " + _proxy.StandardError.ReadToEnd());
            }
            CloudsYaml = Path.Combine(Directory, "clouds.yaml");
            File.WriteAllText(CloudsYaml, File.ReadAllText(Cloud.CloudsYaml).Replace("http://127.0.0.1:5000/", $"http://127.0.0.1:{keystone}/"));
        }

        public string Directory { get; }
        public string CloudsYaml { get; }
        public string LogPath { get; }

        /// <summary>Connects the runspace's default session through the proxy.</summary>
        public string ConnectScript => $"Connect-OpenStack -Cloud devcloud -CloudsYamlPath '{CloudsYaml}'";

        /// <summary>The faults injected so far, by kind ("503 (not forwarded)" -> count), for the report.</summary>
        public string FaultCounts()
        {
            if (!File.Exists(LogPath)) return "none";
            var kinds = File.ReadAllLines(LogPath).Select(l => l.Split(' ')).Where(p => p.Length >= 5 && p[1] != "summary")
                .GroupBy(p => p[1] + " " + p[4]).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
            return string.Join(", ", kinds);
        }

        /// <summary>The log's lines so far (method, path, fault: no header, no body).</summary>
        public string[] LogLines() => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : Array.Empty<string>();

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private void Stop()
        {
            // Only the process this fixture started, by its PID.
            try { if (!_proxy.HasExited) { _proxy.Kill(); _proxy.WaitForExit(5000); } } catch (InvalidOperationException) { }
        }

        public void Dispose()
        {
            Stop();
            _proxy.Dispose();
            // The fault log (no secrets) joins the run's results; the directory goes, with its clouds.yaml (it holds the password).
            try
            {
                string results = Path.Combine(ModulePaths.RepositoryRoot, "out", "test-results");
                System.IO.Directory.CreateDirectory(results);
                if (File.Exists(LogPath)) File.AppendAllLines(Path.Combine(results, "chaos-faults.log"), File.ReadAllLines(LogPath));
            }
            catch (IOException) { }
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }
}
