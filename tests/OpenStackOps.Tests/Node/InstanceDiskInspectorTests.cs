using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Disks;
using OpenStackOps.Node.Shell;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>
    /// The mount procedure against a scripted node: the commands and their order, and that a failure at each step
    /// undoes exactly the steps done before it, newest first.
    /// </summary>
    public class InstanceDiskInspectorTests
    {
        private const string Id = "d39891ec-b7ff-4c93-8c77-1da9230d5004";
        private const string Domain = "instance-00000002";
        private const string Mp = "/mnt/openstackops/" + Id;
        private const string MpLocal = Mp + "-local";
        private static readonly string[] UndoPrefixes = { "virsh resume", "qemu-nbd -d", "umount", "rmdir", "rm -f" };

        internal static FakeNodeShell HealthyNode(string domainState = "running")
        {
            return new FakeNodeShell()
                .OnStartsWith("virsh domstate", stdout: domainState + "\n\n")
                .OnStartsWith("test -e /sys/block/nbd0", exit: 1)
                .OnStartsWith("od -An", stdout: " 00 00 00 00\n")
                .On("for d in /sys/block/nbd*", stdout: "nbd0\nnbd1\nnbd2\n")
                .On("i=0", stdout: "nbd0p1\nnbd0p2\n")
                .OnStartsWith("blkid", stdout: "ext4\n")
                .OnStartsWith("mountpoint -q", exit: 1)
                .OnStartsWith("test -d", exit: 1)
                // the same image cannot go on nbd0 twice: disk.local is refused there and goes to nbd1
                .OnStartsWith("qemu-nbd -c /dev/nbd0 -r -f raw /var/lib/nova/instances/" + Id + "/disk.local", exit: 1, stderr: "qemu-nbd: Failed to set NBD socket\n");
        }

        private static InstanceDiskRequest Request(bool local = false) => new InstanceDiskRequest
        {
            ServerId = Id, ServerName = "c01-web", Domain = Domain, Justification = "INC-1: customer's logs", IncludeLocalDisk = local, RequestedBy = "tester",
        };

        [Fact]
        public async Task MountsReadOnlyInTheGuidesOrder()
        {
            var node = HealthyNode();
            var mount = await new InstanceDiskInspector(node).MountAsync(Request(local: true), CancellationToken.None);

            Assert.True(mount.Mounted);
            Assert.True(mount.Suspended);
            Assert.True(mount.ReadOnly);
            Assert.Equal("INC-1: customer's logs", mount.Justification);
            Assert.Equal(Mp, mount.MountPoint);
            Assert.Equal(new[] { "/dev/nbd0", "/dev/nbd1" }, mount.Disks.Select(d => d.Device));
            Assert.Equal(new[] { "/dev/nbd0p1", "/dev/nbd1" }, mount.Disks.Select(d => d.MountedDevice));
            Assert.Equal(new[]
            {
                "virsh suspend " + Domain,
                "modprobe nbd max_part=8",
                $"qemu-nbd -c /dev/nbd0 -r -f raw /var/lib/nova/instances/{Id}/disk",
                "mkdir -p -- " + Mp,
                $"mount -o ro,noload -- /dev/nbd0p1 {Mp}",
                $"qemu-nbd -c /dev/nbd0 -r -f raw /var/lib/nova/instances/{Id}/disk.local",
                $"qemu-nbd -c /dev/nbd1 -r -f raw /var/lib/nova/instances/{Id}/disk.local",
                "mkdir -p -- " + MpLocal,
                $"mount -o ro,noload -- /dev/nbd1 {MpLocal}",
            }, node.Matching("virsh suspend", "modprobe", "qemu-nbd", "mkdir", "mount "));
            // The justification went to the node's logs before anything was touched, as one argument.
            var audit = node.Commands.First();
            Assert.Contains("logger -t openstackops", audit);
            Assert.Contains("justification=INC-1: customer'\\''s logs", audit);
            Assert.DoesNotContain(node.Commands, c => UndoPrefixes.Any(p => c.StartsWith(p)));
        }

        [Fact]
        public async Task APausedDomainIsNeitherSuspendedNorResumed()
        {
            var node = HealthyNode("paused");
            var mount = await new InstanceDiskInspector(node).MountAsync(Request(), CancellationToken.None);
            Assert.False(mount.Suspended);
            Assert.Empty(node.Matching("virsh suspend"));
            node.OnStartsWith("mountpoint -q", exit: 0).OnStartsWith("test -e /sys/block/nbd0/pid", exit: 0);
            await new InstanceDiskDismounter(node).DismountAsync(mount, "tester", CancellationToken.None);
            Assert.Empty(node.Matching("virsh resume"));
        }

        public static readonly TheoryData<string, string, bool, string[]> Failures = new TheoryData<string, string, bool, string[]>
        {
            // step that fails (command prefix), exit/answer, include disk.local, the undo commands expected afterwards in order
            { "virsh suspend", "fail", false, new string[0] },
            { "modprobe nbd", "fail", false, new[] { "virsh resume " + Domain } },
            { "od -An", "fail", false, new[] { "virsh resume " + Domain } },
            { "qemu-nbd -c /dev/nbd0", "fail", false, new[] { "virsh resume " + Domain } },
            { "sh -c 'i=0", "fail", false, new[] { "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "mountpoint -q", "busy", false, new[] { "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "mkdir -p", "fail", false, new[] { "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "mount -o", "fail", false, new[] { "rmdir -- " + Mp, "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "sh -c 'f=$1", "fail", false, new[] { "umount -- " + Mp, "rmdir -- " + Mp, "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "mount -o ro,noload -- /dev/nbd1", "fail", true, new[] { "rmdir -- " + MpLocal, "qemu-nbd -d /dev/nbd1", "umount -- " + Mp, "rmdir -- " + Mp, "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
            { "qemu-nbd -c /dev/nbd1", "fail", true, new[] { "umount -- " + Mp, "rmdir -- " + Mp, "qemu-nbd -d /dev/nbd0", "virsh resume " + Domain } },
        };

        [Theory]
        [MemberData(nameof(Failures))]
        public async Task AFailureAtEachStepUndoesTheEarlierStepsNewestFirst(string failing, string how, bool local, string[] expectedUndo)
        {
            var node = HealthyNode();
            if (how == "busy") node.OnStartsWith(failing, exit: 0);
            else node.OnStartsWith(failing, exit: 1, stderr: "injected failure of " + failing);

            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskInspector(node).MountAsync(Request(local), CancellationToken.None));
            Assert.Contains("undone", e.Message);
            int failedAt = node.Commands.FindIndex(c => c.StartsWith(failing, StringComparison.Ordinal) && (how == "busy" || c.Contains(failing)));
            var after = node.Commands.Skip(failedAt + 1).Where(c => UndoPrefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
            Assert.Equal(expectedUndo, after);
            // And the failure is in the node's audit log too.
            Assert.Contains(node.Commands, c => c.Contains("mount-instance-disk failed"));
        }

        [Fact]
        public async Task WhenUndoingFailsTooTheErrorSaysWhatIsLeftAndHowToFixIt()
        {
            var node = HealthyNode().OnStartsWith("mount -o", exit: 32, stderr: "mount: wrong fs type")
                .OnStartsWith("virsh resume", exit: 1, stderr: "error: Failed to resume domain");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskInspector(node).MountAsync(Request(), CancellationToken.None));
            Assert.Contains("Undoing the earlier steps also failed", e.Message);
            Assert.Contains("virsh resume " + Domain, e.RecommendedAction);
            // the other undo steps still ran
            Assert.Contains("qemu-nbd -d /dev/nbd0", node.Commands);
        }

        [Fact]
        public async Task NoFreeDeviceIsResourceBusyAndResumesTheDomain()
        {
            var node = HealthyNode().On("for d in /sys/block/nbd*", stdout: "");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskInspector(node).MountAsync(Request(), CancellationToken.None));
            Assert.Equal(NodeErrorKind.Busy, e.Kind);
            Assert.Equal("virsh resume " + Domain, node.Matching("virsh resume").Single());
        }

        private static InstanceDiskMount Mounted(bool local = true) => new InstanceDiskMount
        {
            Node = "c01.example.com", ServerId = Id, Domain = Domain, Suspended = true, Mounted = true,
            Disks = new[]
            {
                new MountedDisk { Disk = "disk", Device = "/dev/nbd0", MountedDevice = "/dev/nbd0p1", MountPoint = Mp },
                new MountedDisk { Disk = "disk.local", Device = "/dev/nbd1", MountedDevice = "/dev/nbd1", MountPoint = MpLocal },
            }.Take(local ? 2 : 1).ToArray(),
        };

        private static FakeNodeShell MountedNode() => new FakeNodeShell()
            .OnStartsWith("mountpoint -q", exit: 0)
            .OnStartsWith("test -e /sys/block/nbd", exit: 0)
            .OnStartsWith("virsh domstate", stdout: "paused\n\n");

        [Fact]
        public async Task DismountUnmountsDisconnectsAndResumesInReverse()
        {
            var node = MountedNode();
            var done = await new InstanceDiskDismounter(node).DismountAsync(Mounted(), "tester", CancellationToken.None);
            Assert.False(done.Mounted);
            Assert.Equal(new[]
            {
                "umount -- " + MpLocal, "qemu-nbd -d /dev/nbd1", "rmdir -- " + MpLocal,
                "umount -- " + Mp, "qemu-nbd -d /dev/nbd0", "rmdir -- " + Mp,
                "virsh resume " + Domain, "rm -f -- /var/lib/openstackops/mounts/" + Id,
            }, node.Matching(UndoPrefixes));
        }

        [Fact]
        public async Task ABusyMountPointIsDetachedLazilyAndTheRestStillHappens()
        {
            var node = MountedNode().OnStartsWith("umount -- " + Mp, exit: 32, stderr: "umount: " + Mp + ": target is busy.");
            var done = await new InstanceDiskDismounter(node).DismountAsync(Mounted(local: false), "tester", CancellationToken.None);
            Assert.Contains(node.Commands, c => c == "umount -l -- " + Mp);
            Assert.Contains(done.Warnings, w => w.Contains("lazily"));
            Assert.Contains("qemu-nbd -d /dev/nbd0", node.Commands);
            Assert.Contains("virsh resume " + Domain, node.Commands);
        }

        [Fact]
        public async Task ADeviceThatWillNotDisconnectStillResumesTheDomainThenFails()
        {
            var node = MountedNode().OnStartsWith("qemu-nbd -d /dev/nbd0", exit: 1, stderr: "qemu-nbd: Cannot open /dev/nbd0");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskDismounter(node).DismountAsync(Mounted(local: false), "tester", CancellationToken.None));
            Assert.Contains("disconnecting /dev/nbd0", e.Message);
            Assert.Contains("virsh resume " + Domain, node.Commands);
        }

        [Fact]
        public async Task ADomainResumedMeanwhileIsAWarningNotAFailure()
        {
            var node = MountedNode().OnStartsWith("virsh domstate", stdout: "running\n\n");
            var done = await new InstanceDiskDismounter(node).DismountAsync(Mounted(local: false), "tester", CancellationToken.None);
            Assert.Empty(node.Matching("virsh resume"));
            Assert.Contains(done.Warnings, w => w.Contains("already running"));
        }

        [Fact]
        public void TheRecordOnTheNodeReadsBackToTheSameMount()
        {
            var m = Mounted();
            m.Justification = "why | with = signs";
            m.MountedAt = DateTimeOffset.Parse("2026-11-23T09:00:00Z");
            var back = MountRecord.Parse(MountRecord.Lines(m), "c01.example.com");
            Assert.Equal(m.ServerId, back.ServerId);
            Assert.Equal(m.Domain, back.Domain);
            Assert.True(back.Suspended);
            Assert.Equal("why | with = signs", back.Justification);
            Assert.Equal(m.Disks.Select(d => d.MountPoint), back.Disks.Select(d => d.MountPoint));
            Assert.Equal(m.Disks.Select(d => d.Device), back.Disks.Select(d => d.Device));
        }

        [Theory]
        [InlineData("not-a-uuid", Domain, "why")]
        [InlineData(Id, "instance-1; reboot", "why")]
        [InlineData(Id, Domain, "  ")]
        public async Task BadRequestsAreRefusedBeforeAnythingRuns(string id, string domain, string why)
        {
            var node = HealthyNode();
            var r = Request();
            r.ServerId = id;
            r.Domain = domain;
            r.Justification = why;
            await Assert.ThrowsAsync<ArgumentException>(() => new InstanceDiskInspector(node).MountAsync(r, CancellationToken.None));
            Assert.Empty(node.Commands);
        }

        [Theory]
        [InlineData("/etc/hostname", Mp + "/etc/hostname")]
        [InlineData("etc//hostname", Mp + "/etc/hostname")]
        [InlineData("./var/./log/messages", Mp + "/var/log/messages")]
        public void GuestPathsStayUnderTheMountPoint(string guest, string expected)
            => Assert.Equal(expected, GuestPath.Under(Mp, guest));

        [Theory]
        [InlineData("../../etc/shadow")]
        [InlineData("/var/../../../etc/shadow")]
        [InlineData("/")]
        [InlineData("a\nb")]
        public void GuestPathsThatClimbOutAreRefused(string guest)
            => Assert.Throws<ArgumentException>(() => GuestPath.Under(Mp, guest));

        [Fact]
        public void ResolvedPathsOutsideTheMountPointAreDetected()
        {
            Assert.True(GuestPath.IsInside(Mp, Mp + "/etc/passwd"));
            Assert.False(GuestPath.IsInside(Mp, "/etc/passwd"));
            Assert.False(GuestPath.IsInside(Mp, Mp + "-local/x"));
        }
    }
}
