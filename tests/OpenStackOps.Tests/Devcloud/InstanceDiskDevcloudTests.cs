using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Disks;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// The mount procedure on the real c01 over real SSH, with one step made to fail at the command runner (the
    /// devcloud's stand-ins have no fault hooks): every step before it really happened on the node, and its undo
    /// really ran. OpenSSH's own client then checks that the domain runs and no device is attached.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class InstanceDiskDevcloudTests
    {
        private static string Dir => DevcloudProfiles.Directory;

        /// <summary>Fails the first command that starts with <see cref="Prefix"/>, without running it; passes everything else through.</summary>
        private sealed class FailingShell : INodeShell
        {
            private readonly INodeShell _inner;
            private int _failed;
            public FailingShell(INodeShell inner, string prefix) { _inner = inner; Prefix = prefix; }
            public string Prefix { get; }
            public bool Injected => _failed > 0;
            public string NodeName => _inner.NodeName;
            public string UserName => _inner.UserName;

            public Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct)
            {
                string bare = command.ToCommandLine(false);
                if (bare.StartsWith(Prefix, StringComparison.Ordinal) && Interlocked.Exchange(ref _failed, 1) == 0)
                    return Task.FromResult(new CommandResult(command.ToCommandLine(true), 1, "", "injected failure", TimeSpan.Zero));
                return _inner.RunAsync(command, ct);
            }

            public Task DownloadAsync(string remotePath, Stream destination, Action<long> progress, CancellationToken ct) => _inner.DownloadAsync(remotePath, destination, progress, ct);
            public Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct) => _inner.GetFileSizeAsync(remotePath, ct);
            public Task UploadAsync(Stream source, string remotePath, CancellationToken ct) => _inner.UploadAsync(source, remotePath, ct);
        }

        private static JsonNode Server(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "seed.json")))["servers"].AsArray().First(s => (string)s["name"] == name);

        private static async Task<SshNodeShell> C01()
        {
            Assert.True(File.Exists(Path.Combine(Dir, "nodes.json")), "The devcloud is not up: run tools/devcloud/up.sh.");
            var options = new NodeConnectionOptions
            {
                NodeName = "c01.example.com", Address = "127.0.0.1", Port = 2201, UserName = "osops",
                KnownHostsPath = Path.Combine(Dir, "ssh", "known_hosts"),
            };
            options.KeyFiles.Add(Path.Combine(Dir, "ssh", "id_rsa")); // the PEM RSA key this time
            return await SshNodeShell.ConnectAsync(options, null, CancellationToken.None);
        }

        private static string Ssh(string line)
        {
            var psi = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-F", Path.Combine(Dir, "ssh", "config"), "c01", line }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            string o = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return o;
        }

        private static string[] AttachedNbd() => Ssh("for d in /sys/block/nbd*; do [ -e \"$d/pid\" ] && echo \"${d##*/}\"; done; true").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        private static string[] OurMounts() => Ssh("awk '$2 ~ \"^/mnt/openstackops/\" {print $2}' /proc/mounts").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        private static void Cleanup()
            => Ssh("for m in $(awk '$2 ~ \"^/mnt/openstackops/\" {print $2}' /proc/mounts); do umount -l \"$m\"; done; " +
                   "for d in /sys/block/nbd*; do [ -e \"$d/pid\" ] && qemu-nbd -d /dev/${d##*/}; done; " +
                   "for f in /var/lib/openstackops/mounts/*; do [ -e \"$f\" ] && { d=$(sed -n 's/^domain=//p' \"$f\"); [ \"$(virsh domstate $d | head -1)\" = paused ] && virsh resume $d; rm -f \"$f\"; }; done; " +
                   "rmdir /mnt/openstackops/* 2>/dev/null; true");

        private static InstanceDiskRequest Request(JsonNode server, bool local) => new InstanceDiskRequest
        {
            ServerId = (string)server["id"], ServerName = (string)server["name"], Domain = (string)server["instanceName"],
            IncludeLocalDisk = local, Justification = "osops engine test: injected failure", RequestedBy = "xunit",
        };

        [Theory]
        [InlineData("virsh suspend", false)]
        [InlineData("modprobe nbd", false)]
        [InlineData("qemu-nbd -c", false)]
        [InlineData("mount -o", false)]
        [InlineData("mount -o ro,noload -- /dev/nbd1", true)]
        [InlineData("sh -c 'f=$1", true)]
        public async Task AFailureAtAMountStepLeavesTheDomainRunningAndNoDeviceAttached(string failing, bool local)
        {
            var server = Server("c01-web");
            string domain = (string)server["instanceName"];
            using var ssh = await C01();
            try
            {
                if (failing.StartsWith("modprobe"))
                    Ssh("lsmod | grep -q '^nbd ' && [ -z \"$(for d in /sys/block/nbd*; do [ -e $d/pid ] && echo x; done)\" ] && modprobe -r nbd; true");
                var shell = new FailingShell(ssh, failing);
                var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskInspector(shell).MountAsync(Request(server, local), CancellationToken.None));
                Assert.True(shell.Injected, "the step " + failing + " was never reached");
                Assert.Contains("injected failure", e.Message);
                Assert.Contains("undone", e.Message);
                Assert.Equal("running", Ssh("virsh domstate " + domain).Trim());
                Assert.Empty(AttachedNbd());
                Assert.Empty(OurMounts());
                Assert.Equal("", Ssh("ls /mnt/openstackops 2>/dev/null").Trim());
            }
            finally
            {
                Cleanup();
            }
        }

        [Theory]
        [InlineData("umount -- ")]
        [InlineData("qemu-nbd -d")]
        public async Task AFailureWhileDismountingStillResumesTheDomain(string failing)
        {
            var server = Server("c01-db");
            string domain = (string)server["instanceName"];
            using var ssh = await C01();
            try
            {
                var mount = await new InstanceDiskInspector(ssh).MountAsync(Request(server, false), CancellationToken.None);
                Assert.Equal("paused", Ssh("virsh domstate " + domain).Trim());
                var shell = new FailingShell(ssh, failing);
                if (failing.StartsWith("umount"))
                {
                    // umount refused: detached lazily, then everything else as usual.
                    var done = await new InstanceDiskDismounter(shell).DismountAsync(mount, "xunit", CancellationToken.None);
                    Assert.Contains(done.Warnings, w => w.Contains("lazily"));
                    Assert.Empty(AttachedNbd());
                    Assert.Empty(OurMounts());
                }
                else
                {
                    // The device would not detach: reported, and the domain is resumed all the same.
                    var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDiskDismounter(shell).DismountAsync(mount, "xunit", CancellationToken.None));
                    Assert.Contains("disconnecting", e.Message);
                    Assert.Empty(OurMounts());
                }
                Assert.True(shell.Injected);
                Assert.Equal("running", Ssh("virsh domstate " + domain).Trim());
            }
            finally
            {
                Cleanup();
                Assert.Empty(AttachedNbd());
            }
        }
    }
}
