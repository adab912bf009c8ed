using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Swift;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>
    /// Replacing a swift disk against a scripted storage node: the steps and their commands, the refusals (mounted
    /// elsewhere, holds data, no fstab line), and what a failure after the unmount says about the node's state.
    /// The same procedure against real XFS loop disks: SwiftDiskDevcloudTests (Module.Tests).
    /// </summary>
    public class SwiftDiskReplacerTests
    {
        private const string Fstab = "fstab=LABEL=s02-d1 xfs noatime,nofail\n";

        /// <summary>s02 after its d1 failed and was unmounted; the new disk /dev/loop9 is blank.</summary>
        private static FakeNodeShell Node(string inspect = Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\n",
            string afterMount = Fstab + "disk=/dev/loop9\ncurrent=/dev/loop9\ncurrentmm=7:9\nmpfiles=0\nblock=yes\ndiskmm=7:9\nmounts=/srv/node/d1 \nblk_TYPE=xfs\nblk_LABEL=s02-d1\nblk_UUID=1234\n")
        {
            bool mounted = false;
            return new FakeNodeShell()
                .When(l => l.Contains("entry=$(awk"), l => FakeNodeShell.Result(l, 0, mounted ? afterMount : inspect))
                .When(l => l.StartsWith("mount ", StringComparison.Ordinal) && l.EndsWith(" /srv/node/d1", StringComparison.Ordinal) || l == "mount /srv/node/d1", l => { mounted = true; return FakeNodeShell.Result(l, 0); })
                .On("bind_(ip|port)", stdout: "bind_ip=127.0.0.12\nbind_port=6200\n")
                .OnStartsWith("curl", stdout: "[{\"device\": \"d1\", \"mounted\": true, \"size\": 331350016, \"used\": 4096}, {\"device\": \"d2\", \"mounted\": true}]\n200")
                .On("-path", stdout: "7\n");
        }

        private static SwiftDiskRequest Request(bool force = false, string disk = "/dev/loop9")
            => new SwiftDiskRequest { Device = "d1", DiskPath = disk, Force = force, ReplicationTimeout = TimeSpan.FromSeconds(30) };

        private static string[] Changes(FakeNodeShell n) => n.Matching("umount", "mkfs.xfs", "mount ", "chown");

        [Fact]
        public async Task ABlankDiskIsFormattedWithTheFstabLabelMountedAndChownedThenReconAndReplicationAreRead()
        {
            var node = Node();
            var result = await new SwiftDiskReplacer(node, null, new VirtualClock()).ReplaceAsync(Request(), (t, a) => true, CancellationToken.None);

            Assert.Equal(new[] { "mkfs.xfs -L s02-d1 /dev/loop9", "mount /srv/node/d1", "chown swift:swift /srv/node/d1" }, Changes(node));
            Assert.Equal("Replaced", result.Status);
            Assert.True(result.Mounted);
            Assert.Equal("mkfs.xfs -L s02-d1 /dev/loop9", result.Formatted);
            Assert.Equal("127.0.0.12:6200", result.ObjectServer);
            Assert.Contains("curl -s -m 10 -w '\n%{http_code}' http://127.0.0.12:6200/recon/diskusage", node.Commands);
            Assert.Equal("Yes", result.ObjectServerSeesDevice);
            Assert.Equal(7, result.ObjectFiles);
            Assert.Equal("Filling", result.Replication);
            Assert.Equal("", result.PreviousSource);
            Assert.Equal(3, result.Steps.Length);
        }

        [Fact]
        public async Task WhatIsStillMountedThereIsUnmountedFirstAndEveryStepIsAskedForWithItsCommand()
        {
            var node = Node(Fstab + "disk=/dev/loop9\ncurrent=/dev/loop3\ncurrentmm=7:3\nmpfiles=0\nblock=yes\ndiskmm=7:9\nmounts=\n");
            var asked = new System.Collections.Generic.List<string>();
            var result = await new SwiftDiskReplacer(node, null, new VirtualClock()).ReplaceAsync(Request(), (t, a) => { asked.Add(t + " | " + a); return false; }, CancellationToken.None);

            Assert.Null(result);
            Assert.Empty(Changes(node));
            Assert.Equal(new[] { "c01.example.com: /srv/node/d1 | umount /srv/node/d1 (mounted from /dev/loop3)" }, asked);
            var plan = await new SwiftDiskReplacer(node).PlanAsync(Request(), CancellationToken.None);
            Assert.Equal(new[]
            {
                "umount /srv/node/d1 (mounted from /dev/loop3)",
                "mkfs.xfs -L s02-d1 /dev/loop9 (the whole disk)",
                "mount /srv/node/d1 (as /etc/fstab says: LABEL=s02-d1 xfs noatime,nofail)",
                "chown swift:swift /srv/node/d1",
            }, plan.Steps.Select(s => s.Action));
        }

        [Fact]
        public async Task ADiskMountedElsewhereIsRefusedEvenWithForce()
        {
            var node = Node(Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=/mnt/backup \nblk_TYPE=ext4\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(node).PlanAsync(Request(force: true), CancellationToken.None));
            Assert.Equal(NodeErrorKind.Busy, e.Kind);
            Assert.Contains("/dev/loop9 is mounted on /mnt/backup", e.Message);
            Assert.Empty(Changes(node));
        }

        [Fact]
        public async Task AnXfsDiskWithObjectsIsRefusedUnlessForcedThenFormattedWithDashF()
        {
            var node = Node(Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\nblk_TYPE=xfs\nblk_LABEL=old\n")
                .On("mktemp -d", stdout: "files=12\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(node).PlanAsync(Request(), CancellationToken.None));
            Assert.Equal(NodeErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("holds an XFS file system with 12 object/database file(s)", e.Message);
            Assert.Contains("-Force", e.RecommendedAction);

            var plan = await new SwiftDiskReplacer(node).PlanAsync(Request(force: true), CancellationToken.None);
            Assert.Equal("mkfs.xfs -f -L s02-d1 /dev/loop9 (the whole disk, forced: it held TYPE=xfs LABEL=old)", plan.Steps[0].Action);
        }

        [Fact]
        public async Task AnEmptyXfsSwiftDeviceNeedsNoForceAndAnotherFileSystemDoes()
        {
            var empty = Node(Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\nblk_TYPE=xfs\nblk_LABEL=s02-d1\n").On("mktemp -d", stdout: "files=0\n");
            var plan = await new SwiftDiskReplacer(empty).PlanAsync(Request(), CancellationToken.None);
            Assert.StartsWith("mkfs.xfs -f -L s02-d1 /dev/loop9", plan.Steps[0].Action);

            var ext4 = Node(Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\nblk_TYPE=ext4\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(ext4).PlanAsync(Request(), CancellationToken.None));
            Assert.Contains("holds a ext4 file system", e.Message);
            var table = Node(Fstab + "disk=/dev/loop9\ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\nblk_PTTYPE=dos\n");
            e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(table).PlanAsync(Request(), CancellationToken.None));
            Assert.Contains("has a partition table (dos)", e.Message);
        }

        [Fact]
        public async Task NoFstabLineNoDiskOrNotABlockDeviceAreRefusedBeforeAnyChange()
        {
            var none = Node("fstab=\ndisk=/dev/loop9\ncurrent=\nblock=yes\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(none).PlanAsync(Request(), CancellationToken.None));
            Assert.Equal(NodeErrorKind.NotFound, e.Kind);
            Assert.Contains("/etc/fstab has no entry for /srv/node/d1", e.Message);

            var byLabel = Node(Fstab + "disk=\ncurrent=\n");
            e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(byLabel).PlanAsync(Request(disk: null), CancellationToken.None));
            Assert.Equal(NodeErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("-DiskPath", e.RecommendedAction);

            var missing = Node(Fstab + "disk=/dev/sdz\ncurrent=\nblock=no\n");
            e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(missing).PlanAsync(Request(disk: "/dev/sdz"), CancellationToken.None));
            Assert.Contains("/dev/sdz is not a block device", e.Message);

            await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(missing).PlanAsync(new SwiftDiskRequest { Device = "../etc" }, CancellationToken.None));
            await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(missing).PlanAsync(new SwiftDiskRequest { Device = "d1", DiskPath = "/etc/passwd" }, CancellationToken.None));
            Assert.Empty(Changes(missing));
        }

        [Fact]
        public async Task WhenTheOldDiskStillCarriesTheLabelTheNewOneIsMountedByDeviceWithTheFstabOptionsAndANote()
        {
            // found on the devcloud: the pulled disk's file system stayed alive (open database handles) with label s02-d1,
            // and mount by label mounted it again instead of the new disk
            var node = Node(Fstab + "disk=/dev/loop9\ncarriers=/dev/loop2 \ncurrent=\ncurrentmm=\nblock=yes\ndiskmm=7:9\nmounts=\n");
            var result = await new SwiftDiskReplacer(node, null, new VirtualClock()).ReplaceAsync(Request(), (t, a) => true, CancellationToken.None);
            Assert.Equal(new[] { "mkfs.xfs -L s02-d1 /dev/loop9", "mount -t xfs -o noatime,nofail /dev/loop9 /srv/node/d1", "chown swift:swift /srv/node/d1" }, Changes(node));
            Assert.Contains("LABEL=s02-d1 is also on /dev/loop2", result.Note);
            Assert.Equal("Replaced", result.Status);
        }

        [Fact]
        public async Task AMkfsThatFailsAfterTheUnmountSaysTheNodeIsUnmountedAndTheDiskNotFormatted()
        {
            var node = Node(Fstab + "disk=/dev/loop9\ncurrent=/dev/loop3\ncurrentmm=7:3\nmpfiles=0\nblock=yes\ndiskmm=7:9\nmounts=\n")
                .OnStartsWith("mkfs.xfs", exit: 1, stderr: "mkfs.xfs: cannot open /dev/loop9: Device or resource busy\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(node).ReplaceAsync(Request(), (t, a) => true, CancellationToken.None));
            Assert.Equal(NodeErrorKind.Busy, e.Kind);
            Assert.Contains("Making the XFS file system on /dev/loop9 failed", e.Message);
            Assert.Contains("Done before it: umount /srv/node/d1 (mounted from /dev/loop3).", e.Message);
            Assert.Contains("/srv/node/d1 is not mounted", e.Message);
            Assert.Contains("/dev/loop9 is not formatted", e.Message);
            Assert.DoesNotContain("mount /srv/node/d1", node.Commands);
        }

        [Fact]
        public async Task AMountThatPicksAnotherDiskIsAnErrorAndNoReplicationIsAWaitedNote()
        {
            var wrong = Node(afterMount: Fstab + "disk=/dev/loop9\ncurrent=/dev/loop4\ncurrentmm=7:4\nblock=yes\ndiskmm=7:9\n");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new SwiftDiskReplacer(wrong, null, new VirtualClock()).ReplaceAsync(Request(), (t, a) => true, CancellationToken.None));
            Assert.Contains("the node mounts /dev/loop4 there, not /dev/loop9", e.Message);

            var clock = new VirtualClock();
            var idle = Node().On("-path", stdout: "0\n");
            var result = await new SwiftDiskReplacer(idle, null, clock).ReplaceAsync(Request(), (t, a) => true, CancellationToken.None);
            Assert.Equal("Waiting", result.Replication);
            Assert.Equal(0, result.ObjectFiles);
            Assert.InRange(clock.Elapsed, 30, 40);
            Assert.Contains("no object reached /srv/node/d1 in 30 s", result.Note);
        }
    }
}
