using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>Instance actions: nova's own explanation of an asynchronous failure.</summary>
    public class InstanceActionsApiTests
    {
        private const string Db = "5054edac-a8c0-49cf-a0cc-69082a4ae8dd";
        private const string RequestId = "req-7f0c2b44-5a1e-4f52-9a59-53a8b2d6c013";

        [Fact]
        public async Task From284TheDetailsAreTheReason()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var get = nova.Handler.Expect("GET", $"/v2.1/servers/{Db}/os-instance-actions/{RequestId}")
                .Respond(200, NovaFixture.Load("migrations/instance-action-get-v2.84-live-migration-error.json"));

            var action = await nova.Compute.InstanceActions.GetAsync(Db, RequestId, CancellationToken.None);

            Assert.Equal("compute 2.93", get.Request.Header("OpenStack-API-Version"));
            Assert.Equal("live-migration", action.Action);
            Assert.Equal(RequestId, action.RequestId);
            var e = Assert.Single(action.Events);
            Assert.True(e.Failed);
            Assert.Equal("osrig-controller", e.Host);
            Assert.Equal(
                "conductor_live_migrate_instance: Migration pre-check error: Unable to migrate 5054edac-a8c0-49cf-a0cc-69082a4ae8dd: " +
                "Disk of instance is too large(available on destination host:0 < need:1073741824)",
                action.FailureReason);
        }

        [Fact]
        public async Task BeforeDetailsTheTracebacksLastLineIsTheReason()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.51");
            nova.Handler.Expect("GET", $"/v2.1/servers/{Db}/os-instance-actions/{RequestId}")
                .Respond(200, NovaFixture.Load("migrations/instance-action-get-v2.51-live-migration-error.json"));

            var action = await nova.Compute.InstanceActions.GetAsync(Db, RequestId, CancellationToken.None);

            Assert.Equal(2, action.Events.Count);
            Assert.False(action.Events[0].Failed);
            Assert.Equal(
                "compute_live_migration: nova.exception.MigrationError: Migration error: Live migration of instance " +
                "5054edac-a8c0-49cf-a0cc-69082a4ae8dd to host c03.example.com failed: guest paused by a libvirt error",
                action.FailureReason);
        }

        [Fact]
        public void WithoutFailedEventsTheActionMessageOrNothingIsTheReason()
        {
            var ok = OpenStackOps.Compute.InstanceActions.InstanceAction.FromJson(System.Text.Json.Nodes.JsonNode.Parse(
                "{\"action\": \"live-migration\", \"message\": null, \"events\": [{\"event\": \"compute_live_migration\", \"result\": \"Success\"}]}"));
            Assert.Null(ok.FailureReason);
            var hidden = OpenStackOps.Compute.InstanceActions.InstanceAction.FromJson(System.Text.Json.Nodes.JsonNode.Parse(
                "{\"action\": \"live-migration\", \"message\": \"Error\", \"events\": [{\"event\": \"compute_live_migration\", \"result\": \"Error\"}]}"));
            Assert.Equal("compute_live_migration failed", hidden.FailureReason);
        }
    }
}
