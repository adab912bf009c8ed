using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>The SSH shell itself against c01's real sshd: timeouts, quoting end to end, sudo, the RSA PEM key.</summary>
    [Trait("Tier", "Devcloud")]
    public class SshNodeShellDevcloudTests
    {
        private static Task<SshNodeShell> C01(string user, string key, TimeSpan? commandTimeout = null)
        {
            string dir = DevcloudProfiles.Directory;
            Assert.True(File.Exists(Path.Combine(dir, "nodes.json")), "The devcloud is not up: run tools/devcloud/up.sh.");
            var options = new NodeConnectionOptions
            {
                NodeName = "c01.example.com", Address = "127.0.0.1", Port = 2201, UserName = user,
                KnownHostsPath = Path.Combine(dir, "ssh", "known_hosts"), CommandTimeout = commandTimeout ?? TimeSpan.FromMinutes(1),
            };
            options.KeyFiles.Add(Path.Combine(dir, "ssh", key));
            return SshNodeShell.ConnectAsync(options, null, CancellationToken.None);
        }

        [Fact]
        public async Task ACommandOverItsTimeoutIsInterruptedAndTheConnectionStaysUsable()
        {
            using var shell = await C01("root", "id_rsa", TimeSpan.FromSeconds(2));
            var watch = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => shell.RunAsync(NodeCommand.User("sleep", "30"), CancellationToken.None));
            Assert.Equal(NodeErrorKind.Timeout, e.Kind);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "took " + watch.Elapsed);
            var r = await shell.RunAsync(new NodeCommand(false, "hostname") { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);
            Assert.Equal("c01.example.com", r.StandardOutput.Trim());
            // ...and the remote command does not live on: it was started with a bounded life on the node too.
            await Task.Delay(TimeSpan.FromSeconds(8));
            var left = await shell.RunAsync(NodeCommand.Script(false, "ps -eo user=,args= | grep -c '^root *sleep 30$' || true"), CancellationToken.None);
            Assert.Equal("0", left.StandardOutput.Trim());
        }

        [Theory]
        [InlineData("$(touch /tmp/osops-never-1)")]
        [InlineData("a'b\"c`id`;|&><*?~ \\ end")]
        [InlineData("line1\nline2")]
        public async Task ArgumentsArriveLiterallyThroughSshAndSudo(string argument)
        {
            using var shell = await C01("osops", "id_ed25519");
            var r = await shell.RunCheckedAsync(NodeCommand.Root("printf", "%s", argument), "printf", CancellationToken.None);
            Assert.Equal(argument, r.StandardOutput);
            Assert.StartsWith("sudo -n -- printf", r.CommandLine);
            var who = await shell.RunCheckedAsync(NodeCommand.Root("id", "-un"), "id", CancellationToken.None);
            Assert.Equal("root", who.StandardOutput.Trim());
            Assert.False(File.Exists("/tmp/osops-never-1"));
        }

        [Fact]
        public async Task ALoginOtherThanRootReadsAndWritesRootOnlyFilesThroughSudo()
        {
            // A guest's /root is 0700 in real images: SFTP as osops could not read it; sudo cat can.
            using var root = await C01("root", "id_rsa");
            using var shell = await C01("osops", "id_ed25519");
            string dir = "/root/osops-sudo-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            var bytes = new byte[300_000];
            new Random(7).NextBytes(bytes); // binary, larger than one channel window
            try
            {
                await root.RunCheckedAsync(NodeCommand.Script(false, "mkdir -m 700 \"$1\"", dir), "mkdir", CancellationToken.None);
                using (var upload = new MemoryStream(bytes))
                    await shell.UploadAsync(upload, dir + "/blob", CancellationToken.None);
                var owner = await root.RunCheckedAsync(NodeCommand.User("stat", "-c", "%U %s", dir + "/blob"), "stat", CancellationToken.None);
                Assert.Equal("root 300000", owner.StandardOutput.Trim());
                Assert.NotEqual(0, (await shell.RunAsync(NodeCommand.User("cat", dir + "/blob"), CancellationToken.None)).ExitCode); // really out of osops' own reach

                Assert.Equal(300_000, await shell.GetFileSizeAsync(dir + "/blob", CancellationToken.None));
                var seen = new System.Collections.Generic.List<long>();
                using var download = new MemoryStream();
                await shell.DownloadAsync(dir + "/blob", download, seen.Add, CancellationToken.None);
                Assert.Equal(bytes, download.ToArray());
                Assert.Equal(300_000, seen[^1]);

                Assert.Null(await shell.GetFileSizeAsync(dir + "/missing", CancellationToken.None));
                Assert.Null(await shell.GetFileSizeAsync(dir, CancellationToken.None)); // a directory is not a file to copy
                var e = await Assert.ThrowsAsync<NodeCommandException>(() => shell.DownloadAsync(dir + "/missing", new MemoryStream(), null, CancellationToken.None));
                Assert.Equal(NodeErrorKind.NotFound, e.Kind);
                Assert.Contains("No such file", e.Message);
                // The connection is still good after a failed transfer.
                Assert.Equal("root", (await shell.RunCheckedAsync(NodeCommand.Root("id", "-un"), "id", CancellationToken.None)).StandardOutput.Trim());
            }
            finally
            {
                await root.RunAsync(NodeCommand.User("rm", "-rf", dir), CancellationToken.None);
            }
        }
    }
}
