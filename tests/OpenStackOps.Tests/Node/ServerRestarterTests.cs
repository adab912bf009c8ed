using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Node.Recovery;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>The after-reboot instance step: the action per state, one listing per poll, log lines for failures.</summary>
    public class ServerRestarterTests
    {
        private const string Host = "c01.example.com";
        private const string Stopped = "11111111-1111-4111-8111-111111111111";
        private const string Broken = "22222222-2222-4222-8222-222222222222";
        private const string Stuck = "33333333-3333-4333-8333-333333333333";
        private const string ListPath = "/v2.1/servers/detail?all_tenants=1&host=c01.example.com&limit=1000";

        private static string S(string id, string name, string status, string task = null)
            => $"{{\"id\":\"{id}\",\"name\":\"{name}\",\"status\":\"{status}\",\"OS-EXT-STS:task_state\":{(task == null ? "null" : "\"" + task + "\"")},\"OS-EXT-SRV-ATTR:host\":\"{Host}\",\"flavor\":{{}},\"image\":\"\"}}";

        private static string List(params string[] servers) => "{\"servers\":[" + string.Join(",", servers) + "]}";

        private static Server Srv(string id, string name, string status, string task = null)
            => new Server { Id = id, Name = name, Status = status, TaskState = task, Host = Host };

        [Theory]
        [InlineData("SHUTOFF", false, "Start")]
        [InlineData("SHUTOFF", true, "HardReboot")]
        [InlineData("ACTIVE", false, "Reboot")]
        [InlineData("ACTIVE", true, "HardReboot")]
        [InlineData("ERROR", false, "HardReboot")]
        [InlineData("MIGRATING", false, null)]
        public void TheActionFollowsTheStatus(string status, bool hard, string expected)
            => Assert.Equal(expected, ServerRestarter.ChooseAction(Srv(Stopped, "x", status), hard, out _));

        [Fact]
        public void AServerWithATaskIsLeftAlone()
            => Assert.Null(ServerRestarter.ChooseAction(Srv(Stopped, "x", "ACTIVE", "rebooting"), true, out _));

        [Fact]
        public async Task StartsAndHardRebootsWaitsAndAttachesTheNodesLogLinesForThoseThatFail()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var start = nova.Handler.Expect("POST", $"/v2.1/servers/{Stopped}/action").Respond(202, null, "req-start");
            var reboot = nova.Handler.Expect("POST", $"/v2.1/servers/{Broken}/action").Respond(202, null, "req-hard");
            var reboot2 = nova.Handler.Expect("POST", $"/v2.1/servers/{Stuck}/action").Respond(202, null, "req-hard-2");
            nova.Handler.Expect("GET", ListPath).Respond(200, List(S(Stopped, "web", "SHUTOFF", "powering-on"), S(Broken, "db", "HARD_REBOOT", "rebooting_hard"), S(Stuck, "app", "HARD_REBOOT", "rebooting_hard")));
            nova.Handler.Expect("GET", ListPath).Respond(200, List(S(Stopped, "web", "ACTIVE"), S(Broken, "db", "ERROR"), S(Stuck, "app", "HARD_REBOOT", "rebooting_hard")));
            nova.Handler.Expect("GET", ListPath).Respond(200, List(S(Stopped, "web", "ACTIVE"), S(Broken, "db", "ERROR"), S(Stuck, "app", "HARD_REBOOT", "rebooting_hard")));
            var node = new FakeNodeShell("osops").On("grep -F -- " + Broken, stdout: $"2026-11-23 09:00:00.000 77 ERROR nova.compute.manager [instance: {Broken}] libvirtError: internal error\n")
                .On("grep -F -- " + Stuck, stdout: "");
            var clock = new VirtualClock();
            var restarter = new ServerRestarter(nova.Compute, node, null, clock) { PollInterval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(12) };

            var results = await restarter.RestartAsync(Host, new[] { Srv(Stopped, "web", "SHUTOFF"), Srv(Broken, "db", "ERROR"), Srv(Stuck, "app", "ACTIVE") }, hard: false, CancellationToken.None);
            nova.Handler.AssertAllUsed();

            OpenStackOps.Tests.Migrations.Json.AssertEqual("{\"os-start\":null}", start.Request.Body);
            OpenStackOps.Tests.Migrations.Json.AssertEqual("{\"reboot\":{\"type\":\"HARD\"}}", reboot.Request.Body);
            OpenStackOps.Tests.Migrations.Json.AssertEqual("{\"reboot\":{\"type\":\"SOFT\"}}", reboot2.Request.Body);
            var web = results.Single(r => r.ServerId == Stopped);
            Assert.True(web.Succeeded);
            Assert.Equal("Start", web.Action);
            Assert.Empty(web.LogLines);
            var db = results.Single(r => r.ServerId == Broken);
            Assert.False(db.Succeeded);
            Assert.Equal("ERROR", db.Status);
            Assert.Contains("libvirtError", Assert.Single(db.LogLines));
            var app = results.Single(r => r.ServerId == Stuck);
            Assert.False(app.Succeeded);
            Assert.Contains("not ACTIVE after 12 s", app.Message);
            Assert.Equal(3, clock.Delays.Count);
            Assert.Equal(new[] { $"sudo -n -- grep -F -- {Broken} /var/log/nova/nova-compute.log | tail -n 20", $"sudo -n -- grep -F -- {Stuck} /var/log/nova/nova-compute.log | tail -n 20" }, node.Commands);
        }
    }
}
