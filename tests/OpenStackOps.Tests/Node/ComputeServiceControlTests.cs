using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Health;
using OpenStackOps.Node.Services;
using OpenStackOps.Node.Shell;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>Stop/start with pinning on a scripted systemd or SysV node: what is done, and that start undoes exactly that.</summary>
    public class ComputeServiceControlTests
    {
        private sealed class SystemdNode
        {
            public bool Running = true;
            public int Pid = 4242;
            public string Mask = "";        // "", runtime, persistent
            public string Marker;           // content of the pin record, or null
            public readonly FakeNodeShell Shell = new FakeNodeShell("osops");

            public SystemdNode()
            {
                Shell.When(l => l.Contains("command -v systemctl"), l => FakeNodeShell.Result(l, 0))
                    .When(l => l.Contains("-p LoadState"), l => FakeNodeShell.Result(l, 0, Mask == "" ? "loaded\n" : "masked\n"))
                    .When(l => l.StartsWith("systemctl is-active nova-compute"), l => FakeNodeShell.Result(l, Running ? 0 : 3, Running ? "active\n" : "inactive\n"))
                    .When(l => l.Contains("-p MainPID"), l => FakeNodeShell.Result(l, 0, Running ? Pid + "\n" : "0\n"))
                    .When(l => l.StartsWith("systemctl is-enabled"), l => FakeNodeShell.Result(l, Mask == "" ? 0 : 1, Mask == "" ? "enabled\n" : Mask == "runtime" ? "masked-runtime\n" : "masked\n"))
                    .When(l => l.StartsWith("sudo -n -- cat -- /var/lib/openstackops"), l => FakeNodeShell.Result(l, Marker == null ? 1 : 0, Marker ?? "", Marker == null ? "No such file" : ""))
                    .When(l => l.Contains("f=$1"), l => { Marker = l.Contains("method=mask-runtime") ? "method=mask-runtime\n" : "method=moved\n"; return FakeNodeShell.Result(l, 0); })
                    .When(l => l.StartsWith("sudo -n -- rm -f -- /var/lib/openstackops"), l => { Marker = null; return FakeNodeShell.Result(l, 0); })
                    .When(l => l == "sudo -n -- systemctl mask --runtime nova-compute", l => { Mask = "runtime"; return FakeNodeShell.Result(l, 0); })
                    .When(l => l == "sudo -n -- systemctl unmask --runtime nova-compute", l => { Mask = ""; return FakeNodeShell.Result(l, 0); })
                    .When(l => l == "sudo -n -- systemctl restart nova-compute", l => { Pid++; return FakeNodeShell.Result(l, 0); })
                    .When(l => l == "sudo -n -- systemctl stop nova-compute", l => { Running = false; return FakeNodeShell.Result(l, 0); })
                    .When(l => l == "sudo -n -- systemctl start nova-compute", l => { if (Mask != "") return FakeNodeShell.Result(l, 1, "", "Unit nova-compute.service is masked."); Running = true; return FakeNodeShell.Result(l, 0); });
            }
        }

        [Fact]
        public async Task RestartRestartsOnlyARunningUnpinnedServiceAndChecksForANewProcess()
        {
            var node = new SystemdNode();
            var control = new ComputeServiceControl(node.Shell);
            var restarted = await control.RestartAsync(InitSystem.Auto, CancellationToken.None);
            Assert.Equal("Restarted", restarted.Action);
            Assert.Equal(4243, restarted.MainPid);
            Assert.Equal(new[] { "sudo -n -- systemctl restart nova-compute" }, node.Shell.Matching("sudo -n -- systemctl"));

            node.Marker = "method=mask-runtime\n";
            var pinned = await Assert.ThrowsAsync<NodeCommandException>(() => control.RestartAsync(InitSystem.Auto, CancellationToken.None));
            Assert.Equal(NodeErrorKind.Busy, pinned.Kind);
            Assert.Contains("pinned down for maintenance", pinned.Message);

            node.Marker = null;
            node.Running = false;
            var stopped = await Assert.ThrowsAsync<NodeCommandException>(() => control.RestartAsync(InitSystem.Auto, CancellationToken.None));
            Assert.Contains("not running: there is nothing to restart", stopped.Message);
            Assert.Equal("Start-NodeComputeService starts it (Test-ComputeNodeHealth says why it stopped).", stopped.RecommendedAction);
            Assert.Single(node.Shell.Matching("sudo -n -- systemctl restart"));
        }

        [Fact]
        public async Task PinnedStopOnSystemdMasksAtRuntimeThenStopsAndStartUndoesExactlyThat()
        {
            var node = new SystemdNode();
            var control = new ComputeServiceControl(node.Shell);
            var stopped = await control.StopAsync(InitSystem.Auto, pin: true, CancellationToken.None);
            Assert.Equal(InitSystem.Systemd, stopped.Init);
            Assert.False(stopped.Active);
            Assert.True(stopped.Pinned);
            Assert.Equal("systemctl mask --runtime", stopped.PinMethod);
            Assert.Equal("Stopped", stopped.Action);
            Assert.Equal(new[] { "sudo -n -- systemctl mask --runtime nova-compute", "sudo -n -- systemctl stop nova-compute" },
                node.Shell.Matching("sudo -n -- systemctl"));

            var started = await control.StartAsync(InitSystem.Auto, CancellationToken.None);
            Assert.True(started.Active);
            Assert.False(started.Pinned);
            Assert.Equal(4242, started.MainPid);
            Assert.Equal(new[] { "sudo -n -- systemctl unmask --runtime nova-compute", "sudo -n -- systemctl start nova-compute" },
                node.Shell.Matching("sudo -n -- systemctl").Skip(2));
        }

        [Fact]
        public async Task SomeoneElsesMaskIsNeitherTakenOverNorRemoved()
        {
            var node = new SystemdNode { Mask = "persistent" };
            var control = new ComputeServiceControl(node.Shell);
            var e = await Assert.ThrowsAsync<NodeCommandException>(() => control.StopAsync(InitSystem.Systemd, pin: true, CancellationToken.None));
            Assert.Equal(NodeErrorKind.Busy, e.Kind);
            node.Running = false;
            e = await Assert.ThrowsAsync<NodeCommandException>(() => control.StartAsync(InitSystem.Systemd, CancellationToken.None));
            Assert.Contains("not by OpenStackOps", e.Message);
            Assert.DoesNotContain(node.Shell.Commands, c => c.Contains("unmask"));
        }

        [Fact]
        public async Task ARuntimeMaskGoneAfterARebootIsNotUnmaskedAgain()
        {
            var node = new SystemdNode { Running = false, Marker = "method=mask-runtime\n" };
            var started = await new ComputeServiceControl(node.Shell).StartAsync(InitSystem.Systemd, CancellationToken.None);
            Assert.True(started.Active);
            Assert.DoesNotContain(node.Shell.Commands, c => c.Contains("unmask"));
            Assert.Null(node.Marker);
        }

        [Fact]
        public async Task SysVStopsThenMovesTheInitFilesAwayAndStartMovesThemBack()
        {
            bool running = true, conf = true, initd = true;
            string marker = null;
            var shell = new FakeNodeShell()
                .When(l => l.StartsWith("service nova-compute status"), l => FakeNodeShell.Result(l, running ? 0 : 3, running ? "nova-compute start/running, process 77\n" : "nova-compute stop/waiting\n"))
                .When(l => l.StartsWith("cat -- /var/lib/openstackops"), l => FakeNodeShell.Result(l, marker == null ? 1 : 0, marker ?? ""))
                .When(l => l.Contains("f=$1"), l => { marker = "method=moved\nmoved=/etc/init/nova-compute.conf\nmoved=/etc/init.d/nova-compute\n"; return FakeNodeShell.Result(l, 0); })
                .When(l => l == "test -e /etc/init/nova-compute.conf", l => FakeNodeShell.Result(l, conf ? 0 : 1))
                .When(l => l == "test -e /etc/init.d/nova-compute", l => FakeNodeShell.Result(l, initd ? 0 : 1))
                .When(l => l == "mv -n -- /etc/init/nova-compute.conf /var/lib/openstackops/pinned/etc/init/nova-compute.conf", l => { conf = false; return FakeNodeShell.Result(l, 0); })
                .When(l => l == "mv -n -- /etc/init.d/nova-compute /var/lib/openstackops/pinned/etc/init.d/nova-compute", l => { initd = false; return FakeNodeShell.Result(l, 0); })
                .When(l => l.StartsWith("mv -n -- /var/lib/openstackops/pinned/etc/init/"), l => { conf = true; return FakeNodeShell.Result(l, 0); })
                .When(l => l.StartsWith("mv -n -- /var/lib/openstackops/pinned/etc/init.d/"), l => { initd = true; return FakeNodeShell.Result(l, 0); })
                .When(l => l.StartsWith("rm -f -- /var/lib/openstackops"), l => { marker = null; return FakeNodeShell.Result(l, 0); })
                .When(l => l == "service nova-compute stop", l => { running = false; return FakeNodeShell.Result(l, 0); })
                .When(l => l == "service nova-compute start", l => { if (!conf && !initd) return FakeNodeShell.Result(l, 1, "", "nova-compute: unrecognized service"); running = true; return FakeNodeShell.Result(l, 0); });
            var control = new ComputeServiceControl(shell);

            var stopped = await control.StopAsync(InitSystem.SysV, pin: true, CancellationToken.None);
            Assert.True(stopped.Pinned);
            Assert.False(conf || initd);
            int stop = shell.Commands.IndexOf("service nova-compute stop");
            int move = shell.Commands.FindIndex(c => c.StartsWith("mv -n -- /etc/init/"));
            Assert.True(stop >= 0 && move > stop, "the service is stopped while its init script is still there, then the files move");

            var started = await control.StartAsync(InitSystem.SysV, CancellationToken.None);
            Assert.True(started.Active);
            Assert.Equal(77, started.MainPid);
            Assert.True(conf && initd);
            Assert.True(shell.Commands.FindIndex(c => c.StartsWith("mv -n -- /var/lib/openstackops/pinned/etc/init/")) < shell.Commands.IndexOf("service nova-compute start"));
        }

        [Theory]
        [InlineData("2026-11-23 09:03:32.579 31565 DEBUG oslo.messaging._drivers.impl_rabbit [-] Connected to AMQP server on 127.0.0.1:5672", 31565)]
        [InlineData("2026-11-23 09:03:32 12 INFO x", 12)]
        [InlineData("Traceback (most recent call last):", null)]
        public void TheLogLinesPidIsTheThirdField(string line, int? pid)
            => Assert.Equal(pid, NodeHealthProbe.LogPid(line));

        [Fact]
        public async Task HealthCountsOnlyAmqpLinesOfTheRunningProcess()
        {
            var node = new SystemdNode();
            node.Shell.When(l => l.Contains("ps -o etimes="), l => FakeNodeShell.Result(l, 0, "1795425128\n   545 /usr/bin/python3 /usr/bin/nova-compute --config-file=x\n"))
                .When(l => l.Contains("AMQP server"), l => FakeNodeShell.Result(l, 0,
                    "2026-11-23 08:00:00.000 1111 DEBUG oslo.messaging._drivers.impl_rabbit [-] Connected to AMQP server on 127.0.0.1:5672\n"))
                .When(l => l.Contains("is-active libvirtd"), l => FakeNodeShell.Result(l, 0, "active\n"));
            var health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, null, null, CancellationToken.None);
            Assert.True(health.ProcessRunning);
            Assert.False(health.AmqpConnected); // the only line is from an older process (PID 1111)
            Assert.False(health.Healthy);
            Assert.Contains(health.Problems, p => p.Contains("AMQP"));

            node.Shell.When(l => l.Contains("AMQP server"), l => FakeNodeShell.Result(l, 0,
                "2026-11-23 09:03:32.579 4242 DEBUG oslo.messaging._drivers.impl_rabbit [-] Connected to AMQP server on 127.0.0.1:5672\n"));
            health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, null, null, CancellationToken.None);
            Assert.True(health.AmqpConnected);
            Assert.True(health.Healthy, string.Join("; ", health.Problems));
            Assert.Equal(System.DateTimeOffset.FromUnixTimeSeconds(1795425128 - 545), health.ProcessStartedAt);
        }

        [Fact]
        public async Task AComputeThatLostRabbitMqAndNeverReconnectedIsNotConnectedThoughItsStartupLineRemains()
        {
            var node = new SystemdNode();
            node.Shell.When(l => l.Contains("ps -o etimes="), l => FakeNodeShell.Result(l, 0, "1795425128\n   545 /usr/bin/python3 /usr/bin/nova-compute --config-file=x\n"))
                .When(l => l.Contains("AMQP server"), l => FakeNodeShell.Result(l, 0,
                    "2026-11-23 09:03:32.579 4242 INFO oslo.messaging._drivers.impl_rabbit [-] Connected to AMQP server on 127.0.0.1:5672 via [amqp] client with port 40122.\n" +
                    "2026-11-23 10:15:01.002 4242 ERROR oslo.messaging._drivers.impl_rabbit [-] AMQP server on 127.0.0.1:5672 is unreachable: [Errno 111] ECONNREFUSED. Trying again in 1 seconds.: ConnectionRefusedError: [Errno 111] ECONNREFUSED\n"))
                .When(l => l.Contains("is-active libvirtd"), l => FakeNodeShell.Result(l, 0, "active\n"));
            var health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, null, null, CancellationToken.None);
            Assert.False(health.AmqpConnected);
            Assert.Contains("is unreachable", health.LastAmqpLine);
            Assert.Contains(health.Problems, p => p.StartsWith("The running nova-compute lost RabbitMQ (2026-11-23 10:15:01Z)"));
            Assert.True(health.NeedsRestart);
            Assert.Equal("its log's last word on the broker is a lost connection (2026-11-23 10:15:01Z), no reconnection since", health.RestartReason);

            // nova's view counts too: down while the process runs (a frozen or wedged nova-compute logs nothing).
            var down = new OpenStackOps.Compute.Services.ComputeService { Host = "c01.example.com", State = "down", Status = "enabled", UpdatedAt = System.DateTimeOffset.UtcNow.AddMinutes(-5) };
            health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, down, null, CancellationToken.None);
            Assert.True(health.NeedsRestart);
            Assert.StartsWith("nova reports it down while its process 4242 runs; its log's last word", health.RestartReason);

            // A stopped service needs a start, not a restart.
            node.Running = false;
            health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, down, null, CancellationToken.None);
            Assert.False(health.NeedsRestart);
            node.Running = true;

            // oslo's own reconnection line puts it right again.
            node.Shell.When(l => l.Contains("AMQP server"), l => FakeNodeShell.Result(l, 0,
                "2026-11-23 10:15:01.002 4242 ERROR oslo.messaging._drivers.impl_rabbit [-] AMQP server on 127.0.0.1:5672 is unreachable: [Errno 111] ECONNREFUSED. Trying again in 1 seconds.\n" +
                "2026-11-23 10:15:09.338 4242 INFO oslo.messaging._drivers.impl_rabbit [-] Reconnected to AMQP server on 127.0.0.1:5672 via [amqp] client with port 40998.\n"));
            health = await new NodeHealthProbe(node.Shell).CheckAsync(InitSystem.Auto, null, null, CancellationToken.None);
            Assert.True(health.AmqpConnected);
            Assert.True(health.Healthy, string.Join("; ", health.Problems));
            Assert.False(health.NeedsRestart);
            Assert.Null(health.RestartReason);
        }
    }
}
