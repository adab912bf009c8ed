using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Recovery
{
    public class EvacuationLostFromSightTests
    {
        private const string Id = "9a827a53-d514-479a-a152-d233fe7b6f60";
        private const string Unauthorized = "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", \"message\": \"The request you have made requires authentication.\"}}";

        [Fact]
        public async Task AnEvacuationNovaAcceptedAndThatCannotBeFollowedIsStillRunningNotFailed()
        {
            // The session's token is refused after the 202 (and again after renewing, poll after poll): nova carries on rebuilding.
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(202, null, "req-evac-1");
            // Every poll is refused, before and after renewing, RefusedPollsTolerated polls in a row.
            for (int poll = 0; poll < EvacuationRun.RefusedPollsTolerated * 2; poll++)
                nova.Handler.Expect("GET", "/v2.1/servers/" + Id).Respond(401, Unauthorized);
            var events = new MigrationEventQueue();
            var server = new Server { Id = Id, Name = "web", Host = "c03.example.com", VmState = "active", Status = "ACTIVE", ImageId = "img-1" };

            await new EvacuationRun(nova.Compute, new EvacuationOptions { FailedHost = "c03.example.com", PollInterval = TimeSpan.FromMilliseconds(10) },
                events, "test", null).RunAsync(new[] { server }, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            MigrationResult r = null;
            while (events.TryDequeue(out var e)) if (e.Result != null) r = e.Result;
            Assert.NotNull(r);
            Assert.Equal(MigrationOutcome.StillRunning, r.Outcome);
            Assert.Equal("req-evac-1", r.RequestId);
            Assert.StartsWith("evacuation accepted by nova (request req-evac-1), then it could not be followed", r.Message);
            Assert.Contains("401", r.Error);
        }
    }
}
