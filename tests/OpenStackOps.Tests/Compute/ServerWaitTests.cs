using System;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    /// <summary>The wait after a hard reboot (database path): ACTIVE with no task, ERROR, or the bound, on the engine's clock.</summary>
    public class ServerWaitTests
    {
        private const string Id = "c50c8da6-b360-47ce-93d2-f436e625b615";

        private static string S(string status, string task = null)
            => "{\"server\":{\"id\":\"" + Id + "\",\"name\":\"web\",\"status\":\"" + status + "\",\"OS-EXT-STS:task_state\":" + (task == null ? "null" : "\"" + task + "\"") +
               ",\"OS-EXT-SRV-ATTR:host\":\"c02\",\"flavor\":{},\"image\":\"\"}}";

        private static NovaFixture Nova(params string[] bodies)
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument();
            foreach (var b in bodies) nova.Handler.Expect("GET", "/v2.1/servers/" + Id).Respond(200, b);
            return nova;
        }

        [Fact]
        public async Task WaitsForTheTaskToPass()
        {
            var nova = Nova(S("ACTIVE", "rebooting_hard"), S("HARD_REBOOT", "rebooting_hard"), S("ACTIVE"));
            var clock = new VirtualClock();
            var s = await ServerWait.WaitActiveAsync(nova.Compute, Id, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2), CancellationToken.None, clock);
            nova.Handler.AssertAllUsed();
            Assert.Equal("ACTIVE", s.Status);
            Assert.Equal(4, clock.Elapsed);
        }

        [Fact]
        public async Task ErrorEndsTheWait()
        {
            var nova = Nova(S("ERROR"));
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerWait.WaitActiveAsync(nova.Compute, Id, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2), CancellationToken.None, new VirtualClock()));
            Assert.Contains("went to ERROR", e.Message);
        }

        [Fact]
        public async Task TheBoundSaysWhereTheServerStands()
        {
            var nova = Nova(S("HARD_REBOOT", "rebooting_hard"), S("HARD_REBOOT", "rebooting_hard"), S("HARD_REBOOT", "rebooting_hard"));
            var e = await Assert.ThrowsAsync<TimeoutException>(() => ServerWait.WaitActiveAsync(nova.Compute, Id, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), CancellationToken.None, new VirtualClock()));
            nova.Handler.AssertAllUsed();
            Assert.Equal($"Server {Id} is HARD_REBOOT/rebooting_hard after 3 s; it did not become ACTIVE.", e.Message);
        }
    }
}
