using System;
using System.Linq;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>Failures: refused actions, failed and rolled-back migrations, flaky and silent APIs.</summary>
    public class DrainFaultTests
    {
        [Fact]
        public async Task ARolledBackMigrationIsReportedWithNovasReasonFromTheInstanceAction()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(2);
            h.Nova.Script(ids[0], new MigrationScript
            {
                Outcome = ScriptOutcome.RollBack,
                Duration = TimeSpan.FromSeconds(4),
                Reason = "Migration error: Live migration of instance to host c02.example.com failed: guest paused by a libvirt error",
            });

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            var r = EngineHarness.For(results, ids[0]);
            Assert.Equal(MigrationOutcome.RolledBack, r.Outcome);
            Assert.False(r.Succeeded);
            Assert.Equal("compute_live_migration: Migration error: Live migration of instance to host c02.example.com failed: guest paused by a libvirt error", r.Error);
            Assert.Equal("c01.example.com", r.FinalHost);
            Assert.Equal("failed", r.MigrationStatus);
            Assert.Contains("rolled it back", r.Message);
            Assert.Contains("ACTIVE on c01.example.com", r.Message);
            // nova's words come from the instance action of our own request
            Assert.Single(h.Nova.Calls("GET", $"servers/{ids[0]}/os-instance-actions/{r.RequestId}"));
            // and the drain went on
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[1]).Outcome);
        }

        [Fact]
        public async Task AnAsynchronousPreCheckFailureIsExplainedTooAndTheServerIsIntact()
        {
            // From 2.34 NoValidHost and friends arrive after the 202: only the record and the instance action tell.
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.PreCheckError, Reason = "No valid host was found. There are not enough hosts available." });

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.RolledBack, r.Outcome);
            Assert.Equal("conductor_live_migrate_instance: No valid host was found. There are not enough hosts available.", r.Error);
            Assert.Equal("error", r.MigrationStatus);
        }

        [Fact]
        public async Task AMigrationThatLeavesTheServerInErrorIsFailedNotRolledBack()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.Script(id, new MigrationScript { Outcome = ScriptOutcome.ErrorState, Reason = "Migration error: post-copy failed" });

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Contains("ERROR on c01.example.com", r.Message);
            Assert.Equal("compute_live_migration: Migration error: post-copy failed", r.Error);
        }

        [Fact]
        public async Task A409OnTheActionIsReportedAsFailedWithoutWaiting()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(2);
            // Between listing and moving, someone started an action on the first server: the engine's pre-check sees the
            // listed (clean) state, nova refuses.
            var stale = h.Request(ids[0]);
            h.Nova.FailNext("POST", $"servers/{ids[0]}/action", 409,
                "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'os-migrateLive' instance " + ids[0] + " while it is in task_state powering-off\"}}");

            var results = await h.RunAsync(EngineHarness.Options(), stale, h.Request(ids[1]));

            var r = EngineHarness.For(results, ids[0]);
            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal(ApiErrorKind.Conflict, r.ApiError);
            Assert.Equal(409, r.HttpStatus);
            Assert.Equal("Cannot 'os-migrateLive' instance " + ids[0] + " while it is in task_state powering-off", r.Error);
            Assert.StartsWith("req-fault-", r.RequestId);
            Assert.Null(r.MigrationId);
            Assert.Equal("nova refused the live migration", r.Message);
            // Not waited for: the failed server was the first result, before the second was even submitted.
            Assert.Equal(ids[0], results[0].ServerId);
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[1]).Outcome);
            Assert.Empty(h.Nova.Calls("GET", $"servers/{ids[0]}"));
        }

        [Fact]
        public async Task A503OnAPollIsRetriedAndTheDrainCarriesOn()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            // The baseline call succeeds; the first poll meets a 503 once (ServiceClient retries the read).
            h.Nova.FailNext("GET", "os-migrations", 200, "{\"migrations\": []}");
            h.Nova.FailNext("GET", "os-migrations", 503, "<html>503 Service Unavailable</html>");

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            var polls = h.Nova.Requests.Where(x => x.Uri.AbsolutePath == "/v2.1/os-migrations").ToList();
            Assert.Equal(polls[1].PathAndQuery, polls[2].PathAndQuery); // the retried read
        }

        [Fact]
        public async Task APollThatKeepsFailingIsSkippedAndTheNextPollDecides()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.FailNext("GET", "os-migrations", 200, "{\"migrations\": []}");
            h.Nova.FailNext("GET", "os-migrations", 503, "", times: 4); // ServiceClient gives up after 4 tries

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.Contains(h.DrainEvents(), e => e.Message != null && e.Message.StartsWith("Could not list migrations"));
        }

        [Fact]
        public async Task AnActionThatGetsNoAnswerIsCheckedInNovasActionsAndSentAgainOnlyBecauseNovaDidNotTakeIt()
        {
            var h = new EngineHarness();
            h.Http.RequestTimeout = TimeSpan.FromMilliseconds(200);
            var ids = h.AddServers(2);
            h.Nova.FailNext("POST", $"servers/{ids[0]}/action", 202, hang: TimeSpan.FromSeconds(30));

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            var r = EngineHarness.For(results, ids[0]);
            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.Equal(2, h.Nova.Calls("POST", $"servers/{ids[0]}/action").Count());      // the lost one and the one nova took
            Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == ids[0]);                // one move, never two
            Assert.Single(h.Nova.Calls("GET", $"servers/{ids[0]}/os-instance-actions"), c => c.Uri.AbsolutePath.EndsWith("/os-instance-actions"));
            Assert.Contains(h.DrainEvents(), e => e.Message != null && e.Message.Contains("no answer from nova-api; nova did not take the live-migration: sending it again"));
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[1]).Outcome);
        }

        [Fact]
        public async Task AResetAfterNovaTookTheMoveIsFollowedNotSentAgain()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            // The request reached nova-api, which started the move; the connection dropped before its 202 came back.
            h.Nova.FailNext("POST", $"servers/{id}/action", 0, processed: true, reset: true);

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            Assert.Equal("c02.example.com", r.FinalHost);
            Assert.Single(h.Nova.MoveActions);                                             // sent once
            var migration = Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == id);
            Assert.Equal(migration.RequestId, r.RequestId);                                // nova's own request id, from its actions
            Assert.Equal(migration.Id, r.MigrationId);
        }

        [Fact]
        public async Task A503FromAProxyInFrontOfNovaIsSentAgainAfterAPauseAndMovesOnce()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.FailNext("POST", $"servers/{id}/action", 503, "<html>503 Service Unavailable</html>");

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            var posts = h.Nova.MoveActions;
            Assert.Equal(2, posts.Count);
            Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(2), "paused before sending again");
            Assert.Single(h.Nova.Migrations, m => m.InstanceUuid == id);
        }

        [Fact]
        public async Task A429IsSentAgainAfterItsRetryAfter()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.FailNext("POST", $"servers/{id}/action", 429, "{\"overLimit\": {\"code\": 429, \"message\": \"slow down\"}}", retryAfter: "7");

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Completed, r.Outcome);
            var posts = h.Nova.MoveActions;
            Assert.Equal(2, posts.Count);
            Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(7), "waited what Retry-After asked");
        }

        [Fact]
        public async Task AnApiThatStaysUnavailableLeavesTheServerWhereItWasAndSaysWhyInWords()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(2);
            h.Nova.FailNext("POST", $"servers/{ids[0]}/action", 503, "", times: 5);

            var results = await h.RunAsync(EngineHarness.Options(), ids);

            var r = EngineHarness.For(results, ids[0]);
            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal("not moved: nova-api unavailable (503) 5 times; nova did not take the live-migration, so it was not sent again", r.Message);
            Assert.Equal(ApiErrorKind.ServiceUnavailable, r.ApiError);
            var posts = h.Nova.Calls("POST", $"servers/{ids[0]}/action").ToList();
            Assert.Equal(5, posts.Count);
            // Sent again after 2, 5, 10 and 20 s: an outage of half a minute is ridden out.
            Assert.True(posts[4].At - posts[0].At >= TimeSpan.FromSeconds(37), $"the last try {(posts[4].At - posts[0].At).TotalSeconds:0} s after the first");
            Assert.DoesNotContain(h.Nova.Migrations, m => m.InstanceUuid == ids[0]);
            Assert.Equal(MigrationOutcome.Completed, EngineHarness.For(results, ids[1]).Outcome);
        }

        [Fact]
        public async Task WhenNovasActionsCannotBeReadAfterAFaultNothingIsSentAgain()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.FailNext("POST", $"servers/{id}/action", 502, "bad gateway");
            h.Nova.FailNext("GET", $"servers/{id}/os-instance-actions", 403, "{\"forbidden\": {\"code\": 403, \"message\": \"no\"}}");

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Contains("could not be read (Forbidden): nova may or may not have started the live-migration, so it was not sent again", r.Message);
            Assert.Single(h.Nova.MoveActions);
        }

        [Fact]
        public async Task AServerDeletedDuringItsMigrationIsReportedAsSuch()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.OnRequest = req =>
            {
                if (req.Method == "POST") h.Nova.Servers[id].Deleted = true;
            };

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal("the server was deleted during its migration", r.Message);
        }

        [Fact]
        public async Task WhenTheMigrationRecordsCannotBeReadNothingIsStarted()
        {
            var h = new EngineHarness();
            var id = h.AddServers(1).Single();
            h.Nova.FailNext("GET", "os-migrations", 403, "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow os_compute_api:os-migrations:index to be performed.\"}}");

            var r = (await h.RunAsync(EngineHarness.Options(), new[] { id })).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal(ApiErrorKind.Forbidden, r.ApiError);
            Assert.Contains("could not be followed", r.Message);
            Assert.Empty(h.Nova.MoveActions);
        }

        [Fact]
        public async Task ANamedDestinationBelow230FailsEachServerWithoutAnActionUnlessAllowed()
        {
            var h = new EngineHarness("2.25");
            var id = h.AddServers(1).Single();

            var r = (await h.RunAsync(EngineHarness.Options(), h.Request(id, "c03.example.com"))).Single();

            Assert.Equal(MigrationOutcome.Failed, r.Outcome);
            Assert.Equal(ApiErrorKind.NotAcceptable, r.ApiError);
            Assert.Contains("2.30", r.Error);
            Assert.Empty(h.Nova.MoveActions);

            var allowed = (await h.RunAsync(EngineHarness.Options(o => o.AllowUnvalidatedHost = true), h.Request(id, "c03.example.com"))).Single();
            Assert.Equal(MigrationOutcome.Completed, allowed.Outcome);
            Json.AssertEqual("{\"os-migrateLive\": {\"host\": \"c03.example.com\", \"block_migration\": \"auto\"}}", h.Nova.MoveActions.Single().Body);
        }
    }
}
