using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Services;
using OpenStackOps.Node.Shell;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>Stop-/Start-NodeComputeService -Wait: polls nova's service list every 3 s on the engine's clock until it agrees.</summary>
    public class NovaServiceWaitTests
    {
        private const string ListPath = "/v2.1/os-services?binary=nova-compute";

        private static string Services(string c01State)
            => "{\"services\":[{\"id\":\"s-1\",\"binary\":\"nova-compute\",\"host\":\"c01.example.com\",\"zone\":\"nova\",\"status\":\"enabled\",\"state\":\"" + c01State + "\"}," +
               "{\"id\":\"s-2\",\"binary\":\"nova-compute\",\"host\":\"c02.example.com\",\"zone\":\"nova\",\"status\":\"enabled\",\"state\":\"up\"}]}";

        [Fact]
        public async Task WaitsUntilNovaReportsTheWantedStateTellingEachPoll()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", ListPath).Respond(200, Services("up"));
            nova.Handler.Expect("GET", ListPath).Respond(200, Services("up"));
            nova.Handler.Expect("GET", ListPath).Respond(200, Services("down"));
            var clock = new VirtualClock();
            var polls = new List<string>();

            string state = await NovaServiceWait.UntilStateAsync(nova.Compute.Services, "c01", "c01.example.com", "down", TimeSpan.FromSeconds(180),
                (s, waited) => polls.Add($"{s.State} {waited.TotalSeconds}"), CancellationToken.None, clock);

            nova.Handler.AssertAllUsed();
            Assert.Equal("down", state);
            Assert.Equal(new[] { "up 0", "up 3", "down 6" }, polls);
        }

        [Fact]
        public async Task ATimeoutSaysWhatNovaStillReports()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            for (int i = 0; i < 4; i++) nova.Handler.Expect("GET", ListPath).Respond(200, Services("up"));

            var e = await Assert.ThrowsAsync<NodeCommandException>(() => NovaServiceWait.UntilStateAsync(nova.Compute.Services, "c01", "c01.example.com", "down",
                TimeSpan.FromSeconds(7), null, CancellationToken.None, new VirtualClock()));

            nova.Handler.AssertAllUsed();
            Assert.Equal(NodeErrorKind.Timeout, e.Kind);
            Assert.Equal("nova still reports nova-compute on c01.example.com up after 7 s (wanted down).", e.Message);
            Assert.Contains("service_down_time", e.RecommendedAction);
        }

        [Fact]
        public async Task AServiceNovaNoLongerListsEndsTheWait()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", ListPath).Respond(200, "{\"services\":[]}");
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => NovaServiceWait.UntilStateAsync(nova.Compute.Services, "c01", "c01.example.com", "up",
                TimeSpan.FromSeconds(60), null, CancellationToken.None, new VirtualClock()));
            Assert.Equal(NodeErrorKind.NotFound, e.Kind);
        }
    }
}
