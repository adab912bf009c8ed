using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Remove-SwiftStorageNode, Get-SwiftRing and Restore-SwiftStorageNode over real SSH (the devcloud's nodes, as the
    /// unprivileged osops user through sudo -n): c01 is the ring host and a proxy, c02 and c03 get the ring files. The
    /// rings are real swift-ring-builder builders (3 nodes × 2 devices, 3 replicas) in a directory under each node's own
    /// /root, so nothing of the devcloud's own Swift (if any) is touched; the removed "node" is the ring IP 127.0.0.13.
    /// Checked from outside the module: the files in each node's tree on this machine, by MD5, and swift-ring-builder.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class SwiftRingDevcloudTests
    {
        private static string Md5(string file)
        {
            using var md5 = MD5.Create();
            return string.Concat(md5.ComputeHash(File.ReadAllBytes(file)).Select(b => b.ToString("x2")));
        }

        private static string Tree(string node, string path) => Path.Combine(DevcloudNodes.Dir, "nodes", node, path.TrimStart('/'));

        [Fact]
        public void WhatIfChangesNothingThenTheNodeLeavesTheRingsAndComesBackWithItsOriginalDevices()
        {
            Infrastructure.Devcloud.RequireUp();
            string id = Guid.NewGuid().ToString("N").Substring(0, 8);
            string root = "/root/osops-swift-" + id, builders = root + "/builders", swift = root + "/etc";
            string journal = Path.Combine(Path.GetTempPath(), "osops-swift-journal-" + id + ".json");
            var nodes = new[] { "c01", "c02", "c03" };
            using var host = new PowerShellHost();
            try
            {
                // The rings, built on the ring host by swift-ring-builder itself (OpenSSH as root: the observer's setup).
                string build = $"set -e; mkdir -p {builders} {swift}; cd {builders}; for r in account container object; do swift-ring-builder $r.builder create 8 3 0 >/dev/null; " +
                               "for n in 1 2 3; do for d in 1 2; do swift-ring-builder $r.builder add --region 1 --zone $n --ip 127.0.0.1$n --port 620$n --replication-ip 127.0.1.1$n --replication-port 621$n --device d$d --weight 100 --meta \"s0$n disk $d\" >/dev/null; done; done; " +
                               $"swift-ring-builder $r.builder rebalance >/dev/null; done; cp {builders}/*.ring.gz {swift}/";
                DevcloudNodes.SshOk("c01", build);
                foreach (var n in new[] { "c02", "c03" })
                {
                    Directory.CreateDirectory(Tree(n, swift));
                    foreach (var f in Directory.GetFiles(Tree("c01", swift))) File.Copy(f, Path.Combine(Tree(n, swift), Path.GetFileName(f)));
                }
                string devicesBefore = DevcloudNodes.SshOk("c01", $"cd {builders} && for r in account container object; do swift-ring-builder $r.builder search 127.0.0.1 | grep -o 'r[0-9]z[0-9]-[^ ]*' | sort; done");
                Assert.Equal(18, devicesBefore.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                string Fingerprint() => string.Join(",", nodes.SelectMany(n => Directory.GetFiles(Tree(n, swift)).OrderBy(f => f).Select(Md5)))
                                        + "|" + string.Join(",", Directory.GetFiles(Tree("c01", builders), "*.builder").OrderBy(f => f).Select(Md5));
                string before = Fingerprint();

                host.Run(string.Join("; ", nodes.Select(DevcloudNodes.ConnectAsOsops))).ThrowOnErrors();
                string where = $"-RingHost c01.example.com -BuilderDirectory {builders} -StorageNode c02.example.com, c03.example.com -ProxyNode c01.example.com -SwiftDirectory {swift}";

                // -WhatIf -PassThru: the plan, nothing changed, no journal.
                var r = host.Run($"Remove-SwiftStorageNode 127.0.0.13 {where} -JournalPath '{journal}' -WhatIf -PassThru");
                r.ThrowOnErrors();
                var plan = Assert.Single(r.Output);
                Assert.Equal(("Planned", "127.0.0.13", "6"), (P(plan, "Status"), P(plan, "NodeIp"), P(plan, "DeviceCount")));
                var steps = Items(plan, "Steps").Select(s => P(s, "Command")).Where(c => c != null).ToList();
                Assert.Equal(9, steps.Count); // 2 removes and a rebalance per builder
                Assert.Contains($"swift-ring-builder {builders}/object.builder rebalance", steps);
                Assert.Equal(3, Items(plan, "Steps").Count(s => P(s, "Command") == null)); // the copies to c02, c03, c01
                Assert.Contains(r.Warnings, w => w.Contains("2 node(s) remain for 3 replicas"));
                Assert.Equal(before, Fingerprint());
                Assert.False(File.Exists(journal));

                // For real.
                r = host.Run($"Remove-SwiftStorageNode 127.0.0.13 {where} -JournalPath '{journal}' -Confirm:$false");
                r.ThrowOnErrors();
                var removed = Assert.Single(r.Output);
                Assert.Equal(("Removed", "Consistent"), (P(removed, "Status"), P(removed, "RingsState")));
                Assert.True(File.Exists(journal));
                string after = DevcloudNodes.SshOk("c01", $"cd {builders} && for r in account container object; do swift-ring-builder $r.builder; done");
                Assert.DoesNotContain("127.0.0.13", after);
                foreach (var ring in new[] { "account", "container", "object" })
                {
                    string hostMd5 = Md5(Tree("c01", builders + "/" + ring + ".ring.gz"));
                    foreach (var n in nodes) Assert.Equal(hostMd5, Md5(Tree(n, swift + "/" + ring + ".ring.gz")));
                }

                // Get-SwiftRing: the rings agree on every node.
                r = host.Run($"Get-SwiftRing {where}");
                r.ThrowOnErrors();
                Assert.Equal(3, r.Output.Count);
                Assert.All(r.Output, ring => Assert.Equal(("Consistent", "4"), (P(ring, "Status"), P(ring, "DeviceCount"))));
                Assert.All(r.Output, ring => Assert.Equal(3, Items(ring, "Copies").Length));

                // Back, from the journal, with the original parameters.
                r = host.Run($"Restore-SwiftStorageNode '{journal}' {where}");
                r.ThrowOnErrors();
                var added = Assert.Single(r.Output);
                Assert.Equal(("Added", "Consistent", "6"), (P(added, "Status"), P(added, "RingsState"), P(added, "DeviceCount")));
                string devicesAfter = DevcloudNodes.SshOk("c01", $"cd {builders} && for r in account container object; do swift-ring-builder $r.builder search 127.0.0.1 | grep -o 'r[0-9]z[0-9]-[^ ]*' | sort; done");
                Assert.Equal(devicesBefore, devicesAfter);
                Assert.Contains("s03 disk 2", DevcloudNodes.SshOk("c01", $"swift-ring-builder {builders}/object.builder search 127.0.0.13"));
                foreach (var ring in new[] { "account", "container", "object" })
                {
                    string hostMd5 = Md5(Tree("c01", builders + "/" + ring + ".ring.gz"));
                    foreach (var n in nodes) Assert.Equal(hostMd5, Md5(Tree(n, swift + "/" + ring + ".ring.gz")));
                }
            }
            finally
            {
                foreach (var n in nodes) DevcloudNodes.Ssh(n, $"rm -rf {root}");
                host.Run("Disconnect-ComputeNode c01.example.com; Disconnect-ComputeNode c02.example.com; Disconnect-ComputeNode c03.example.com");
                File.Delete(journal);
            }
        }
    }
}
