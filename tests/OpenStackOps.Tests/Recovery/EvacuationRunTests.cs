using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Recovery
{
    /// <summary>The evacuation's wait on the engine's clock: done when nova's record and the server agree, else its bound.</summary>
    public class EvacuationRunTests
    {
        private const string Id = "c50c8da6-b360-47ce-93d2-f436e625b615";
        private const string ServerPath = "/v2.1/servers/" + Id;

        private static string S(string status, string host, string task = null)
            => "{\"server\":{\"id\":\"" + Id + "\",\"name\":\"web\",\"status\":\"" + status + "\",\"OS-EXT-STS:task_state\":" + (task == null ? "null" : "\"" + task + "\"") +
               ",\"OS-EXT-SRV-ATTR:host\":\"" + host + "\",\"flavor\":{},\"image\":\"\"}}";

        private static string Records(string status)
            => "{\"migrations\":[{\"id\":7,\"uuid\":\"0a5e2f35-6f2a-4b4e-9a8e-3c1b8f0d0e14\",\"status\":\"" + status + "\",\"migration_type\":\"evacuation\",\"instance_uuid\":\"" + Id + "\"}]}";

        private static readonly Server Web = new Server { Id = Id, Name = "web", Host = "c03.example.com", VmState = "active", Status = "ACTIVE", ImageId = "" };

        private static async Task<MigrationResult> RunAsync(NovaFixture nova, VirtualClock clock, TimeSpan timeout)
        {
            var events = new MigrationEventQueue();
            var options = new EvacuationOptions { FailedHost = "c03.example.com", Timeout = timeout, PollInterval = TimeSpan.FromSeconds(2) };
            await new EvacuationRun(nova.Compute, options, events, "cloud", "r1", clock).RunAsync(new[] { Web }, CancellationToken.None);
            var results = new List<MigrationResult>();
            while (events.TryDequeue(out var e)) if (e.Result != null) results.Add(e.Result);
            return Assert.Single(results);
        }

        private static NovaFixture Submitted()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("POST", ServerPath + "/action").Respond(202, null, "req-evac-1");
            return nova;
        }

        [Fact]
        public async Task DoneWhenTheServerRunsElsewhereAndNovasRecordIsDone()
        {
            var nova = Submitted();
            nova.Handler.Expect("GET", ServerPath).Respond(200, S("REBUILD", "c02.example.com", "rebuilding"));
            nova.Handler.Expect("GET", ServerPath).Respond(200, S("ACTIVE", "c02.example.com"));
            nova.Handler.Expect("GET", "/v2.1/os-migrations?instance_uuid=" + Id + "&migration_type=evacuation").Respond(200, Records("done"));
            var clock = new VirtualClock();

            var r = await RunAsync(nova, clock, TimeSpan.FromMinutes(10));

            nova.Handler.AssertAllUsed();
            Assert.Equal("Completed", r.Status);
            Assert.Equal("c02.example.com", r.FinalHost);
            Assert.Equal("req-evac-1", r.RequestId);
            Assert.Equal(TimeSpan.FromSeconds(4), r.Elapsed); // two polls, 2 s apart, on the virtual clock
            Assert.Equal(clock.Start, r.StartedAt);
        }

        [Fact]
        public async Task TheBoundSaysWhereTheServerAndTheRecordStand()
        {
            var nova = Submitted();
            nova.Handler.Expect("GET", ServerPath).Respond(200, S("REBUILD", "c03.example.com", "rebuilding"));
            nova.Handler.Expect("GET", ServerPath).Respond(200, S("REBUILD", "c03.example.com", "rebuilding"));
            nova.Handler.Expect("GET", ServerPath).Respond(200, S("REBUILD", "c03.example.com", "rebuilding"));
            // Past the bound the record is read even while nova still has a task, to say why.
            nova.Handler.Expect("GET", "/v2.1/os-migrations?instance_uuid=" + Id + "&migration_type=evacuation").Respond(200, Records("running"));

            var r = await RunAsync(nova, new VirtualClock(), TimeSpan.FromSeconds(5));

            nova.Handler.AssertAllUsed();
            Assert.Equal("TimedOut", r.Status);
            Assert.Equal("not settled after 5 s: REBUILD (rebuilding) on c03.example.com, evacuation record running.", r.Error);
            Assert.Equal(TimeSpan.FromSeconds(6), r.Elapsed);
        }
    }
}
