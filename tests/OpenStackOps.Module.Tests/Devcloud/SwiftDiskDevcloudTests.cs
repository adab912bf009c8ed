using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Repair-SwiftDisk on the devcloud's real Swift (storage nodes s01-s03 with XFS loop disks): a disk of s02 is pulled
    /// (swift.sh fail-disk) and a blank one inserted (new-disk); the cmdlet formats and mounts it, and replication puts
    /// back as many object files as the failed disk had, while every object stays readable through the proxy.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class SwiftDiskDevcloudTests
    {
        [Fact]
        public void AFailedDiskIsReplacedWhileEveryObjectStaysReadableAndReplicationRefillsIt()
        {
            DevcloudSwift.RequireUp();
            const string Node = "s02", Dev = "d1";
            var (token, url) = DevcloudSwift.Login();
            string container = $"{url}/repair-disk-{Guid.NewGuid():N}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var objects = Enumerable.Range(0, 24).ToDictionary(i => $"obj-{i:D2}", i => $"object {i} {Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.Created, DevcloudSwift.Send(http, HttpMethod.Put, container, token).StatusCode);
            using var host = new PowerShellHost();
            try
            {
                foreach (var o in objects)
                    Assert.Equal(HttpStatusCode.Created, DevcloudSwift.Send(http, HttpMethod.Put, $"{container}/{o.Key}", token, o.Value).StatusCode);
                // every object has one replica in each zone; s02 is zone 2: wait until replication has put them all on its disks
                Cloud.WaitFor(() => DevcloudSwift.ObjectFiles(Node, "d1") + DevcloudSwift.ObjectFiles(Node, "d2") >= objects.Count, "every object on s02's disks", 120);
                int before = DevcloudSwift.ObjectFiles(Node, Dev);
                Assert.True(before > 0, $"the ring gives s02/{Dev} none of the {objects.Count} objects");

                // a reader through the proxy for the whole procedure
                var failures = new ConcurrentBag<string>();
                int reads = 0;
                using var stop = new CancellationTokenSource();
                var reader = Task.Run(() =>
                {
                    using var h = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                    while (!stop.IsCancellationRequested)
                        foreach (var o in objects)
                        {
                            var got = DevcloudSwift.Send(h, HttpMethod.Get, $"{container}/{o.Key}", token);
                            string body = got.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                            Interlocked.Increment(ref reads);
                            if (got.StatusCode != HttpStatusCode.OK || body != o.Value) failures.Add($"{o.Key}: {(int)got.StatusCode} {body}");
                        }
                });

                DevcloudSwift.Ctl("fail-disk", Node, Dev);
                Assert.Equal(-1, DevcloudSwift.ObjectFiles(Node, Dev));                 // not mounted
                string disk = DevcloudSwift.Ctl("new-disk", Node, Dev).Trim();
                Assert.Matches("^/dev/loop[0-9]+$", disk);

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
                Assert.Contains($"is mounted on /srv/node/d2", refused.Errors.Single().Exception.Message);

                var r = host.Run($"Repair-SwiftDisk {Node}.example.com -Device {Dev} -DiskPath {disk} -ReplicationTimeoutSeconds 120 -Confirm:$false");
                r.ThrowOnErrors();
                var result = r.Output.Single();
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
                Assert.Equal("swift", DevcloudNodes.SshOk(Node, $"stat -c %U /srv/node/{Dev}").Trim());

                // replication refills the new disk: as many object files as before it failed (bounded wait)
                Cloud.WaitFor(() => DevcloudSwift.ObjectFiles(Node, Dev) >= before, $"replication to put {before} object files back on {Node}/{Dev}", 180);
                stop.Cancel();
                reader.Wait(TimeSpan.FromSeconds(60));
                Assert.True(reads >= objects.Count, $"the reader read {reads} times");
                Assert.True(failures.IsEmpty, $"{failures.Count} of {reads} reads through the proxy failed: {string.Join("; ", failures.Take(5))}");
                foreach (var o in objects)
                    Assert.Equal(o.Value, DevcloudSwift.Send(http, HttpMethod.Get, $"{container}/{o.Key}", token).Content.ReadAsStringAsync().GetAwaiter().GetResult());
            }
            finally
            {
                DevcloudSwift.Ctl("restore-disk", Node, Dev);
                foreach (var o in objects) DevcloudSwift.Send(http, HttpMethod.Delete, $"{container}/{o.Key}", token);
                DevcloudSwift.Send(http, HttpMethod.Delete, container, token);
            }
        }
    }
}
