using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Logs;
using OpenStackOps.Node.Shell;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>oslo.log lines as Zed's services write them, read into ServiceLogLine, and a trace followed over two nodes.</summary>
    public class RequestTracerTests
    {
        private const string Nova = "req-3a0d63b3-2cba-4838-bccb-50d5bfe9c296";
        private const string Neutron = "req-9046a1a8-03d9-4e70-a977-2521ace0336f";
        private const string Uuid = "21fd1e7f-17ab-45da-8281-5561a848ddee";

        [Fact]
        public void ReadsTheContextOfAnOsloLine()
        {
            var l = ServiceLogSearch.Parse("ctl01", "/var/log/neutron/neutron-server.log",
                $"2026-12-07 03:09:33.439 26594 INFO neutron.wsgi [{Nova} {Neutron} 479bb684 83eea36a - - default default] 127.0.0.1 \"GET /v2.0/ports HTTP/1.1\" status: 200");
            Assert.Equal(new DateTime(2026, 12, 7, 3, 9, 33, 439), l.Time);
            Assert.Equal("neutron-server", l.Service);
            Assert.Equal(26594, l.ProcessId);
            Assert.Equal("INFO", l.Level);
            Assert.Equal("neutron.wsgi", l.Logger);
            Assert.Equal(Neutron, l.RequestId);
            Assert.Equal(Nova, l.GlobalRequestId);
            Assert.Equal("127.0.0.1 \"GET /v2.0/ports HTTP/1.1\" status: 200", l.Message);

            var c = ServiceLogSearch.Parse("c01", "/var/log/nova/nova-compute.log",
                $"2026-12-07 03:04:53.100 25557 INFO nova.compute.manager [None {Nova} 479bb684 83eea36a - - default default] [instance: {Uuid}] Took 3.81 seconds to build instance.");
            Assert.Equal(Nova, c.RequestId);
            Assert.Null(c.GlobalRequestId);
            Assert.Equal(Uuid, c.InstanceId);

            var uwsgi = ServiceLogSearch.Parse("ctl01", "/var/log/nova/nova-api.log", "[pid: 8623|app: 0|req: 5/9] 127.0.0.1 () {34 vars} [Mon Dec  7 03:09:33 2026] GET /v2.1/");
            // uwsgi's request log (nova-api under uwsgi writes it into the same file): its own time format, day padded with a space.
            Assert.Equal(new DateTime(2026, 12, 7, 3, 9, 33), uwsgi.Time);
            Assert.Equal(8623, uwsgi.ProcessId);
            Assert.Equal("uwsgi", uwsgi.Logger);
            Assert.Equal("GET /v2.1/", uwsgi.Message);
            Assert.Equal("nova-api", uwsgi.Service);
            var twoDigitDay = ServiceLogSearch.Parse("ctl01", "/var/log/nova/nova-api.log", "[pid: 8623|app: 0|req: 5/9] 127.0.0.1 () {34 vars in 810 bytes} [Fri Dec 11 23:59:01 2026] GET /v2.1/ => generated 3907 bytes");
            Assert.Equal(new DateTime(2026, 12, 11, 23, 59, 1), twoDigitDay.Time);

            var other = ServiceLogSearch.Parse("ctl01", "/var/log/nova/nova-api.log", "something else entirely");
            Assert.Null(other.Time);
            Assert.Equal("something else entirely", other.Message);
        }

        private sealed class LogShell : INodeShell
        {
            private readonly Dictionary<string, string[]> _files;
            public LogShell(string node, Dictionary<string, string[]> files) { NodeName = node; _files = files; }
            public string NodeName { get; }
            public string UserName => "root";
            public List<NodeCommand> Commands { get; } = new List<NodeCommand>();
            public Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct)
            {
                Commands.Add(command);
                var w = command.Words; // sh -c SCRIPT sh MAX PATTERNS GLOB...
                int max = int.Parse(w[4]);
                var patterns = w[5].Split('\n');
                var output = new List<string>();
                foreach (var f in _files)
                {
                    output.Add("@file " + f.Key);
                    output.AddRange(f.Value.Where(l => patterns.Any(l.Contains)).Take(max + 1));
                }
                return Task.FromResult(new CommandResult(command.ToString(), 0, string.Join("\n", output) + "\n", "", TimeSpan.Zero));
            }
            public Task DownloadAsync(string remotePath, System.IO.Stream destination, Action<long> progress, CancellationToken ct) => throw new NotSupportedException();
            public Task UploadAsync(System.IO.Stream source, string remotePath, CancellationToken ct) => throw new NotSupportedException();
            public Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct) => throw new NotSupportedException();
        }

        [Fact]
        public async Task FollowsTheIdsLoggedAlongsideAndReturnsEveryNodesLinesInTimeOrder()
        {
            var ctl = new LogShell("ctl01", new Dictionary<string, string[]>
            {
                ["/var/log/nova/nova-api.log"] = new[] { $"2026-12-07 03:04:49.100 8624 INFO nova.api.openstack.requestlog [None {Nova} u p - - default default] 127.0.0.1 \"POST /v2.1/servers\" status: 202" },
                ["/var/log/nova/nova-scheduler.log"] = new[]
                {
                    $"2026-12-07 03:04:49.444 16325 INFO nova.scheduler.host_manager [None {Nova} u p - - default default] Host filter forcing available hosts to c01.example.com",
                    "2026-12-07 03:04:50.000 16325 INFO nova.scheduler.host_manager [None req-c289dda3-0442-44bc-a320-9c9a6108b05c - - - - - -] someone else's line",
                },
                ["/var/log/nova/nova-conductor.log"] = new[] { $"2026-12-07 03:04:49.300 16306 WARNING oslo_messaging.rpc.client [None {Nova} u p - - default default] Using RPCClient manually" },
                ["/var/log/neutron/neutron-server.log"] = new[]
                {
                    $"2026-12-07 03:04:52.000 26594 INFO neutron.wsgi [{Nova} {Neutron} u p - - default default] 127.0.0.1 \"PUT /v2.0/ports/x HTTP/1.1\" status: 200",
                    // neutron's own line of that call that lost the caller's id: found through neutron's request id.
                    $"2026-12-07 03:04:51.900 26594 INFO neutron.plugins.ml2 [None {Neutron} u p - - default default] binding port x",
                },
            });
            var c01 = new LogShell("c01", new Dictionary<string, string[]>
            {
                ["/var/log/nova/nova-compute.log"] = new[]
                {
                    $"2026-12-07 03:04:49.600 25557 INFO nova.compute.claims [None {Nova} u p - - default default] [instance: {Uuid}] Claim successful on node c01",
                    $"2026-12-07 03:04:53.000 25557 INFO nova.compute.manager [None req-11111111-2222-3333-4444-555555555555 - - - - - -] [instance: {Uuid}] During sync_power_state the instance has a pending task",
                    $"2026-12-07 05:00:00.000 25557 INFO nova.compute.manager [None req-11111111-2222-3333-4444-555555555556 - - - - - -] [instance: {Uuid}] much later",
                },
            });
            var tracer = new RequestTracer(new (INodeShell, IReadOnlyList<string>)[] { (ctl, ServiceLogSearch.ControllerLogs), (c01, ServiceLogSearch.ComputeLogs) })
            { InstanceWindow = TimeSpan.FromSeconds(30) };

            var lines = await tracer.TraceAsync(Nova, CancellationToken.None);

            Assert.Equal(new[] { "nova-api", "nova-conductor", "nova-scheduler", "nova-compute", "neutron-server", "neutron-server", "nova-compute" }, lines.Select(l => l.Service));
            Assert.Equal(new[] { "ctl01", "ctl01", "ctl01", "c01", "ctl01", "ctl01", "c01" }, lines.Select(l => l.Host));
            Assert.Equal("Related " + Neutron, lines[4].MatchedBy);
            Assert.Equal("binding port x", lines[4].Message);
            Assert.Equal("RequestId", lines[5].MatchedBy);
            Assert.Equal("Instance " + Uuid, lines[6].MatchedBy);
            Assert.DoesNotContain(lines, l => l.Message == "much later" || l.Message == "someone else's line");
            // Two rounds per node; the patterns travel as one argument, never in the script text.
            Assert.Equal(2, ctl.Commands.Count);
            Assert.Equal(Nova, ctl.Commands[0].Words[5]);
            Assert.DoesNotContain(Nova, ctl.Commands[0].Words[2]);
            Assert.True(ctl.Commands[0].AsRoot);
        }

        /// <summary>
        /// Seen on the devcloud (a failed live migration traced from its error record): after the failure the module read
        /// the instance action by its request id, so nova-api logged another request whose URL names the id, in an oslo
        /// line and in uwsgi's request line. Both came back (grep finds the id) but the uwsgi line had no time and sorted
        /// last, and the other request's id was followed as if it were related.
        /// </summary>
        [Fact]
        public async Task LinesThatOnlyNameTheIdHaveTheirTimeAndTheirRequestIsNotFollowed()
        {
            const string Later = "req-9ee0fe01-8b0c-48aa-bdc3-71c2777e757f";
            var ctl = new LogShell("ctl01", new Dictionary<string, string[]>
            {
                ["/var/log/nova/nova-api.log"] = new[]
                {
                    $"2026-12-07 06:05:49.100 23089 INFO nova.api.openstack.requestlog [None {Nova} u p - - default default] 127.0.0.1 \"POST /v2.1/servers/{Uuid}/action\" status: 202",
                    $"2026-12-07 06:05:59.363 23089 INFO nova.api.openstack.requestlog [None {Later} u p - - default default] 127.0.0.1 \"GET /v2.1/servers/{Uuid}/os-instance-actions/{Nova}\" status: 200\u001b[00m",
                    $"[pid: 23089|app: 0|req: 174/364] 127.0.0.1 () {{32 vars in 810 bytes}} [Mon Dec  7 06:05:59 2026] GET /v2.1/servers/{Uuid}/os-instance-actions/{Nova} => generated 3907 bytes in 53 msecs (HTTP/1.1 200)",
                    $"2026-12-07 06:05:59.400 23089 INFO nova.compute.api [None {Later} u p - - default default] a line of the later request only",
                },
                ["/var/log/nova/nova-conductor.log"] = new[] { $"2026-12-07 06:05:50.299 23070 ERROR oslo_messaging.rpc.server [None {Nova} u p - - default default] Exception during message handling: NoValidHost" },
            });
            var tracer = new RequestTracer(new (INodeShell, IReadOnlyList<string>)[] { (ctl, ServiceLogSearch.ControllerLogs) });

            var lines = await tracer.TraceAsync(Nova, CancellationToken.None);

            Assert.Equal(4, lines.Count);
            Assert.All(lines, l => Assert.NotNull(l.Time));
            Assert.Equal(lines.Select(l => l.Time).OrderBy(t => t), lines.Select(l => l.Time));
            Assert.Equal(new[] { "RequestId", "RequestId", "Mentioned", "Mentioned" }, lines.Select(l => l.MatchedBy));
            Assert.Equal("uwsgi", lines[2].Logger);
            Assert.DoesNotContain(lines, l => l.Message == "a line of the later request only");
            Assert.Single(ctl.Commands);   // nothing related to follow
        }

        [Fact]
        public async Task RefusesWhatIsNotARequestId()
        {
            var tracer = new RequestTracer(new (INodeShell, IReadOnlyList<string>)[0]);
            await Assert.ThrowsAsync<ArgumentException>(() => tracer.TraceAsync("req-x'; rm -rf /", CancellationToken.None));
        }
    }
}
