using System.Linq;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Each node keeps its own /var/lib/openstackops: nova-compute pinned on c01 (SysV: the init files moved) and
    /// on c02 (systemd: masked) at the same time, an instance disk mounted on each at the same time, then all of
    /// it undone; every record lives on its own node only and none on the machine hosting the devcloud.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class PerNodeRecordsDevcloudTests
    {
        private static string Records(string node) => DevcloudNodes.SshOk(node, "cd /var/lib/openstackops && find . -type f | sort; true");

        [Fact]
        public void PinsAndMountsOnTwoNodesAtOnceKeepSeparateRecordsAndUndoCleanly()
        {
            Infrastructure.Devcloud.RequireUp();
            string c01Server = (string)DevcloudNodes.Server("c01-db")["id"], c02Server = (string)DevcloudNodes.Server("c02-cache")["id"];
            DevcloudNodes.MakeDisk(c01Server);
            DevcloudNodes.MakeDiskOn("c02", c02Server);
            string hostRecordsBefore = System.IO.Directory.Exists("/var/lib/openstackops")
                ? string.Join("\n", System.IO.Directory.EnumerateFiles("/var/lib/openstackops", "*", System.IO.SearchOption.AllDirectories).OrderBy(f => f)) : "";
            using var host = new PowerShellHost();
            host.Run(Infrastructure.Devcloud.ConnectScript).ThrowOnErrors();
            host.Run(DevcloudNodes.ConnectAsOsops("c01") + "; " + DevcloudNodes.ConnectAsOsops("c02")).ThrowOnErrors();
            try
            {
                var r = host.Run("Stop-NodeComputeService c01.example.com -InitSystem SysV -Pin -Confirm:$false; Stop-NodeComputeService c02.example.com -Pin -Confirm:$false; " +
                                 $"Mount-InstanceDisk {c01Server} -Justification 'osops test: per-node records' -Confirm:$false; " +
                                 $"Mount-InstanceDisk {c02Server} -Justification 'osops test: per-node records' -Confirm:$false");
                r.ThrowOnErrors();

                // Both pinned and both mounted at once, each record on its own node.
                Assert.Equal($"./mounts/{c01Server}\n./pinned-nova-compute\n./pinned/etc/init.d/nova-compute\n./pinned/etc/init/nova-compute.conf\n".Split('\n').OrderBy(x => x), Records("c01").Split('\n').OrderBy(x => x));
                Assert.Equal($"./mounts/{c02Server}\n./pinned-nova-compute\n".Split('\n').OrderBy(x => x), Records("c02").Split('\n').OrderBy(x => x));
                Assert.Contains("method=moved", DevcloudNodes.SshOk("c01", "cat /var/lib/openstackops/pinned-nova-compute"));
                Assert.Equal("method=mask-runtime\n", DevcloudNodes.SshOk("c02", "cat /var/lib/openstackops/pinned-nova-compute"));
                Assert.Contains("domain=", DevcloudNodes.SshOk("c02", $"cat /var/lib/openstackops/mounts/{c02Server}"));
                Assert.Equal("masked-runtime", DevcloudNodes.Ssh("c02", "systemctl is-enabled nova-compute").stdout.Trim());
                Assert.Single(DevcloudNodes.MountsUnder("/mnt/openstackops", "c01"));
                Assert.Single(DevcloudNodes.MountsUnder("/mnt/openstackops", "c02"));
                Assert.Empty(Records("c03").Trim());

                // Undone in the other order: each node's undo reads its own record.
                r = host.Run($"Dismount-InstanceDisk -Server {c02Server} -Confirm:$false; Dismount-InstanceDisk -Server {c01Server} -Confirm:$false; " +
                             "Start-NodeComputeService c02.example.com -Confirm:$false; Start-NodeComputeService c01.example.com -Confirm:$false");
                r.ThrowOnErrors();
                foreach (var node in new[] { "c01", "c02" })
                {
                    Assert.Equal("", Records(node).Trim());
                    Assert.Empty(DevcloudNodes.MountsUnder("/mnt/openstackops", node));
                    Assert.Empty(DevcloudNodes.AttachedNbd(node));
                    Assert.Equal(0, DevcloudNodes.Ssh(node, "systemctl is-active -q nova-compute").exit);
                }
                Assert.Equal("enabled", DevcloudNodes.SshOk("c02", "systemctl is-enabled nova-compute").Trim());
                Assert.Equal(0, DevcloudNodes.Ssh("c01", "test -e /etc/init/nova-compute.conf && test -e /etc/init.d/nova-compute").exit);
                string hostRecordsAfter = System.IO.Directory.Exists("/var/lib/openstackops")
                    ? string.Join("\n", System.IO.Directory.EnumerateFiles("/var/lib/openstackops", "*", System.IO.SearchOption.AllDirectories).OrderBy(f => f)) : "";
                Assert.Equal(hostRecordsBefore, hostRecordsAfter);
            }
            finally
            {
                DevcloudNodes.Restore("c02");
                DevcloudNodes.RestoreC01();
                // The fake driver forgets its guests when nova-compute restarts: hard-reboot c02's so it knows them again.
                Infrastructure.Devcloud.ComputeCtl("revive", "c02");
            }
        }
    }
}
