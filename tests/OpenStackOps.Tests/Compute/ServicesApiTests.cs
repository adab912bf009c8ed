using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class ServicesApiTests
    {
        private static void AssertJson(string expected, string actual)
            => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

        [Fact]
        public async Task ListParsesServicesWithUuidIds()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", "/v2.1/os-services?host=c01.example.com&binary=nova-compute")
                .Respond(200, NovaFixture.Load("services-list-v2.53.json"));
            var services = await nova.Compute.Services.ListAsync("c01.example.com", "nova-compute", CancellationToken.None);
            var c02 = services.Single(s => s.Host == "c02.example.com");
            Assert.Equal("ad9a3c6b-f8a6-4a7c-9b0e-1e0d2a5b7c11", c02.Id);
            Assert.True(c02.IdIsUuid);
            Assert.Equal("disabled", c02.Status);
            Assert.Equal("maintenance", c02.DisabledReason);
            Assert.True(services.Single(s => s.Host == "compute-10").ForcedDown);
            Assert.Equal(2026, services[0].UpdatedAt.Value.Year);
        }

        [Fact]
        public async Task DisableAt253PutsStatusAndReasonByUuid()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("GET", "/v2.1/os-services?binary=nova-compute").Respond(200, NovaFixture.Load("services-list-v2.53.json"));
            var put = nova.Handler.Expect("PUT", "/v2.1/os-services/c4726392-27de-4ff9-b2e0-5aa1d08a520f")
                .Respond(200, NovaFixture.Load("service-disable-log-put-resp-v2.53.json"), "req-disable-1");

            var c01 = (await nova.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None)).First();
            var result = await nova.Compute.Services.DisableAsync(c01, "maintenance", CancellationToken.None);

            nova.Handler.AssertAllUsed();
            AssertJson("{\"status\": \"disabled\", \"disabled_reason\": \"maintenance\"}", put.Request.Body);
            Assert.Equal("compute 2.93", put.Request.Header("OpenStack-API-Version"));
            Assert.StartsWith("application/json", put.Request.Header("Content-Type"));
            Assert.Equal("disabled", result.Service.Status);
            Assert.Equal("maintenance", result.Service.DisabledReason);
            Assert.Equal("req-disable-1", result.RequestId);
        }

        [Fact]
        public async Task EnableAt253SendsNoReason()
        {
            // Nova 2.53 answers 400 to disabled_reason together with status=enabled.
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.53");
            var put = nova.Handler.Expect("PUT", "/v2.1/os-services/ad9a3c6b-f8a6-4a7c-9b0e-1e0d2a5b7c11")
                .Respond(200, "{\"service\": {\"id\": \"ad9a3c6b-f8a6-4a7c-9b0e-1e0d2a5b7c11\", \"binary\": \"nova-compute\", \"host\": \"c02.example.com\", \"status\": \"enabled\", \"state\": \"up\", \"disabled_reason\": null, \"forced_down\": false, \"zone\": \"nova\"}}");
            var service = new OpenStackOps.Compute.Services.ComputeService
            { Id = "ad9a3c6b-f8a6-4a7c-9b0e-1e0d2a5b7c11", Host = "c02.example.com", Binary = "nova-compute", Status = "disabled", DisabledReason = "maintenance" };

            var result = await nova.Compute.Services.EnableAsync(service, CancellationToken.None);

            AssertJson("{\"status\": \"enabled\"}", put.Request.Body);
            Assert.Equal("compute 2.53", put.Request.Header("OpenStack-API-Version"));
            Assert.Equal("enabled", result.Service.Status);
            Assert.Null(result.Service.DisabledReason);
        }

        [Fact]
        public async Task DisableBelow253UsesTheLegacyDisableLogReasonCall()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.11");
            nova.Handler.Expect("GET", "/v2.1/os-services?binary=nova-compute").Respond(200, NovaFixture.Load("services-list-v2.11.json"));
            var put = nova.Handler.Expect("PUT", "/v2.1/os-services/disable-log-reason")
                .Respond(200, NovaFixture.Load("service-disable-log-put-resp-legacy.json"));

            var c01 = (await nova.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None)).Single();
            var result = await nova.Compute.Services.DisableAsync(c01, "maintenance", CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("7", c01.Id);
            AssertJson("{\"host\": \"c01.example.com\", \"binary\": \"nova-compute\", \"disabled_reason\": \"maintenance\"}", put.Request.Body);
            Assert.Equal("compute 2.11", put.Request.Header("OpenStack-API-Version"));
            Assert.Equal("disabled", result.Service.Status);
            Assert.Equal("maintenance", result.Service.DisabledReason);
            Assert.Equal("up", result.Service.State); // kept from what we knew: the legacy answer does not echo it
        }

        [Fact]
        public async Task EnableBelow253UsesTheLegacyEnableCall()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.1");
            var put = nova.Handler.Expect("PUT", "/v2.1/os-services/enable")
                .Respond(200, "{\"service\": {\"binary\": \"nova-compute\", \"host\": \"c01.example.com\", \"status\": \"enabled\"}}");
            var service = new OpenStackOps.Compute.Services.ComputeService { Id = "7", Host = "c01.example.com", Binary = "nova-compute", Status = "disabled", DisabledReason = "x" };
            var result = await nova.Compute.Services.EnableAsync(service, CancellationToken.None);
            AssertJson("{\"host\": \"c01.example.com\", \"binary\": \"nova-compute\"}", put.Request.Body);
            Assert.Equal("compute 2.1", put.Request.Header("OpenStack-API-Version"));
            Assert.Null(result.Service.DisabledReason);
        }

        [Fact]
        public async Task ForceDownAt253PutsOnlyTheFlag()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var put = nova.Handler.Expect("PUT", "/v2.1/os-services/c4726392-27de-4ff9-b2e0-5aa1d08a520f")
                .Respond(200, "{\"service\": {\"id\": \"c4726392-27de-4ff9-b2e0-5aa1d08a520f\", \"binary\": \"nova-compute\", \"host\": \"c01.example.com\", \"status\": \"enabled\", \"state\": \"down\", \"forced_down\": true, \"zone\": \"nova\"}}");
            var service = new OpenStackOps.Compute.Services.ComputeService { Id = "c4726392-27de-4ff9-b2e0-5aa1d08a520f", Host = "c01.example.com", Binary = "nova-compute" };
            var result = await nova.Compute.Services.SetForcedDownAsync(service, true, CancellationToken.None);
            AssertJson("{\"forced_down\": true}", put.Request.Body);
            Assert.True(result.Service.ForcedDown);
        }

        [Fact]
        public async Task AForceDownThatMeetsA503IsSentAgainBecauseSettingTheFlagTwiceChangesNothing()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("PUT", "/v2.1/os-services/c4726392-27de-4ff9-b2e0-5aa1d08a520f").Respond(503, "");
            nova.Handler.Expect("PUT", "/v2.1/os-services/c4726392-27de-4ff9-b2e0-5aa1d08a520f")
                .Respond(200, "{\"service\": {\"id\": \"c4726392-27de-4ff9-b2e0-5aa1d08a520f\", \"binary\": \"nova-compute\", \"host\": \"c01.example.com\", \"status\": \"enabled\", \"state\": \"down\", \"forced_down\": true, \"zone\": \"nova\"}}");
            var service = new OpenStackOps.Compute.Services.ComputeService { Id = "c4726392-27de-4ff9-b2e0-5aa1d08a520f", Host = "c01.example.com", Binary = "nova-compute" };
            var result = await nova.Compute.Services.SetForcedDownAsync(service, true, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            Assert.True(result.Service.ForcedDown);
        }

        [Fact]
        public async Task ANovaFaultBecomesAnExceptionWithNovasMessageAndTheRequestId()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("PUT", "/v2.1/os-services/c4726392-27de-4ff9-b2e0-5aa1d08a520f").Respond(400,
                "{\"badRequest\": {\"code\": 400, \"message\": \"Unable to force up host c01.example.com as `done` evacuation migration records remain associated with the host.\"}}",
                "req-abc");
            var service = new OpenStackOps.Compute.Services.ComputeService { Id = "c4726392-27de-4ff9-b2e0-5aa1d08a520f", Host = "c01.example.com", Binary = "nova-compute" };
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.Compute.Services.SetForcedDownAsync(service, false, CancellationToken.None));
            Assert.Equal(ApiErrorKind.BadRequest, e.Kind);
            Assert.Equal(400, e.StatusCode);
            Assert.Equal("badRequest", e.FaultName);
            Assert.Equal("req-abc", e.RequestId);
            Assert.Contains("evacuation migration records remain", e.Message);
            Assert.Contains("req-abc", e.Message);
        }
    }
}
