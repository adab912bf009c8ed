using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Recovery;
using OpenStackOps.Node.Shell;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>The copy's steps, and that a failure at the upload or the check leaves no staging directory and nothing in place.</summary>
    public class InstanceDirectoryCopierTests
    {
        private const string Id = "def1e37f-681e-4364-9080-cf0fecea020f";
        private const string Dir = "/var/lib/nova/instances/" + Id;
        private const string HashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        private const string HashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

        private static FakeNodeShell Source() => new FakeNodeShell()
            .OnStartsWith("test -d " + Dir, 0)
            .On("sha256sum", 0, $"{HashA}  ./disk\n{HashB}  ./disk.local\n")
            .OnStartsWith("find " + Dir, 0, "disk\t3\ndisk.local\t2\n");

        private static FakeNodeShell Destination(string copiedHashes) => new FakeNodeShell()
            .OnStartsWith("test -e " + Dir, 1)
            .OnStartsWith("test -d " + Dir + ".osops-partial", 0)
            .On("sha256sum", 0, copiedHashes);

        [Fact]
        public async Task CopiesIntoStagingChecksHandsToNovaAndRenames()
        {
            var from = Source();
            from.Files = new Dictionary<string, byte[]> { [Dir + "/disk"] = new byte[] { 1, 2, 3 }, [Dir + "/disk.local"] = new byte[] { 4, 5 } };
            var to = Destination($"{HashA}  ./disk\n{HashB}  ./disk.local\n");
            var uploads = new List<string>();
            to.OnUpload = (path, bytes) => uploads.Add($"{path}:{bytes.Length}");
            var progress = new List<long>();
            var copier = new InstanceDirectoryCopier { OnProgress = (done, total) => progress.Add(done) };

            var result = await copier.CopyAsync(from, to, Id, CancellationToken.None);

            Assert.Equal(new Dictionary<string, string> { ["disk"] = HashA, ["disk.local"] = HashB }, result.Sha256);
            Assert.Equal(2, result.Files);
            Assert.Equal(5, result.Bytes);
            Assert.Equal(new[] { Dir + ".osops-partial/disk:3", Dir + ".osops-partial/disk.local:2" }, uploads);
            Assert.Equal(5, progress.Last());
            var steps = to.Matching("rm ", "mkdir ", "sh -c ", "mv ");
            Assert.StartsWith("rm -rf " + Dir + ".osops-partial", steps[0]);
            Assert.Contains("chown -R nova:nova", steps[^2]);
            Assert.Equal("mv -T " + Dir + ".osops-partial " + Dir, steps[^1]);
        }

        [Fact]
        public async Task AFailedUploadRemovesTheStagingDirectoryAndPutsNothingInPlace()
        {
            var from = Source();
            from.Files = new Dictionary<string, byte[]> { [Dir + "/disk"] = new byte[] { 1, 2, 3 }, [Dir + "/disk.local"] = new byte[] { 4, 5 } };
            var to = Destination("");
            to.OnUpload = (path, bytes) => { if (path.EndsWith("disk.local")) throw new NodeCommandException(NodeErrorKind.CommandFailed, "c02", "No space left on device"); };

            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDirectoryCopier().CopyAsync(from, to, Id, CancellationToken.None));

            Assert.Contains("No space left", e.Message);
            Assert.Equal("rm -rf " + Dir + ".osops-partial", to.Commands.Last());
            Assert.DoesNotContain(to.Commands, c => c.StartsWith("mv "));
        }

        [Fact]
        public async Task AChecksumMismatchRemovesTheCopy()
        {
            var from = Source();
            from.Files = new Dictionary<string, byte[]> { [Dir + "/disk"] = new byte[] { 1, 2, 3 }, [Dir + "/disk.local"] = new byte[] { 4, 5 } };
            var to = Destination($"{HashA}  ./disk\n{HashA}  ./disk.local\n");
            to.OnUpload = (path, bytes) => { };

            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDirectoryCopier().CopyAsync(from, to, Id, CancellationToken.None));

            Assert.Contains("disk.local", e.Message);
            Assert.Equal("rm -rf " + Dir + ".osops-partial", to.Commands.Last());
            Assert.DoesNotContain(to.Commands, c => c.StartsWith("mv "));
        }

        [Fact]
        public async Task AnExistingTargetOrAnIdThatIsNotAUuidIsRefusedBeforeAnythingIsWritten()
        {
            var to = new FakeNodeShell().OnStartsWith("test -e " + Dir, 0);
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDirectoryCopier().CopyAsync(Source(), to, Id, CancellationToken.None));
            Assert.Contains("never replaced", e.Message);
            Assert.DoesNotContain(to.Commands, c => c.StartsWith("mkdir ") || c.StartsWith("rm "));

            await Assert.ThrowsAsync<NodeCommandException>(() => new InstanceDirectoryCopier().CopyAsync(Source(), to, "../../etc", CancellationToken.None));
        }
    }
}
