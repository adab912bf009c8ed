using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using OpenStackOps.Sessions;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// The devcloud's controller node ctl01 (tools/devcloud/lib/controller.sh) through the engine's SSH shell, logged in
    /// as the module logs in (osops with the key, strict known_hosts, root commands through sudo -n): the control plane's
    /// units by their Debian names, its real log files where Debian writes them.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class ControllerNodeDevcloudTests
    {
        private sealed class CapturingLog : IApiLog
        {
            public readonly ConcurrentQueue<string> Lines = new ConcurrentQueue<string>();
            public void Verbose(string message) => Lines.Enqueue(message);
            public void Debug(string message) { }
        }

        private static JsonNode Controller()
        {
            string file = Path.Combine(DevcloudProfiles.Directory, "controller.json");
            Assert.True(File.Exists(file), "No controller node: run tools/devcloud/up.sh (it adds ctl01 to a devcloud that is already up).");
            return JsonNode.Parse(File.ReadAllText(file));
        }

        private static Task<SshNodeShell> Ctl01()
        {
            var ctl = Controller();
            var options = new NodeConnectionOptions
            {
                NodeName = (string)ctl["name"], Address = (string)ctl["host"], Port = (int)ctl["port"], UserName = "osops",
                KnownHostsPath = (string)ctl["knownHosts"], CommandTimeout = TimeSpan.FromMinutes(1),
            };
            options.KeyFiles.Add((string)ctl["keyFile"]);
            return SshNodeShell.ConnectAsync(options, null, CancellationToken.None);
        }

        private static string RecordedPid(string name) => File.ReadAllText(Path.Combine(DevcloudProfiles.Directory, "pids", name + ".pid")).Trim();

        private static bool ProcessAlive(string pid)
        {
            try { return File.ReadAllText($"/proc/{pid}/stat").Split(')').Last().Trim()[0] is char s && s != 'Z' && s != 'X'; }
            catch (IOException) { return false; }
        }

        [Fact]
        public async Task AnswersForTheControlPlaneUnitsByTheirDebianNames()
        {
            using var shell = await Ctl01();
            var host = await shell.RunCheckedAsync(NodeCommand.User("hostname"), "hostname", CancellationToken.None);
            Assert.Equal("ctl01.example.com", host.StandardOutput.Trim());

            var active = await shell.RunAsync(NodeCommand.Root("systemctl", "is-active", "nova-api"), CancellationToken.None);
            Assert.Equal(0, active.ExitCode);
            Assert.Equal("active", active.StandardOutput.Trim());

            var status = await shell.RunCheckedAsync(NodeCommand.Root("systemctl", "status", "nova-api"), "systemctl status", CancellationToken.None);
            Assert.Contains("Active: active (running) since ", status.StandardOutput);
            Assert.Contains($"Main PID: {RecordedPid("nova-api")} ", status.StandardOutput);

            var units = await shell.RunCheckedAsync(NodeCommand.Root("systemctl", "list-units", "--type=service", "--no-legend"), "list-units", CancellationToken.None);
            foreach (var unit in new[] { "mariadb", "rabbitmq-server", "keystone", "nova-api", "nova-conductor", "nova-scheduler", "neutron-api", "cinder-scheduler" })
                Assert.Matches(new Regex($"^{Regex.Escape(unit)}\\.service +loaded +active +running ", RegexOptions.Multiline), units.StandardOutput);

            var unknown = await shell.RunAsync(NodeCommand.Root("systemctl", "is-active", "nova-bogus"), CancellationToken.None);
            Assert.Equal(3, unknown.ExitCode);
            var refused = await shell.RunAsync(NodeCommand.Root("systemctl", "stop", "keystone"), CancellationToken.None);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("refused by the devcloud", refused.StandardError);
        }

        [Fact]
        public async Task NovaApiLogShowsTheRequestIdOfACallTheEngineMade()
        {
            var log = new CapturingLog();
            using (var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), log, CancellationToken.None))
                await session.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None);
            string call = log.Lines.Last(l => l.Contains("/os-services"));
            string requestId = Regex.Match(call, @"\[(req-[0-9a-f-]{36})\]").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(requestId), "no request id in: " + call);

            using var shell = await Ctl01();
            CommandResult found = null;
            for (int i = 0; i < 10; i++)
            {
                // /var/log/nova is root:adm 0750 as on Debian: read through sudo, as the module reads a node's logs
                found = await shell.RunAsync(NodeCommand.Root("grep", "-F", "--", requestId, "/var/log/nova/nova-api.log"), CancellationToken.None);
                if (found.ExitCode == 0) break;
                await Task.Delay(500);
            }
            Assert.True(found.ExitCode == 0, $"{requestId} not in ctl01's /var/log/nova/nova-api.log: {found.StandardError}");
            string line = found.StandardOutput.Split('\n').First(l => l.Contains(requestId));
            Assert.Contains("nova.api.openstack.requestlog", line);
            Assert.Contains("GET /v2.1/os-services", line);
            Assert.Contains("status: 200", line);
        }

        [Fact]
        public async Task AUnitGoesInactiveWhenItsProcessIsReallyStoppedAndActiveWhenStartedAgain()
        {
            // cinder-scheduler: stopping it for a few seconds on the shared devcloud is harmless (requests wait in RabbitMQ)
            using var shell = await Ctl01();
            string before = RecordedPid("cinder-scheduler");
            Assert.True(ProcessAlive(before));
            try
            {
                await shell.RunCheckedAsync(NodeCommand.Root("systemctl", "stop", "cinder-scheduler"), "systemctl stop", CancellationToken.None);
                Assert.False(ProcessAlive(before), "cinder-scheduler " + before + " still runs");
                var state = await shell.RunAsync(NodeCommand.Root("systemctl", "is-active", "cinder-scheduler"), CancellationToken.None);
                Assert.Equal(3, state.ExitCode);
                Assert.Equal("inactive", state.StandardOutput.Trim());
                var status = await shell.RunAsync(NodeCommand.Root("systemctl", "status", "cinder-scheduler"), CancellationToken.None);
                Assert.Equal(3, status.ExitCode);
                Assert.Contains("Active: inactive (dead) since ", status.StandardOutput);
            }
            finally
            {
                await shell.RunAsync(NodeCommand.Root("systemctl", "start", "cinder-scheduler"), CancellationToken.None);
            }
            var again = await shell.RunAsync(NodeCommand.Root("systemctl", "is-active", "cinder-scheduler"), CancellationToken.None);
            Assert.Equal("active", again.StandardOutput.Trim());
            string after = RecordedPid("cinder-scheduler");
            Assert.NotEqual(before, after);
            Assert.True(ProcessAlive(after));
            // the new process writes the same log file ctl01 shows (its PID is the second field of its lines)
            CommandResult started = null;
            for (int i = 0; i < 60; i++)
            {
                started = await shell.RunAsync(NodeCommand.Script(true, "grep -c -E \"^[0-9-]+ [0-9:.]+ $1 \" /var/log/cinder/cinder-scheduler.log", after), CancellationToken.None);
                if (started.ExitCode == 0) break;
                await Task.Delay(500);
            }
            Assert.True(started.ExitCode == 0, "no line of cinder-scheduler " + after + " in ctl01's /var/log/cinder/cinder-scheduler.log");
        }
    }
}
