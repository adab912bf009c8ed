using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Recovery
{
    /// <summary>An evacuation sent through a flaky API: nova's instance actions decide whether it is sent again.</summary>
    public class ServerActionSubmitterTests
    {
        private const string Id = "c50c8da6-b360-47ce-93d2-f436e625b615";
        private static readonly DateTimeOffset Now = new VirtualClock().Start;

        private static string Actions(params (string action, string requestId, DateTimeOffset start)[] actions)
            => "{\"instanceActions\": [" + string.Join(",", actions.Select(a =>
                   $"{{\"action\": \"{a.action}\", \"instance_uuid\": \"{Id}\", \"request_id\": \"{a.requestId}\", \"start_time\": \"{a.start.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}\", \"message\": null}}")) + "]}";

        [Fact]
        public async Task AnEvacuationWhoseAnswerWasLostIsFollowedNotSentAgain()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var post = nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Fail(() => new HttpRequestException("Connection reset by peer"));
            // An older evacuation of the same server (last month) is history; the new one started as we sent.
            nova.Handler.Expect("GET", "/v2.1/servers/" + Id + "/os-instance-actions")
                .Respond(200, Actions(("evacuate", "req-now", Now.AddSeconds(1)), ("evacuate", "req-old", Now.AddDays(-30))));
            var clock = new VirtualClock();
            var messages = new System.Collections.Generic.List<string>();

            var result = await new ServerActionSubmitter(nova.Compute.InstanceActions, clock, messages.Add)
                .SubmitAsync(Id, "evacuate", () => new EvacuationApi(nova.Compute).EvacuateAsync(Id, null, false, CancellationToken.None), CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("req-now", result.RequestId);
            Assert.Single(nova.Handler.Requests, r => r.Method == "POST");
            Assert.Contains(messages, m => m.Contains("the connection to nova-api dropped, but nova had taken the evacuate (request req-now)"));
        }

        [Fact]
        public async Task OnlyAnOldEvacuationOnRecordMeansTheLostOneDidNotHappenAndItIsSentAgain()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(503, "<html>503</html>", null);
            nova.Handler.Expect("GET", "/v2.1/servers/" + Id + "/os-instance-actions").Respond(200, Actions(("evacuate", "req-old", Now.AddDays(-30))));
            nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(202, null, "req-second");
            var clock = new VirtualClock();

            var result = await new ServerActionSubmitter(nova.Compute.InstanceActions, clock, null)
                .SubmitAsync(Id, "evacuate", () => new EvacuationApi(nova.Compute).EvacuateAsync(Id, null, false, CancellationToken.None), CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("req-second", result.RequestId);
            Assert.Equal(2, nova.Handler.Requests.Count(r => r.Method == "POST"));
            Assert.True(clock.UtcNow - Now >= TimeSpan.FromSeconds(2), "paused before sending again");
        }

        [Fact]
        public async Task WhenTheActionsCannotBeReadAtFirstTheyAreReadAgainBeforeAnythingIsDecided()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(503, "<html>503</html>", null);
            // ServiceClient's own read retries all meet the fault (four requests); a later round gets through.
            for (int i = 0; i < 4; i++) nova.Handler.Expect("GET", "/v2.1/servers/" + Id + "/os-instance-actions").Respond(503, "<html>503</html>", null);
            nova.Handler.Expect("GET", "/v2.1/servers/" + Id + "/os-instance-actions").Respond(200, Actions(("evacuate", "req-now", Now.AddSeconds(1))));
            var messages = new System.Collections.Generic.List<string>();

            var result = await new ServerActionSubmitter(nova.Compute.InstanceActions, new VirtualClock(), messages.Add)
                .SubmitAsync(Id, "evacuate", () => new EvacuationApi(nova.Compute).EvacuateAsync(Id, null, false, CancellationToken.None), CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("req-now", result.RequestId);
            Assert.Single(nova.Handler.Requests, r => r.Method == "POST");
            Assert.Contains(messages, m => m.Contains("could not be read (ServiceUnavailable); reading it again"));
        }
    }
}
