using System.IO;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Copy-InstanceDirectory between two real SSH nodes of the devcloud (c01 → c02), checked with OpenSSH's own client.</summary>
    [Trait("Tier", "Devcloud")]
    public class InstanceDirectoryCopyDevcloudTests
    {
        private static string Connect(string node, int port)
            => $"Connect-ComputeNode {node}.example.com -Address 127.0.0.1 -Port {port} -User root -KeyFile '{DevcloudNodes.KeyFile}' -KnownHostsPath '{DevcloudNodes.KnownHosts}'";

        private static string Hashes(string node, string dir) => DevcloudNodes.SshOk(node, $"cd {dir} && sha256sum disk disk.local");

        [Fact]
        public void AServersDirectoryArrivesByteIdenticalOwnedByNovaAndIsNeverOverwritten()
        {
            Infrastructure.Devcloud.RequireUp();
            string id = (string)DevcloudNodes.Server("c01-web")["id"]; // has disk and disk.local
            string dir = "/var/lib/nova/instances/" + id;
            Assert.Equal(1, DevcloudNodes.Ssh("c02", $"test -e {dir}").exit);
            using var host = new PowerShellHost();
            try
            {
                host.Run(Connect("c01", 2201) + "; " + Connect("c02", 2202)).ThrowOnErrors();
                var r = host.Run($"Copy-InstanceDirectory {id} -SourceNode c01.example.com -DestinationNode c02.example.com");
                r.ThrowOnErrors();
                var result = Assert.Single(r.Output);
                var sha = (System.Collections.Generic.IReadOnlyDictionary<string, string>)result.Properties["Sha256"].Value;
                Assert.Equal(new[] { "disk", "disk.local" }, sha.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
                Assert.Equal("2", P(result, "Files"));
                Assert.Equal((2L * 16 * 1024 * 1024).ToString(), P(result, "Bytes"));
                Assert.NotEmpty(r.Progress);

                Assert.Equal(Hashes("c01", dir), Hashes("c02", dir));
                foreach (var file in sha) Assert.Contains($"{file.Value}  {file.Key}", Hashes("c02", dir));
                Assert.Equal(1, DevcloudNodes.Ssh("c02", $"test -e {dir}.osops-partial").exit);
                string owner = DevcloudNodes.SshOk("c02", $"stat -c %U {dir}/disk").Trim();
                Assert.Equal(DevcloudNodes.Ssh("c02", "id nova").exit == 0 ? "nova" : "root", owner);

                // A second copy must not replace what is there.
                r = host.Run($"Copy-InstanceDirectory {id} -SourceNode c01.example.com -DestinationNode c02.example.com");
                var error = Assert.Single(r.AllErrors);
                Assert.StartsWith("NodeCopyInstanceDirectory", error.FullyQualifiedErrorId);
                Assert.Contains("never replaced", error.Exception.Message);
                Assert.Equal(Hashes("c01", dir), Hashes("c02", dir));

                // Not a uuid: refused before any node is touched.
                r = host.Run("Copy-InstanceDirectory '../../etc' -SourceNode c01.example.com -DestinationNode c02.example.com");
                Assert.Equal("InstanceDirectoryInvalidServerId,OpenStackOps.Commands.Nodes.CopyInstanceDirectoryCommand", Assert.Single(r.AllErrors).FullyQualifiedErrorId);
            }
            finally
            {
                DevcloudNodes.Ssh("c02", $"rm -rf {dir} {dir}.osops-partial");
                host.Run("Disconnect-ComputeNode c01.example.com; Disconnect-ComputeNode c02.example.com");
            }
        }

        [Fact]
        public void AMissingSourceDirectoryIsNotFoundAndLeavesNothingOnTheDestination()
        {
            Infrastructure.Devcloud.RequireUp();
            string id = "00000000-0000-4000-8000-000000000001";
            using var host = new PowerShellHost();
            host.Run(Connect("c01", 2201) + "; " + Connect("c02", 2202)).ThrowOnErrors();
            var r = host.Run($"Copy-InstanceDirectory {id} -SourceNode c01.example.com -DestinationNode c02.example.com");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("nothing to copy", error.Exception.Message);
            Assert.NotEqual(0, DevcloudNodes.Ssh("c02", $"ls -d /var/lib/nova/instances/{id}*").exit); // neither the directory nor a staging copy
        }
    }
}
