using System.Linq;
using System.Text.Json.Nodes;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>The foundation cmdlets against the real nova of the devcloud.</summary>
    [Trait("Tier", "Devcloud")]
    public class ComputeNodeDevcloudTests
    {
        [Fact]
        public void SeesEveryComputeHostUp()
        {
            using var host = Infrastructure.Devcloud.Connected();
            var r = host.Run("Get-ComputeNode");
            r.ThrowOnErrors();
            var nodes = r.Output.Where(o => Infrastructure.Devcloud.ComputeHosts.Contains(RunResult.Prop<string>(o, "Host"))).ToList();
            Assert.Equal(Infrastructure.Devcloud.ComputeHosts.Length, nodes.Count);
            Assert.All(nodes, n => Assert.Equal("up", RunResult.Prop<string>(n, "State")));
            Assert.All(nodes, n => Assert.Equal("fake", RunResult.Prop<string>(n, "HypervisorType")));
            Assert.All(nodes, n => Assert.True(RunResult.Prop<int?>(n, "Vcpus") > 0));
        }

        [Fact]
        public void DisableWithAReasonShowsInTheRealServiceListAndEnableRestoresIt()
        {
            using var host = Infrastructure.Devcloud.Connected();
            const string hostName = "c03.example.com";
            try
            {
                var r = host.Run($"Get-ComputeNode c03 | Disable-ComputeNode -Reason 'osops test: patching' -PassThru");
                r.ThrowOnErrors();
                Assert.Equal("disabled", RunResult.Prop<string>(Assert.Single(r.Output), "Status"));

                // Seen through another client: Debian's openstack CLI.
                var listed = JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli($"compute service list --host {hostName} --service nova-compute --long -f json")).AsArray().Single();
                Assert.Equal("disabled", (string)listed["Status"]);
                Assert.Equal("osops test: patching", (string)listed["Disabled Reason"]);

                host.Run("Enable-ComputeNode c03").ThrowOnErrors();
                listed = JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli($"compute service list --host {hostName} --service nova-compute --long -f json")).AsArray().Single();
                Assert.Equal("enabled", (string)listed["Status"]);
            }
            finally
            {
                host.Run("Enable-ComputeNode c03");
            }
        }

        [Fact]
        public void TheServersOfAHostAreExactlyThoseNovaPlacedThere()
        {
            using var host = Infrastructure.Devcloud.Connected();
            int total = 0;
            foreach (string hostName in Infrastructure.Devcloud.ComputeHosts)
            {
                var r = host.Run($"Get-NodeServer {hostName}");
                r.ThrowOnErrors();
                var fromModule = r.Output.Select(o => RunResult.Prop<string>(o, "Id")).OrderBy(x => x).ToArray();
                // Nova's own record, read from its database.
                var fromDb = Infrastructure.Devcloud.Sql($"select uuid from nova.instances where host='{hostName}' and deleted=0 order by uuid");
                Assert.Equal(fromDb, fromModule);
                Assert.All(r.Output, o => Assert.Equal(hostName, RunResult.Prop<string>(o, "Host")));
                total += fromModule.Length;
            }
            Assert.True(total >= 3, "the devcloud seeds several servers; found " + total);
        }
    }
}
