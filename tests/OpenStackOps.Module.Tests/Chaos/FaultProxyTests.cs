using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using OpenStackOps.Module.Tests.Infrastructure;
using OpenStackOps.Module.Tests.Pipelines;
using OpenStackOps.Testing;
using Xunit;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// The chaos tier's fault proxy itself, in front of the loopback FakeCloud: it refuses anything but loopback,
    /// sends a client that authenticated through it through its faults (catalog rewrite), decides them from the
    /// seed reproducibly, and logs no secret.
    /// </summary>
    public class FaultProxyTests
    {
        private static string Dll => Path.Combine(ModulePaths.RepositoryRoot, "tools", "OpenStackOps.FaultProxy", "bin", "Release", "net10.0", "OpenStackOps.FaultProxy.dll");

        private static Process Start(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Dll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("--parent-pid");
            psi.ArgumentList.Add(Environment.ProcessId.ToString());
            return Process.Start(psi);
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        [Fact]
        public void ATargetOutsideLoopbackIsRefused()
        {
            using var p = Start("--route", "nova:18774:http://10.0.0.1:8774");
            Assert.True(p.WaitForExit(30_000));
            Assert.Equal(2, p.ExitCode);
            Assert.Contains("loopback", p.StandardError.ReadToEnd());
        }

        /// <summary>Runs Get-ComputeNode three times through a proxy with the seed; returns its fault log (time stripped).</summary>
        private static string[] RunThrough(int seed, out System.Collections.Generic.List<string> errors)
        {
            using var s = new FakeCloudSession();
            int keystone = FreePort(), nova = FreePort();
            string log = Path.GetTempFileName();
            using var p = Start("--seed", seed.ToString(), "--log", log, "--rates", "503=0.3,401=0.2,429=0.1", "--retry-after", "0",
                "--keystone", $"keystone:{keystone}:http://127.0.0.1:{s.Cloud.Port}", "--route", $"nova:{nova}:http://127.0.0.1:{s.Cloud.Port}");
            try
            {
                Assert.Equal("ready", p.StandardOutput.ReadLine());
                var connect = s.Host.Run($"Connect-OpenStack -AuthUrl 'http://127.0.0.1:{keystone}/identity/v3' -Credential $cred -ProjectName admin",
                    new System.Collections.Generic.Dictionary<string, object> { ["cred"] = FakeCloudSession.Credential("admin", FakeCloud.Password) });
                connect.ThrowOnErrors();
                errors = new System.Collections.Generic.List<string>();
                for (int i = 0; i < 3; i++)
                    errors.AddRange(s.Host.Run("Get-ComputeNode").AllErrors.Select(e => e.FullyQualifiedErrorId));
                // Every compute request went through the proxy's nova port: the fake saw them all, the proxy logged its faults.
                Assert.Contains(s.Cloud.RequestLines, l => l.StartsWith("GET /compute/v2.1/os-services"));
                return File.ReadAllLines(log).Select(l => l.Substring(l.IndexOf(' ') + 1)).ToArray();
            }
            finally
            {
                p.Kill();
                p.WaitForExit(5000);
                File.Delete(log);
            }
        }

        [Fact]
        public void FaultsComeFromTheSeedAndTheLogHoldsNoSecret()
        {
            var first = RunThrough(14, out var errors1);
            var again = RunThrough(14, out var errors2);
            var other = RunThrough(15, out _);
            Assert.NotEmpty(first);
            Assert.Equal(first, again);       // the same seed: the same faults on the same requests
            Assert.Equal(errors1, errors2);
            Assert.NotEqual(first, other);
            Assert.All(first, l => Assert.Matches(@"^nova (GET|PUT|POST|DELETE) /compute/v2\.1/\S* (503|401|429)", l));
            Assert.All(first.Concat(other), l => Assert.DoesNotContain(FakeCloud.Password, l));
            Assert.All(first.Concat(other), l => Assert.DoesNotContain("fake-token", l));
        }
    }
}
