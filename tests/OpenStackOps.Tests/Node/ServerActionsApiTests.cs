using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>os-start and reboot bodies, as nova's API reference shows them.</summary>
    public class ServerActionsApiTests
    {
        private const string Id = "d39891ec-b7ff-4c93-8c77-1da9230d5004";

        [Fact]
        public async Task StartSendsOsStartNull()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var post = nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(202, null, "req-start");
            var r = await nova.Compute.ServerActions.StartAsync(Id, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            OpenStackOps.Tests.Migrations.Json.AssertEqual("{\"os-start\":null}", post.Request.Body);
            Assert.Equal("req-start", r.RequestId);
        }

        [Theory]
        [InlineData(false, "{\"reboot\":{\"type\":\"SOFT\"}}")]
        [InlineData(true, "{\"reboot\":{\"type\":\"HARD\"}}")]
        public async Task RebootSendsItsType(bool hard, string body)
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var post = nova.Handler.Expect("POST", "/v2.1/servers/" + Id + "/action").Respond(202, null, "req-reboot");
            await nova.Compute.ServerActions.RebootAsync(Id, hard, CancellationToken.None);
            nova.Handler.AssertAllUsed();
            OpenStackOps.Tests.Migrations.Json.AssertEqual(body, post.Request.Body);
        }
    }
}
