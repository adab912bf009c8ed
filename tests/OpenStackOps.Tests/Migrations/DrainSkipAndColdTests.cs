using System;
using System.Linq;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>Servers that cannot be live-migrated: skipped with a reason, or cold-migrated and confirmed when asked.</summary>
    public class DrainSkipAndColdTests
    {
        [Fact]
        public async Task ServersThatCannotBeLiveMigratedAreSkippedWithAReasonAndNoCall()
        {
            var h = new EngineHarness();
            h.Nova.AddServer("11111111-0000-4000-8000-000000000001", "stopped", configure: s => { s.Status = "SHUTOFF"; s.VmState = "stopped"; });
            h.Nova.AddServer("11111111-0000-4000-8000-000000000002", "broken", configure: s => { s.Status = "ERROR"; s.VmState = "error"; });
            h.Nova.AddServer("11111111-0000-4000-8000-000000000003", "busy", configure: s => s.TaskState = "rebooting");
            h.Nova.AddServer("11111111-0000-4000-8000-000000000004", "locked", configure: s => s.Locked = true);
            h.Nova.AddServer("11111111-0000-4000-8000-000000000005", "sleeping", configure: s => { s.Status = "SUSPENDED"; s.VmState = "suspended"; });
            h.Nova.AddServer("11111111-0000-4000-8000-000000000006", "there", host: "c02.example.com");
            var requests = new[]
            {
                h.Request("11111111-0000-4000-8000-000000000001"),
                h.Request("11111111-0000-4000-8000-000000000002"),
                h.Request("11111111-0000-4000-8000-000000000003"),
                h.Request("11111111-0000-4000-8000-000000000004"),
                h.Request("11111111-0000-4000-8000-000000000005"),
                h.Request("11111111-0000-4000-8000-000000000006", "c02.example.com"),
                h.Request("11111111-0000-4000-8000-000000000005"),
            };

            var results = await h.RunAsync(EngineHarness.Options(), requests);

            Assert.Equal(7, results.Count);
            Assert.All(results, r => Assert.Equal(MigrationOutcome.Skipped, r.Outcome));
            Assert.All(results, r => Assert.Equal(MigrationKind.None, r.MoveKind));
            string Reason(int i) => results[i].Message;
            Assert.StartsWith("SHUTOFF: a stopped server cannot be live-migrated", Reason(0));
            Assert.StartsWith("in ERROR", Reason(1));
            Assert.StartsWith("task 'rebooting' in progress", Reason(2));
            Assert.StartsWith("locked", Reason(3));
            Assert.StartsWith("vm_state suspended (status SUSPENDED): only ACTIVE or PAUSED", Reason(4));
            Assert.Equal("already on c02.example.com", Reason(5));
            Assert.Equal("given more than once in this run; moved once", Reason(6));
            // Decided from the servers' own fields: the only call was the version document.
            Assert.Equal(1, h.Calls.Count);
        }

        [Fact]
        public async Task LockedServersMoveWhenAskedAndPausedOnesStayPaused()
        {
            var h = new EngineHarness();
            h.Nova.AddServer("22222222-0000-4000-8000-000000000001", "locked", configure: s => s.Locked = true);
            h.Nova.AddServer("22222222-0000-4000-8000-000000000002", "paused", configure: s => { s.Status = "PAUSED"; s.VmState = "paused"; });

            var results = await h.RunAsync(EngineHarness.Options(o => o.IncludeLocked = true),
                h.Request("22222222-0000-4000-8000-000000000001"), h.Request("22222222-0000-4000-8000-000000000002"));

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Completed, r.Outcome));
            Assert.Equal("PAUSED", h.Nova.Servers["22222222-0000-4000-8000-000000000002"].Status);
        }

        [Fact]
        public async Task AStoppedServerIsColdMigratedConfirmedAndVerifiedWhenAsked()
        {
            var h = new EngineHarness();
            const string id = "33333333-0000-4000-8000-000000000001";
            h.Nova.AddServer(id, "batch", configure: s => { s.Status = "SHUTOFF"; s.VmState = "stopped"; });

            var r = (await h.RunAsync(EngineHarness.Options(o => o.ColdMigrateStopped = true), h.Request(id))).Single();

            Assert.Equal(MigrationOutcome.ColdMigrated, r.Outcome);
            Assert.True(r.Succeeded);
            Assert.Equal(MigrationKind.Cold, r.MoveKind);
            Assert.Equal("c02.example.com", r.FinalHost);
            Assert.Equal("confirmed", r.MigrationStatus);
            Json.AssertEqual("{\"migrate\": null}", h.Nova.MoveActions.Single().Body);
            var confirm = Assert.Single(h.Nova.Calls("POST", $"servers/{id}/action"), c => c.Body.Contains("confirmResize"));
            Json.AssertEqual("{\"confirmResize\": null}", confirm.Body);
            Assert.Equal("SHUTOFF", h.Nova.Servers[id].Status);
            Assert.Equal("c02.example.com", h.Nova.Servers[id].Host);
        }

        [Fact]
        public async Task AColdMigrationToANamedHostSendsItFrom256()
        {
            var h = new EngineHarness();
            const string id = "33333333-0000-4000-8000-000000000002";
            h.Nova.AddServer(id, "batch", configure: s => { s.Status = "SHUTOFF"; s.VmState = "stopped"; });

            var r = (await h.RunAsync(EngineHarness.Options(o => o.ColdMigrateStopped = true), h.Request(id, "c03.example.com"))).Single();

            Assert.Equal(MigrationOutcome.ColdMigrated, r.Outcome);
            Assert.Equal("c03.example.com", r.FinalHost);
            Json.AssertEqual("{\"migrate\": {\"host\": \"c03.example.com\"}}", h.Nova.MoveActions.Single().Body);
        }

        [Fact]
        public async Task ARefusedConfirmIsTriedAgainAtTheNextPoll()
        {
            var h = new EngineHarness();
            const string id = "33333333-0000-4000-8000-000000000003";
            h.Nova.AddServer(id, "batch", configure: s => { s.Status = "SHUTOFF"; s.VmState = "stopped"; });
            h.Nova.OnRequest = req =>
            {
                // The first time nova shows the record 'finished', the next confirm is refused once.
                if (req.Uri.AbsolutePath == "/v2.1/os-migrations" && h.Nova.Migrations.Any(m => m.Status == "finished") &&
                    !h.Nova.Calls("POST", $"servers/{id}/action").Any(c => c.Body.Contains("confirmResize")))
                    h.Nova.FailNext("POST", $"servers/{id}/action", 409,
                        "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'confirmResize' instance while it is in task_state resize_finish\"}}");
            };

            var r = (await h.RunAsync(EngineHarness.Options(o => o.ColdMigrateStopped = true), h.Request(id))).Single();

            Assert.Equal(MigrationOutcome.ColdMigrated, r.Outcome);
            Assert.Equal(2, h.Nova.Calls("POST", $"servers/{id}/action").Count(c => c.Body.Contains("confirmResize")));
        }

        [Fact]
        public async Task FireAndForgetSubmitsEverythingAndPollsNothing()
        {
            var h = new EngineHarness();
            var ids = h.AddServers(3);

            var results = await h.RunAsync(EngineHarness.Options(o => o.Wait = false), ids);

            Assert.All(results, r => Assert.Equal(MigrationOutcome.Submitted, r.Outcome));
            Assert.All(results, r => Assert.StartsWith("req-", r.RequestId));
            Assert.All(results, r => Assert.Contains("not waited for", r.Message));
            Assert.Equal(1 + 3, h.Calls.Count); // version document and one POST each
            Assert.Empty(h.Nova.Calls("GET", "os-migrations"));
        }
    }
}
