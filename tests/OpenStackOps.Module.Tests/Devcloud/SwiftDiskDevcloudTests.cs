using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Repair-SwiftDisk on the devcloud's real Swift (storage nodes s01-s03 with XFS loop disks, storage servers with
    /// workers = 1 so they run as swift): a disk of s02 is pulled (swift.sh fail-disk) and a blank one inserted (new-disk);
    /// the cmdlet formats and mounts it, and replication puts back the very object files the failed disk had, while
    /// every object stays readable through the proxy. The disk is left mounted as the node's fstab says (restore-disk) in any case.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class SwiftDiskDevcloudTests
    {
        private readonly ITestOutputHelper _output;
        public SwiftDiskDevcloudTests(ITestOutputHelper output) => _output = output;

        // The object files (.data) under /srv/node/DEV/objects*, by their path below the device (partition/suffix/hash/timestamp.data):
        // replication copies them with the same names, so the refilled disk must hold the same set.
        private static SortedSet<string> ObjectFileNames(string node, string device)
            => new SortedSet<string>(DevcloudNodes.SshOk(node, $"mountpoint -q /srv/node/{device} && cd /srv/node/{device} && find . -xdev -path './objects*' -name '*.data' -type f")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()), StringComparer.Ordinal);

        [Fact]
        public async Task AFailedDiskIsReplacedWhileEveryObjectStaysReadableAndReplicationRefillsIt()
        {
            DevcloudSwift.RequireUp();
            var clock = Stopwatch.StartNew();
            void Phase(string what) => _output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
            const string Node = "s02", Dev = "d1";
            var (token, url) = DevcloudSwift.Login();
            string container = $"{url}/repair-disk-{Guid.NewGuid():N}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var objects = Enumerable.Range(0, 24).ToDictionary(i => $"obj-{i:D2}", i => $"object {i} {Guid.NewGuid()}");
            using var host = new PowerShellHost();
            using var stop = new CancellationTokenSource();
            try
            {
                Assert.Equal(HttpStatusCode.Created, DevcloudSwift.Send(http, HttpMethod.Put, container, token).StatusCode);
                foreach (var o in objects)
                    Assert.Equal(HttpStatusCode.Created, DevcloudSwift.Send(http, HttpMethod.Put, $"{container}/{o.Key}", token, o.Value).StatusCode);
                // every object has one replica in each zone; s02 is zone 2: wait until all of them are on its disks
                Cloud.WaitFor(() => DevcloudSwift.ObjectFiles(Node, "d1") + DevcloudSwift.ObjectFiles(Node, "d2") >= objects.Count, "every object on s02's disks", 60);
                var before = ObjectFileNames(Node, Dev);
                Assert.True(before.Count > 0, $"the ring gives s02/{Dev} none of the {objects.Count} objects");
                Phase($"{objects.Count} objects uploaded; {before.Count} object files on {Node}/{Dev}");

                // a reader through the proxy for the whole procedure
                var failures = new ConcurrentBag<string>();
                int reads = 0;
                var reader = Task.Run(() =>
                {
                    using var h = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                    while (!stop.IsCancellationRequested)
                        foreach (var o in objects)
                        {
                            var got = DevcloudSwift.Send(h, HttpMethod.Get, $"{container}/{o.Key}", token);
                            string body = got.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                            Interlocked.Increment(ref reads);
                            if (got.StatusCode != HttpStatusCode.OK || body != o.Value) failures.Add($"{DateTime.UtcNow:HH:mm:ss} {o.Key}: {(int)got.StatusCode} {body}");
                        }
                });

                DevcloudSwift.Ctl("fail-disk", Node, Dev);
                Assert.Equal(-1, DevcloudSwift.ObjectFiles(Node, Dev));                 // not mounted
                string disk = DevcloudSwift.Ctl("new-disk", Node, Dev).Trim();
                Assert.Matches("^/dev/loop[0-9]+$", disk);
                Phase($"{Node}/{Dev} failed, blank disk {disk} inserted");

                host.Run(DevcloudSwift.ConnectAsOsops(Node)).ThrowOnErrors();
                // -WhatIf: every step shown, nothing done
                var plan = host.Run($"Repair-SwiftDisk {Node}.example.com -Device {Dev} -DiskPath {disk} -WhatIf");
                plan.ThrowOnErrors();
                Assert.Empty(plan.Output);
                Assert.Equal("", DevcloudNodes.SshOk(Node, $"blkid -p -o value -s TYPE {disk}; true").Trim());
                Assert.Equal(-1, DevcloudSwift.ObjectFiles(Node, Dev));

                // a disk that is in use is refused: s02's d2
                string d2 = DevcloudNodes.SshOk(Node, "findmnt -n -o SOURCE --mountpoint /srv/node/d2").Trim();
                var refused = host.Run($"Repair-SwiftDisk {Node}.example.com -Device {Dev} -DiskPath {d2} -Confirm:$false");
                Assert.Equal("NodeRepairSwiftDiskBusy", refused.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
                Assert.Contains("is mounted on /srv/node/d2", refused.Errors.Single().Exception.Message);
                Phase("-WhatIf changed nothing; a disk in use refused");

                var r = host.Run($"Repair-SwiftDisk {Node}.example.com -Device {Dev} -DiskPath {disk} -ReplicationTimeoutSeconds 60 -Confirm:$false");
                r.ThrowOnErrors();
                var result = r.Output.Single();
                Phase($"Repair-SwiftDisk: {P(result, "Status")}, {P(result, "ObjectFiles")} object file(s) after {P(result, "ReplicationWaited")}");
                Assert.Equal("Replaced", P(result, "Status"));
                Assert.Equal(disk, P(result, "Disk"));
                Assert.Equal("True", P(result, "Mounted"));
                Assert.Equal("LABEL=s02-d1 xfs noatime,nofail", P(result, "FstabEntry"));
                Assert.Equal($"mkfs.xfs -L s02-d1 {disk}", P(result, "Formatted"));
                Assert.Equal("xfs", P(result, "FileSystem"));
                Assert.Equal("s02-d1", P(result, "Label"));
                Assert.Equal("127.0.0.12:6200", P(result, "ObjectServer"));
                Assert.Equal("Yes", P(result, "ObjectServerSeesDevice"));
                Assert.Equal("Filling", P(result, "Replication"));
                Assert.True(int.Parse(P(result, "ObjectFiles")) > 0);
                Assert.Equal(disk, DevcloudNodes.SshOk(Node, $"findmnt -n -o SOURCE --mountpoint /srv/node/{Dev}").Trim());
                Assert.Equal("swift", DevcloudNodes.SshOk(Node, $"stat -c %U /srv/node/{Dev}").Trim());

                // replication refills the new disk: every object file it had before it failed, by name (bounded wait). Usually
                // within 15 s (5 s passes); one clean-clone run on the loaded machine needed more than 60 s (the first pushes to the
                // new disk failed in rsync's mkdir and waited for later passes), so the bound is 120 s.
                SortedSet<string> now = null;
                Cloud.WaitFor(() => (now = ObjectFileNames(Node, Dev)).IsSupersetOf(before), $"replication to put the {before.Count} object files back on {Node}/{Dev}", 120);
                Phase($"{now.Count} object files on {Node}/{Dev} again, all {before.Count} it had");
                stop.Cancel();
                Assert.True(await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(60))) == reader, "the reader did not stop");
                Assert.True(reads >= objects.Count, $"the reader read {reads} times");
                Assert.True(failures.IsEmpty, $"{failures.Count} of {reads} reads through the proxy failed: {string.Join("; ", failures.Take(5))}");
                foreach (var o in objects)
                    Assert.Equal(o.Value, await DevcloudSwift.Send(http, HttpMethod.Get, $"{container}/{o.Key}", token).Content.ReadAsStringAsync());
                Phase($"{reads} reads through the proxy, none failed");
            }
            finally
            {
                stop.Cancel();
                // the disk mounted again as the node's fstab says, whatever state the test left it in
                string restored = DevcloudSwift.Ctl("restore-disk", Node, Dev);
                _output.WriteLine(restored.Trim());
                host.Run($"Disconnect-ComputeNode {Node}.example.com");
                foreach (var o in objects) DevcloudSwift.Send(http, HttpMethod.Delete, $"{container}/{o.Key}", token);
                DevcloudSwift.Send(http, HttpMethod.Delete, container, token);
                Phase("cleaned up");
            }
        }
    }
}
