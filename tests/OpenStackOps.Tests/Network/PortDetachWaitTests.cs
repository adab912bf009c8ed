using System;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Network.Ports;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Network
{
    /// <summary>Disconnect-NetworkPort after nova's interface detach: waits, once a second on the engine's clock, for neutron to show the port free.</summary>
    public class PortDetachWaitTests
    {
        private static string Port(string deviceId)
            => new System.Text.Json.Nodes.JsonObject { ["port"] = NeutronFixture.PortJson("p1", "96.118.182.7", "web", deviceId, deviceId == "" ? "" : "compute:nova") }.ToJsonString();

        [Fact]
        public async Task ReturnsThePortOnceNeutronShowsItFree()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/ports/p1").Respond(200, Port("srv-1"));
            n.Handler.Expect("GET", "/v2.0/ports/p1").Respond(200, Port(""));
            var clock = new VirtualClock();
            var port = await PortDetachWait.UntilFreeAsync(n.Neutron.Ports, "p1", TimeSpan.FromSeconds(60), CancellationToken.None, clock);
            n.Handler.AssertAllUsed();
            Assert.True(string.IsNullOrEmpty(port.DeviceId));
            Assert.Equal(1, clock.Elapsed);
        }

        [Fact]
        public async Task StillAttachedAfterTheTimeoutSaysWhatToDo()
        {
            var n = new NeutronFixture();
            for (int i = 0; i < 4; i++) n.Handler.Expect("GET", "/v2.0/ports/p1").Respond(200, Port("srv-1")); // at 0, 1, 2 and 3 s
            var e = await Assert.ThrowsAsync<TimeoutException>(() => PortDetachWait.UntilFreeAsync(n.Neutron.Ports, "p1", TimeSpan.FromSeconds(2), CancellationToken.None, new VirtualClock()));
            n.Handler.AssertAllUsed();
            Assert.Contains("after 2 s neutron still shows it attached to srv-1", e.Message);
            Assert.Contains("-Method Neutron", e.Message);
        }

        [Fact]
        public async Task APortThatDisappearsEndsTheWait()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/ports/p1").Respond(404, "{\"NeutronError\": {\"type\": \"PortNotFound\", \"message\": \"Port p1 could not be found.\"}}");
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PortDetachWait.UntilFreeAsync(n.Neutron.Ports, "p1", TimeSpan.FromSeconds(60), CancellationToken.None, new VirtualClock()));
            Assert.Contains("disappeared", e.Message);
        }
    }
}
