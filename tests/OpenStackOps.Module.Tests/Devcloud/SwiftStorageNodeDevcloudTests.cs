using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// The devcloud's real Swift (tools/devcloud/swift.sh: proxy on 127.0.0.1:8080 in ctl01, ring host ctl01's
    /// /etc/swift, storage nodes s01-s03 with ring IPs 127.0.0.11-13, 3 replicas, min_part_hours 0): s03 is taken out
    /// of the rings and put back while objects uploaded before are read through the API the whole time. Checked from
    /// outside the module: the API, each node's ring files in its tree on this machine (MD5), swift's RingBuilder on the
    /// ring host. s03 is put back from the journal at the end whatever failed, and the test fails if it could not be.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class SwiftStorageNodeDevcloudTests
    {
        private readonly ITestOutputHelper _output;
        public SwiftStorageNodeDevcloudTests(ITestOutputHelper output) => _output = output;

        private static string Dir => Infrastructure.Devcloud.Directory;
        private static JsonNode StorageNode(string s) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "storage-nodes.json"))).AsArray().First(n => (string)n["short"] == s);

        private static string Connect(string node, int port)
            => $"Connect-ComputeNode {node}.example.com -Address 127.0.0.1 -Port {port} -User osops -KeyFile '{DevcloudNodes.KeyFile}' -KnownHostsPath '{DevcloudNodes.KnownHosts}'";

        private static (string token, string url) Login()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            string body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"osrig-admin\"}}}," +
                          "\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}";
            var response = http.PostAsync("http://127.0.0.1:5000/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var catalog = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())["token"]["catalog"].AsArray();
            string url = (string)catalog.First(s => (string)s["type"] == "object-store")["endpoints"].AsArray().First(e => (string)e["interface"] == "public")["url"];
            return (response.Headers.GetValues("X-Subject-Token").Single(), url);
        }

        private static HttpResponseMessage Send(HttpClient http, HttpMethod method, string url, string token, string content = null)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add("X-Auth-Token", token);
            if (content != null) request.Content = new StringContent(content);
            return http.SendAsync(request).GetAwaiter().GetResult();
        }

        private static string Md5(string file)
        {
            using var md5 = MD5.Create();
            return string.Concat(md5.ComputeHash(File.ReadAllBytes(file)).Select(b => b.ToString("x2")));
        }

        private static string RingFile(string node, string ring) => Path.Combine(Dir, "nodes", node, "etc/swift", ring + ".ring.gz");
        // s03's devices in each builder, as swift's RingBuilder loads them on the ring host (one python start-up, where
        // `swift-ring-builder X.builder search` would be three): everything but the id and the partitions, which a put-back changes.
        private const string DevicesScript = "import sys\nfrom swift.common.ring import RingBuilder\nfor r in ('account', 'container', 'object'):\n" +
            "    for d in sorted((d for d in RingBuilder.load('/etc/swift/%s.builder' % r).devs if d and d['ip'] == sys.argv[1]), key=lambda d: d['device']):\n" +
            "        print(r, d['region'], d['zone'], d['ip'], d['port'], d['replication_ip'], d['replication_port'], d['device'], '%.2f' % d['weight'], d['meta'])\n";
        private static string S03Devices()
            => DevcloudNodes.SshOk("ctl01", $"echo {Convert.ToBase64String(Encoding.UTF8.GetBytes(DevicesScript))} | base64 -d | /usr/bin/python3 - 127.0.0.13");

        // What is not as before the test: s03's devices in the builders, and each node's ring files against the ring host's.
        private static List<string> RingsNotWhole(string devicesBefore)
        {
            var wrong = new List<string>();
            string devices = S03Devices();
            if (devices != devicesBefore) wrong.Add($"s03's devices in the builders are now [{devices.Trim().Replace('\n', ';')}], were [{devicesBefore.Trim().Replace('\n', ';')}]");
            foreach (var ring in new[] { "account", "container", "object" })
                foreach (var n in new[] { "s01", "s02", "s03" })
                    if (Md5(RingFile(n, ring)) != Md5(RingFile("ctl01", ring))) wrong.Add($"{n}'s {ring}.ring.gz is not ctl01's");
            return wrong;
        }

        // the readers go on through the proxy for another N reads (bounded: 60 s)
        private static void WaitForReads(Func<int> reads, int more, string when)
        {
            int target = reads() + more;
            var until = DateTime.UtcNow.AddSeconds(60);
            while (reads() < target && DateTime.UtcNow < until) Thread.Sleep(200);
            Assert.True(reads() >= target, $"the readers made fewer than {more} reads in 60 s {when}");
        }

        [Fact]
        public async Task S03LeavesTheRingsAndComesBackWhileObjectsUploadedBeforeStayReadable()
        {
            DevcloudSwift.RequireUp();
            var clock = Stopwatch.StartNew();
            void Phase(string what) => _output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
            string journal = Path.Combine(Path.GetTempPath(), "osops-s03-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".json");
            string container = "osops-rings-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            // Reads from outside the module run beside the module's steps where they do not depend on each other (each python
            // start-up on the ring host takes seconds on a loaded machine).
            var devicesRead = Task.Run(S03Devices);
            var (token, url) = Login();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var host = new PowerShellHost();
            string devicesBefore = await devicesRead;
            Assert.Equal(6, devicesBefore.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // d1, d2 in each ring
            string connect = string.Join("; ", new[] { "s01", "s02", "s03" }.Select(s => Connect(s, (int)StorageNode(s)["port"])).Append(Connect("ctl01", (int)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "controller.json")))["port"])));
            string rings = "-RingHost ctl01.example.com -ProxyNode ctl01.example.com";
            Phase("s03's devices read");
            using var stop = new CancellationTokenSource();
            Exception failed = null;
            bool whole = false; // set once the test itself has seen s03 back in every ring and every node's ring files the ring host's
            try
            {
                var upload = Task.Run(() =>
                {
                    Assert.True(Send(http, HttpMethod.Put, $"{url}/{container}", token).IsSuccessStatusCode);
                    for (int i = 0; i < 10; i++)
                        Assert.Equal(HttpStatusCode.Created, Send(http, HttpMethod.Put, $"{url}/{container}/o{i}", token, "object " + i).StatusCode);
                });
                host.Run(connect).ThrowOnErrors();
                await upload;
                Phase("10 objects uploaded, 4 nodes connected");

                // Readers through the API the whole time.
                var failures = new ConcurrentBag<string>();
                int reads = 0;
                var reader = Task.Run(() =>
                {
                    using var h = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                    while (!stop.IsCancellationRequested)
                        for (int i = 0; i < 10 && !stop.IsCancellationRequested; i++)
                        {
                            var r = Send(h, HttpMethod.Get, $"{url}/{container}/o{i}", token);
                            string got = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                            Interlocked.Increment(ref reads);
                            if (r.StatusCode != HttpStatusCode.OK || got != "object " + i) failures.Add($"{DateTime.UtcNow:HH:mm:ss} o{i}: {(int)r.StatusCode}");
                        }
                });

                // -WhatIf -PassThru: the plan with the exact command lines; nothing changed, no journal.
                string Fingerprint() => string.Join(",", new[] { "ctl01", "s01", "s02", "s03" }.SelectMany(n => new[] { "account", "container", "object" }.Select(r => Md5(RingFile(n, r)))))
                                        + "|" + string.Join(",", new[] { "account", "container", "object" }.Select(r => Md5(Path.Combine(Dir, "nodes/ctl01/etc/swift", r + ".builder"))));
                string fingerprint = Fingerprint();
                var whatIf = host.Run($"Remove-SwiftStorageNode 127.0.0.13 {rings} -StorageNode s01.example.com, s02.example.com -JournalPath '{journal}' -WhatIf -PassThru");
                whatIf.ThrowOnErrors();
                var plan = Assert.Single(whatIf.Output);
                Assert.Equal(("Planned", "127.0.0.13", "6"), (P(plan, "Status"), P(plan, "NodeIp"), P(plan, "DeviceCount")));
                var commands = Items(plan, "Steps").Select(st => P(st, "Command")).Where(c => c != null).ToList();
                Assert.Equal(6, commands.Count); // one remove (both devices, by id) and one rebalance per builder
                Assert.Contains(commands, c => System.Text.RegularExpressions.Regex.IsMatch(c, @"^swift-ring-builder /etc/swift/object\.builder remove d[0-9]+ d[0-9]+ --yes$"));
                Assert.Contains("swift-ring-builder /etc/swift/account.builder rebalance", commands);
                Assert.Equal(3, Items(plan, "Steps").Count(st => P(st, "Command") == null)); // the copies to s01, s02 and ctl01
                Assert.Contains(whatIf.Warnings, w => w.Contains("2 node(s) remain for 3 replicas"));
                Assert.Equal(fingerprint, Fingerprint()); // the builders too: s03's devices are still in them
                Assert.False(File.Exists(journal));
                Phase("-WhatIf: plan, nothing changed");

                var removed = host.Run($"Remove-SwiftStorageNode 127.0.0.13 {rings} -StorageNode s01.example.com, s02.example.com -JournalPath '{journal}' -Confirm:$false");
                removed.ThrowOnErrors();
                var result = Assert.Single(removed.Output);
                Phase("Remove-SwiftStorageNode: " + P(result, "Status"));
                Assert.Equal(("Removed", "Consistent", "6"), (P(result, "Status"), P(result, "RingsState"), P(result, "DeviceCount")));
                var devicesAfterRemoval = Task.Run(S03Devices);
                foreach (var ring in new[] { "account", "container", "object" })
                {
                    string ringHost = Md5(RingFile("ctl01", ring));
                    Assert.Equal(ringHost, Md5(RingFile("s01", ring)));
                    Assert.Equal(ringHost, Md5(RingFile("s02", ring)));
                    Assert.NotEqual(ringHost, Md5(RingFile("s03", ring))); // left out: it is going down
                }
                // Get-SwiftRing: the rings agree on every node that got them.
                var read = host.Run($"Get-SwiftRing {rings} -StorageNode s01.example.com, s02.example.com");
                read.ThrowOnErrors();
                Assert.Equal(3, read.Output.Count);
                Assert.All(read.Output, ring => Assert.Equal(("Consistent", "4", 3), (P(ring, "Status"), P(ring, "DeviceCount"), Items(ring, "Copies").Length)));
                Phase("Get-SwiftRing: consistent");
                Assert.Equal("", await devicesAfterRemoval);
                WaitForReads(() => reads, 20, "after the removal");

                var back = host.Run($"Restore-SwiftStorageNode '{journal}' {rings} -StorageNode s01.example.com, s02.example.com, s03.example.com");
                back.ThrowOnErrors();
                result = Assert.Single(back.Output);
                Phase("Restore-SwiftStorageNode: " + P(result, "Status"));
                Assert.Equal(("Added", "Consistent", "6"), (P(result, "Status"), P(result, "RingsState"), P(result, "DeviceCount")));
                var devicesBack = Task.Run(S03Devices);
                foreach (var ring in new[] { "account", "container", "object" })
                    foreach (var n in new[] { "s01", "s02", "s03" }) Assert.Equal(Md5(RingFile("ctl01", ring)), Md5(RingFile(n, ring)));
                WaitForReads(() => reads, 20, "after the put-back");
                Assert.Equal(devicesBefore, await devicesBack);
                whole = true;

                stop.Cancel();
                await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(60)));
                Assert.True(reads > 20, $"only {reads} reads were made");
                Assert.True(failures.IsEmpty, $"{failures.Count} of {reads} reads failed: {string.Join("; ", failures.Take(10))}");
                for (int i = 0; i < 10; i++)
                    Assert.Equal("object " + i, await Send(http, HttpMethod.Get, $"{url}/{container}/o{i}", token).Content.ReadAsStringAsync());
                Phase($"{reads} reads through the proxy, none failed");
            }
            catch (Exception e)
            {
                failed = e;
                throw;
            }
            finally
            {
                stop.Cancel();
                // Never leave s03 out of the devcloud's rings: unless the test saw it back, check, and put it back from the journal if needed.
                var notWhole = new List<string>();
                if (!whole)
                    try
                    {
                        notWhole = RingsNotWhole(devicesBefore);
                        if (notWhole.Count > 0 && File.Exists(journal))
                        {
                            var again = host.Run($"Restore-SwiftStorageNode '{journal}' {rings} -StorageNode s01.example.com, s02.example.com, s03.example.com");
                            _output.WriteLine($"cleanup: {string.Join("; ", notWhole)}; Restore-SwiftStorageNode: {string.Join("; ", again.Output.Select(o => P(o, "Status")).Concat(again.Errors.Select(e => e.ToString())))}");
                            notWhole = RingsNotWhole(devicesBefore);
                        }
                    }
                    catch (Exception e) { notWhole.Add("checking or putting back the rings failed: " + e.Message); }
                for (int i = 0; i < 10; i++) Send(http, HttpMethod.Delete, $"{url}/{container}/o{i}", token);
                Send(http, HttpMethod.Delete, $"{url}/{container}", token);
                host.Run("'s01','s02','s03','ctl01' | ForEach-Object { Disconnect-ComputeNode \"$_.example.com\" }");
                Phase("cleaned up");
                if (notWhole.Count > 0)
                    throw new Xunit.Sdk.XunitException($"The devcloud's rings are NOT as before the test ({string.Join("; ", notWhole)}); the journal is kept: {journal}" +
                                                       (failed == null ? "" : $". The test had failed: {failed.Message}"));
                File.Delete(journal);
            }
        }
    }
}
