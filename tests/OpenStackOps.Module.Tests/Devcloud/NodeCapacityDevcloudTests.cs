using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Get-NodeCapacity against the devcloud's real placement, checked with the osc-placement CLI.</summary>
    [Trait("Tier", "Devcloud")]
    public class NodeCapacityDevcloudTests
    {
        [Fact]
        public void EveryNodesFiguresAreWhatPlacementHolds()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Get-NodeCapacity");
            r.ThrowOnErrors();
            Assert.Equal(Cloud.ComputeHosts, r.Output.Select(o => P(o, "Host")));
            foreach (var node in r.Output)
            {
                string provider = P(node, "ProviderId");
                Assert.Equal(Cloud.OpenStackCli($"--os-placement-api-version 1.28 resource provider list --name {P(node, "Node")} -f value -c uuid").Trim(), provider);
                var usages = JsonNode.Parse(Cloud.OpenStackCli($"--os-placement-api-version 1.28 resource provider usage show {provider} -f json")).AsArray()
                    .ToDictionary(u => (string)u["resource_class"], u => (long)u["usage"]);
                var inventory = JsonNode.Parse(Cloud.OpenStackCli($"--os-placement-api-version 1.28 resource provider inventory list {provider} -f json")).AsArray()
                    .ToDictionary(i => (string)i["resource_class"], i => i);
                Assert.Equal(usages["VCPU"].ToString(), P(node, "VcpuUsed"));
                Assert.Equal(usages["MEMORY_MB"].ToString(), P(node, "MemoryMbUsed"));
                long vcpuCapacity = (long)(((long)inventory["VCPU"]["total"] - (long)inventory["VCPU"]["reserved"]) * (double)inventory["VCPU"]["allocation_ratio"]);
                Assert.Equal(vcpuCapacity.ToString(), P(node, "VcpuCapacity"));
                long memoryCapacity = (long)(((long)inventory["MEMORY_MB"]["total"] - (long)inventory["MEMORY_MB"]["reserved"]) * (double)inventory["MEMORY_MB"]["allocation_ratio"]);
                Assert.Equal((memoryCapacity - usages["MEMORY_MB"]).ToString(), P(node, "MemoryMbFree"));
            }
            Assert.True(r.Output.Sum(o => long.Parse(P(o, "VcpuUsed"))) > 0, "the devcloud's seeded servers use vCPUs");
        }
    }
}
