using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>os-migrations and /servers/{id}/migrations: query per microversion, paging, parsing.</summary>
    public class MigrationsApiTests
    {
        private const string Web = "c50c8da6-b360-47ce-93d2-f436e625b615";

        [Fact]
        public async Task From259TheFiltersChangesSinceAndLimitAreSentAndPagesFollowed()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var first = nova.Handler.Expect("GET", "/v2.1/os-migrations?migration_type=live-migration&source_compute=c01.example.com&changes-since=2026-11-23T08%3A00%3A00Z&limit=1")
                .Respond(200, NovaFixture.Load("migrations/migrations-get-v2.59-page1.json"));
            nova.Handler.Expect("GET", "/v2.1/os-migrations?migration_type=live-migration&source_compute=c01.example.com&changes-since=2026-11-23T08%3A00%3A00Z&limit=1&marker=0a5e2f35-6f2a-4b4e-9a8e-3c1b8f0d0e14")
                .Respond(200, NovaFixture.Load("migrations/migrations-get-v2.59-page2.json"));

            var records = await nova.Compute.Migrations.ListAsync(new MigrationQuery
            {
                MigrationType = MigrationTypes.LiveMigration,
                SourceCompute = "c01.example.com",
                ChangesSince = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero),
                Limit = 1,
            }, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("compute 2.93", first.Request.Header("OpenStack-API-Version"));
            Assert.Equal(new long[] { 14, 13 }, records.Select(r => r.Id));
            Assert.Equal("completed", records[0].Status);
            Assert.Equal("failed", records[1].Status);
        }

        [Fact]
        public async Task Before259PagingAndChangesSinceAreNotSent()
        {
            // Nova before 2.59 has no paging; from 2.75 it would 400 on unknown parameters, so never send what does not count.
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.58");
            nova.Handler.Expect("GET", "/v2.1/os-migrations?source_compute=c01.example.com")
                .Respond(200, NovaFixture.Load("migrations/migrations-get-v2.80.json"));
            var records = await nova.Compute.Migrations.ListAsync(new MigrationQuery
            {
                SourceCompute = "c01.example.com",
                ChangesSince = DateTimeOffset.UtcNow,
                Limit = 5,
            }, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            Assert.Equal(3, records.Count);
            Assert.False(await nova.Compute.Migrations.SupportsPagingAsync(CancellationToken.None));
        }

        [Fact]
        public async Task RecordsAreParsedWithCleanNames()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("GET", "/v2.1/os-migrations?instance_uuid=" + Web)
                .Respond(200, NovaFixture.Load("migrations/migrations-get-v2.80.json"));
            var records = await nova.Compute.Migrations.ListAsync(new MigrationQuery { InstanceUuid = Web }, CancellationToken.None);

            var running = records[0];
            Assert.Equal(14, running.Id);
            Assert.Equal("0a5e2f35-6f2a-4b4e-9a8e-3c1b8f0d0e14", running.Uuid);
            Assert.Equal(Web, running.InstanceUuid);
            Assert.Equal(MigrationTypes.LiveMigration, running.MigrationType);
            Assert.Equal(MigrationStatuses.Running, running.Status);
            Assert.Equal("c01.example.com", running.SourceCompute);
            Assert.Equal("c02.example.com", running.DestCompute);
            Assert.Equal("127.0.0.1", running.DestHost);
            Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 10, 2, TimeSpan.Zero), running.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 10, 4, TimeSpan.Zero), running.UpdatedAt);
            Assert.Equal("feb7fc3375c74ac58e097dd20771747a", running.ProjectId);
            Assert.Equal(MigrationTypes.Migration, records[2].MigrationType);
            Assert.Equal(MigrationStatuses.Confirmed, records[2].Status);
        }

        [Fact]
        public async Task Before223ThereIsNoTypeAndNoUuid()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.1");
            nova.Handler.Expect("GET", "/v2.1/os-migrations").Respond(200, NovaFixture.Load("migrations/migrations-get-v2.1.json"));
            var r = (await nova.Compute.Migrations.ListAsync(new MigrationQuery(), CancellationToken.None)).Single();
            Assert.Null(r.MigrationType);
            Assert.Null(r.Uuid);
            Assert.Equal(14, r.Id);
        }

        [Fact]
        public async Task InProgressLiveMigrationShowsMemoryFigures()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var get = nova.Handler.Expect("GET", "/v2.1/servers/" + Web + "/migrations/14")
                .Respond(200, NovaFixture.Load("migrations/server-migration-get-v2.80.json"));
            var m = await nova.Compute.ServerMigrations.GetInProgressAsync(Web, 14, CancellationToken.None);
            Assert.Equal("compute 2.93", get.Request.Header("OpenStack-API-Version"));
            Assert.Equal(Web, m.InstanceUuid); // server_uuid in this view
            Assert.Equal(2147483648, m.MemoryTotalBytes);
            Assert.Equal(805306368, m.MemoryProcessedBytes);
            Assert.Equal(1342177280, m.MemoryRemainingBytes);
            Assert.Equal(0, m.DiskTotalBytes);
        }

        [Fact]
        public async Task InProgressListNeeds223()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.23");
            nova.Handler.Expect("GET", "/v2.1/servers/" + Web + "/migrations")
                .Respond(200, NovaFixture.Load("migrations/server-migrations-index-v2.23.json"));
            var list = await nova.Compute.ServerMigrations.ListInProgressAsync(Web, CancellationToken.None);
            Assert.Equal(805306368, list.Single().MemoryProcessedBytes);

            var old = new NovaFixture();
            old.ExpectVersionDocument("2.22");
            await Assert.ThrowsAsync<OpenStackOps.Compute.MicroversionNotSupportedException>(() =>
                old.Compute.ServerMigrations.ListInProgressAsync(Web, CancellationToken.None));
        }

        [Fact]
        public async Task AbortIsADeleteByIntegerIdAndNeeds224()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.24");
            var delete = nova.Handler.Expect("DELETE", "/v2.1/servers/" + Web + "/migrations/14").Respond(202, null, "req-abort-1");
            var result = await nova.Compute.ServerMigrations.AbortAsync(Web, 14, CancellationToken.None);
            Assert.Equal("compute 2.24", delete.Request.Header("OpenStack-API-Version"));
            Assert.Equal("req-abort-1", result.RequestId);

            var old = new NovaFixture();
            old.ExpectVersionDocument("2.23");
            var e = await Assert.ThrowsAsync<OpenStackOps.Compute.MicroversionNotSupportedException>(() =>
                old.Compute.ServerMigrations.AbortAsync(Web, 14, CancellationToken.None));
            Assert.Equal(OpenStackOps.Compute.ComputeClient.V(24), e.Required);
        }

        [Fact]
        public async Task ForceCompleteIsAnActionWithANullBodyAndNeeds222()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.22");
            var post = nova.Handler.Expect("POST", "/v2.1/servers/" + Web + "/migrations/14/action").Respond(202, null, "req-fc-1");
            var result = await nova.Compute.ServerMigrations.ForceCompleteAsync(Web, 14, CancellationToken.None);
            Json.AssertEqual(NovaFixture.Load("migrations/force-complete-req-v2.22.json"), post.Request.Body);
            Assert.Equal("compute 2.22", post.Request.Header("OpenStack-API-Version"));
            Assert.Equal("req-fc-1", result.RequestId);
        }

        [Theory]
        [InlineData("running", "2.24", true)]
        [InlineData("queued", "2.64", false)]
        [InlineData("queued", "2.65", true)]
        [InlineData("preparing", "2.65", true)]
        [InlineData("completed", "2.93", false)]
        public void AbortIsAllowedInTheStatusesNovaAcceptsPerMicroversion(string status, string mv, bool allowed)
            => Assert.Equal(allowed, MigrationStatuses.CanAbort(status, OpenStackOps.Compute.Microversion.Parse(mv)));
    }
}
