using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>The move actions, one test per microversion branch of the body, asserted as exact JSON.</summary>
    public class MigrateActionsApiTests
    {
        private const string Web = "c50c8da6-b360-47ce-93d2-f436e625b615";
        private const string ActionPath = "/v2.1/servers/" + Web + "/action";

        private static async Task<(FakeHttpHandler.Expectation post, ServerActionResult result)> LiveMigrate(string cloudMax, LiveMigrationRequest request)
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument(cloudMax);
            var post = nova.Handler.Expect("POST", ActionPath).Respond(202, null, "req-live-1");
            var result = await nova.Compute.MigrateActions.LiveMigrateAsync(Web, request, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            return (post, result);
        }

        [Theory]
        // 2.1-2.24: boolean block_migration and disk_over_commit, all three keys required.
        [InlineData("2.1", "live-migrate-req-v2.1.json")]
        [InlineData("2.24", "live-migrate-req-v2.1.json")]
        // 2.25-2.29: "auto", disk_over_commit gone.
        [InlineData("2.25", "live-migrate-req-v2.25.json")]
        [InlineData("2.29", "live-migrate-req-v2.25.json")]
        // 2.30-2.67: the scheduler validates the host; force stays false.
        [InlineData("2.30", "live-migrate-req-v2.30.json")]
        [InlineData("2.67", "live-migrate-req-v2.30.json")]
        public async Task TheBodyFollowsTheMicroversionForANamedHost(string cloudMax, string fixture)
        {
            var (post, result) = await LiveMigrate(cloudMax, new LiveMigrationRequest { Host = "c02.example.com", AllowUnvalidatedHost = true });
            Json.AssertEqual(NovaFixture.Load("migrations/" + fixture), post.Request.Body);
            Assert.Equal("compute " + cloudMax, post.Request.Header("OpenStack-API-Version"));
            Assert.Equal("req-live-1", result.RequestId);
            Assert.Equal(Microversion.Parse(cloudMax), result.Microversion);
        }

        [Fact]
        public async Task From268ForceIsNotSentAndTheSchedulerChoosesWhenNoHostIsNamed()
        {
            var (post, _) = await LiveMigrate("2.93", new LiveMigrationRequest());
            Json.AssertEqual(NovaFixture.Load("migrations/live-migrate-req-v2.68.json"), post.Request.Body);
            Assert.Equal("compute 2.93", post.Request.Header("OpenStack-API-Version"));
        }

        [Fact]
        public async Task BlockMigrationOffIsAPlainFalseFrom225()
        {
            var (post, _) = await LiveMigrate("2.68", new LiveMigrationRequest { Host = "c03.example.com", BlockMigration = BlockMigration.Off });
            Json.AssertEqual(NovaFixture.Load("migrations/live-migrate-req-v2.68-shared.json"), post.Request.Body);
        }

        [Fact]
        public async Task BlockMigrationOnBefore225IsTrueWithDiskOverCommitFalse()
        {
            var (post, _) = await LiveMigrate("2.12", new LiveMigrationRequest { BlockMigration = BlockMigration.On });
            Json.AssertEqual(NovaFixture.Load("migrations/live-migrate-req-v2.1-block.json"), post.Request.Body);
        }

        [Fact]
        public async Task BlockMigrationOnFrom225IsTrue()
        {
            var (post, _) = await LiveMigrate("2.93", new LiveMigrationRequest { Host = "c02.example.com", BlockMigration = BlockMigration.On });
            Json.AssertEqual("{\"os-migrateLive\": {\"host\": \"c02.example.com\", \"block_migration\": true}}", post.Request.Body);
        }

        [Fact]
        public async Task ANamedHostBelow230IsRefusedUnlessTheCallerAcceptsAForcedHost()
        {
            // Below 2.30 nova skips the scheduler for a named host: never do that by surprise.
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.29");
            var e = await Assert.ThrowsAsync<MicroversionNotSupportedException>(() =>
                nova.Compute.MigrateActions.LiveMigrateAsync(Web, new LiveMigrationRequest { Host = "c02.example.com" }, CancellationToken.None));
            Assert.Equal(ComputeClient.V(30), e.Required);
            Assert.Contains("scheduler", e.Message);
            nova.Handler.AssertAllUsed(); // and nothing was POSTed
            Assert.Single(nova.Handler.Requests);
        }

        [Fact]
        public async Task ColdMigrateWithoutAHostIsMigrateNull()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.1");
            var post = nova.Handler.Expect("POST", ActionPath).Respond(202, null, "req-cold-1");
            var result = await nova.Compute.MigrateActions.MigrateAsync(Web, null, CancellationToken.None);
            Json.AssertEqual(NovaFixture.Load("migrations/migrate-req-null.json"), post.Request.Body);
            Assert.Equal("req-cold-1", result.RequestId);
        }

        [Fact]
        public async Task ColdMigrateToAHostNeeds256()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.56");
            var post = nova.Handler.Expect("POST", ActionPath).Respond(202);
            await nova.Compute.MigrateActions.MigrateAsync(Web, "c02.example.com", CancellationToken.None);
            Json.AssertEqual(NovaFixture.Load("migrations/migrate-req-v2.56.json"), post.Request.Body);
            Assert.Equal("compute 2.56", post.Request.Header("OpenStack-API-Version"));

            var old = new NovaFixture();
            old.ExpectVersionDocument("2.55");
            var e = await Assert.ThrowsAsync<MicroversionNotSupportedException>(() =>
                old.Compute.MigrateActions.MigrateAsync(Web, "c02.example.com", CancellationToken.None));
            Assert.Equal(ComputeClient.V(56), e.Required);
        }

        [Fact]
        public async Task ConfirmResizeAccepts204()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var post = nova.Handler.Expect("POST", ActionPath).Respond(204, null, "req-confirm-1");
            var result = await nova.Compute.MigrateActions.ConfirmResizeAsync(Web, CancellationToken.None);
            Json.AssertEqual(NovaFixture.Load("migrations/confirm-resize-req.json"), post.Request.Body);
            Assert.Equal("req-confirm-1", result.RequestId);
        }

        [Fact]
        public async Task A409OnTheActionCarriesNovasMessageAndRequestId()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("POST", ActionPath).Respond(409,
                "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'os-migrateLive' instance " + Web + " while it is in task_state powering-off\"}}",
                "req-409");
            var e = await Assert.ThrowsAsync<OpenStackOps.Http.OpenStackApiException>(() =>
                nova.Compute.MigrateActions.LiveMigrateAsync(Web, new LiveMigrationRequest(), CancellationToken.None));
            Assert.Equal(OpenStackOps.Http.ApiErrorKind.Conflict, e.Kind);
            Assert.Equal("req-409", e.RequestId);
            Assert.Contains("task_state powering-off", e.ServerMessage);
        }
    }

    internal static class Json
    {
        internal static void AssertEqual(string expected, string actual)
            => Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(actual)),
                $"expected {expected}\nactual   {actual}");
    }
}
