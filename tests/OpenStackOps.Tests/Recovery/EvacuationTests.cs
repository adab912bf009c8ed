using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Recovery
{
    /// <summary>The evacuate body per microversion, and the plan: who nova will evacuate and what happens to their disks.</summary>
    public class EvacuationTests
    {
        private const string Id = "c50c8da6-b360-47ce-93d2-f436e625b615";

        [Theory]
        // 2.1-2.13: onSharedStorage is required (nova's sample sends a string).
        [InlineData("2.1", "c02", true, "{\"evacuate\":{\"host\":\"c02\",\"onSharedStorage\":\"True\"}}")]
        [InlineData("2.13", null, false, "{\"evacuate\":{\"onSharedStorage\":\"False\"}}")]
        // 2.14 on: nova detects shared storage itself.
        [InlineData("2.14", "c02", true, "{\"evacuate\":{\"host\":\"c02\"}}")]
        [InlineData("2.93", null, false, "{\"evacuate\":{}}")]
        public async Task TheBodyFollowsTheMicroversion(string cloudMax, string host, bool shared, string expected)
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument(cloudMax);
            var post = nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(cloudMax == "2.1" ? 200 : 202, cloudMax == "2.1" ? "{\"adminPass\": \"x\"}" : null, "req-evac-1");
            var result = await new EvacuationApi(nova.Compute).EvacuateAsync(Id, host, shared, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            OpenStackOps.Tests.Migrations.Json.AssertEqual(expected, post.Request.Body);
            Assert.Equal("compute " + cloudMax, post.Request.Header("OpenStack-API-Version"));
            Assert.Equal("req-evac-1", result.RequestId);
        }

        private static Server S(string vmState, string status, string image = "img-1", string host = "c03.example.com")
            => new Server { Id = Id, Name = "web", Host = host, VmState = vmState, Status = status, ImageId = image };

        [Theory]
        [InlineData("img-1", false, DataFate.LostRebuiltFromImage)]
        [InlineData("img-1", true, DataFate.KeptSharedStorage)]
        [InlineData("", false, DataFate.KeptBootVolume)]
        [InlineData(null, true, DataFate.KeptBootVolume)]
        public void TheDataFateFollowsTheDiskLayout(string image, bool shared, DataFate expected)
            => Assert.Equal(expected, EvacuationPlan.Fate(S("active", "ACTIVE", image), shared));

        [Theory]
        [InlineData("active", "ACTIVE")]
        [InlineData("stopped", "SHUTOFF")]
        [InlineData("error", "ERROR")]
        public void ActiveStoppedAndErrorServersArePlanned(string vm, string status)
        {
            var plan = EvacuationPlan.For(S(vm, status), "c03.example.com", "c02.example.com", false, "cloud", "r1");
            Assert.Equal(MigrationOutcome.Planned, plan.Outcome);
            Assert.Equal(MigrationKind.Evacuation, plan.MoveKind);
            Assert.Equal("LostRebuiltFromImage", plan.DataFate);
            Assert.Equal(status, plan.StatusBefore);
            Assert.Contains("REBUILT FROM THE IMAGE", plan.Message);
        }

        [Theory]
        [InlineData("paused", "PAUSED")]
        [InlineData("suspended", "SUSPENDED")]
        [InlineData("shelved_offloaded", "SHELVED_OFFLOADED")]
        public void OtherStatesAreSkippedWithTheReason(string vm, string status)
        {
            var plan = EvacuationPlan.For(S(vm, status), "c03.example.com", null, false, "cloud", "r1");
            Assert.Equal(MigrationOutcome.Skipped, plan.Outcome);
            Assert.Contains(vm, plan.Message);
        }

        [Fact]
        public void AServerOnAnotherHostIsSkipped()
        {
            var plan = EvacuationPlan.For(S("active", "ACTIVE", host: "c01.example.com"), "c03.example.com", null, false, "cloud", "r1");
            Assert.Equal(MigrationOutcome.Skipped, plan.Outcome);
            Assert.Contains("not on the failed host", plan.Message);
        }
    }
}
