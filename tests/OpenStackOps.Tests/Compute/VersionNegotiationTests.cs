using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class VersionNegotiationTests
    {
        [Fact]
        public async Task NegotiatesOnceThenSendsTheChosenVersionOnEveryCall()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("GET", "/v2.1/os-services?binary=nova-compute").Respond(200, NovaFixture.Load("services-list-v2.53.json"));
            nova.Handler.Expect("GET", "/v2.1/os-services?binary=nova-compute").Respond(200, NovaFixture.Load("services-list-v2.53.json"));

            await nova.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None);
            await nova.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None);

            nova.Handler.AssertAllUsed();
            var list = nova.Handler.Requests[1];
            Assert.Equal("compute 2.93", list.Header("OpenStack-API-Version"));
            Assert.Equal("2.93", list.Header("X-OpenStack-Nova-API-Version"));
            Assert.Equal("tok-1", list.Header("X-Auth-Token"));
            Assert.Equal("2.1", nova.Compute.VersionRange.Minimum.ToString());
            Assert.Equal("2.93", nova.Compute.VersionRange.Maximum.ToString());
        }

        [Fact]
        public async Task NeverAsksForMoreThanItUnderstands()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.104");
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(200, "{\"services\": []}");
            await nova.Compute.Services.ListAsync(null, null, CancellationToken.None);
            Assert.Equal("compute " + ComputeClient.NewestUnderstood, nova.Handler.Requests[1].Header("OpenStack-API-Version"));
        }

        [Fact]
        public async Task UnversionedRootDocumentIsUnderstood()
        {
            var nova = new NovaFixture();
            nova.Handler.Expect("GET", "/v2.1/").Respond(300,
                "{\"versions\": [{\"id\": \"v2.0\", \"status\": \"SUPPORTED\", \"version\": \"\", \"min_version\": \"\"}," +
                " {\"id\": \"v2.1\", \"status\": \"CURRENT\", \"version\": \"2.60\", \"min_version\": \"2.1\"}]}");
            var range = await nova.Compute.GetVersionRangeAsync(CancellationToken.None);
            Assert.Equal("2.60", range.Maximum.ToString());
        }

        [Fact]
        public async Task AnOperationTheCloudIsTooOldForSaysWhatItNeeds()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.10");
            var service = new OpenStackOps.Compute.Services.ComputeService { Id = "7", Host = "c01", Binary = "nova-compute" };
            var e = await Assert.ThrowsAsync<MicroversionNotSupportedException>(
                () => nova.Compute.Services.SetForcedDownAsync(service, true, CancellationToken.None));
            Assert.Equal("2.11", e.Required.ToString());
            Assert.Equal("2.10", e.CloudMaximum.ToString());
            Assert.Contains("2.11", e.Message);
            nova.Handler.AssertAllUsed();
        }
    }
}
