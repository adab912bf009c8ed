using System.Globalization;
using System.Text.RegularExpressions;
using OpenStackOps.Compute.Services;
using OpenStackOps.Node.Services;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Health
{
    /// <summary>Runs the after-reboot checks on a node (read-only: nothing on the node changes).</summary>
    public sealed class NodeHealthProbe
    {
        public const string LogFile = "/var/log/nova/nova-compute.log";
        public const string AmqpMarker = "Connected to AMQP server";
        /// <summary>oslo.messaging's lines about the broker: a (re)connection, or losing it ("... is unreachable: ... Trying again").</summary>
        internal const string AmqpLines = "(Re)?[Cc]onnected to AMQP server|AMQP server on .* is unreachable";
        private readonly INodeShell _shell;

        public NodeHealthProbe(INodeShell shell) => _shell = shell;

        /// <summary>How old nova's updated_at may be (nova's service_down_time defaults to 60 s).</summary>
        public TimeSpan MaxServiceAge { get; set; } = TimeSpan.FromSeconds(60);
        public int LogLinesOnProblem { get; set; } = 20;

        /// <param name="init">Systemd, SysV, or Auto to find out on the node.</param>
        /// <param name="service">nova's row for this node's nova-compute, or null to skip the API checks.</param>
        /// <param name="now">nova's clock is compared with this (UTC now by default).</param>
        /// <param name="ct">Cancels the checks.</param>
        public async Task<ComputeNodeHealth> CheckAsync(InitSystem init, ComputeService? service, DateTimeOffset? now, CancellationToken ct)
        {
            var health = new ComputeNodeHealth { Node = _shell.NodeName, CheckedAt = now ?? DateTimeOffset.UtcNow };
            var problems = new List<string>();
            var control = new ComputeServiceControl(_shell);
            var state = await control.GetStateAsync(init, ct).ConfigureAwait(false);
            health.InitSystem = state.InitSystem.ToString();
            health.ServiceState = state.State;
            health.ServiceActive = state.Active;
            health.ProcessId = state.MainPid;
            if (!state.Active) problems.Add($"nova-compute is not running ({state.State}{(state.Pinned ? ", pinned: " + state.PinMethod : "")}).");

            if (state.MainPid is int pid)
            {
                // etimes = seconds since the process started, measured by the node's own clock.
                var ps = await _shell.RunAsync(NodeCommand.Script(false, "date +%s; ps -o etimes= -o args= -p \"$1\"", pid.ToString(CultureInfo.InvariantCulture)), ct).ConfigureAwait(false);
                var lines = ps.Lines;
                if (lines.Length >= 2 && long.TryParse(lines[0].Trim(), out long nodeNow))
                {
                    var m = Regex.Match(lines[1], @"^\s*(\d+)\s+(.*)$");
                    if (m.Success && m.Groups[2].Value.Contains("nova-compute"))
                    {
                        health.ProcessRunning = true;
                        health.ProcessStartedAt = DateTimeOffset.FromUnixTimeSeconds(nodeNow - long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                    }
                }
                if (!health.ProcessRunning) problems.Add($"The service names PID {pid}, but no nova-compute process runs with that PID.");
            }
            else if (state.Active)
            {
                health.ProcessRunning = true; // SysV scripts do not always say the PID; the status said running.
            }

            var amqp = await _shell.RunAsync(NodeCommand.Root("grep", "-E", "--", AmqpLines, LogFile)
                .Pipe(new NodeCommand(false, "tail", "-n", "200")), ct).ConfigureAwait(false);
            var amqpLines = amqp.Lines;
            string? last = null;
            if (state.MainPid is int mainPid)
                last = amqpLines.LastOrDefault(l => LogPid(l) == mainPid);
            else if (health.ProcessStartedAt != null)
                last = amqpLines.LastOrDefault(l => LogTime(l) is DateTime t && t >= health.ProcessStartedAt.Value.UtcDateTime.AddSeconds(-1));
            health.LastAmqpLine = last;
            // After a broker outage the startup line is still there: what counts is the last word on the broker.
            bool lost = last != null && last.Contains("is unreachable");
            health.AmqpConnected = last != null && !lost && health.ProcessRunning;
            if (lost && state.Active)
                problems.Add($"The running nova-compute lost RabbitMQ ({LogTime(last!)?.ToString("u", CultureInfo.InvariantCulture) ?? "time unknown"}) and has logged no reconnection since: restart nova-compute (the guide: after a long controller outage the compute nodes need it).");
            else if (!health.AmqpConnected && state.Active)
                problems.Add($"No \"{AmqpMarker}\" line from the running nova-compute in {LogFile}: it has not reached RabbitMQ since it started.");

            health.LibvirtRunning = await LibvirtRunningAsync(state.Init, ct).ConfigureAwait(false);
            if (!health.LibvirtRunning) problems.Add("libvirtd is not running.");

            if (service != null)
            {
                health.NovaState = service.State;
                health.NovaStatus = service.Status;
                health.NovaUpdatedAt = service.UpdatedAt;
                health.NovaRecentlyUpdated = service.UpdatedAt != null && health.CheckedAt - service.UpdatedAt.Value <= MaxServiceAge;
                if (service.State != "up") problems.Add($"nova reports the nova-compute service of {service.Host} {service.State}.");
                else if (health.NovaRecentlyUpdated != true)
                    problems.Add($"nova's last report from {service.Host} is from {service.UpdatedAt:u}, older than {MaxServiceAge.TotalSeconds:0} s.");
            }

            // Alive but cut off from the queue: what a restart of nova-compute repairs (not a stopped or pinned one).
            if (health.ProcessRunning && state.Active && !state.Pinned)
            {
                var reasons = new List<string>();
                if (service != null && service.State != "up") reasons.Add($"nova reports it {service.State} while its process{(health.ProcessId is int running ? " " + running.ToString(CultureInfo.InvariantCulture) : "")} runs");
                else if (service != null && health.NovaRecentlyUpdated != true) reasons.Add($"nova's last heartbeat from it is {service.UpdatedAt:u}, older than {MaxServiceAge.TotalSeconds:0} s");
                if (lost) reasons.Add($"its log's last word on the broker is a lost connection ({LogTime(last!)?.ToString("u", CultureInfo.InvariantCulture) ?? "time unknown"}), no reconnection since"); // lost: last != null
                else if (last == null) reasons.Add($"it logged no \"{AmqpMarker}\" since it started");
                health.NeedsRestart = reasons.Count > 0;
                health.RestartReason = reasons.Count > 0 ? string.Join("; ", reasons) : null;
            }

            if (problems.Count > 0)
            {
                var tail = await _shell.RunAsync(NodeCommand.Root("tail", "-n", LogLinesOnProblem.ToString(CultureInfo.InvariantCulture), "--", LogFile), ct).ConfigureAwait(false);
                health.RecentLogLines = tail.Lines;
            }
            health.Problems = problems.ToArray();
            health.Healthy = problems.Count == 0;
            return health;
        }

        private async Task<bool> LibvirtRunningAsync(InitSystem init, CancellationToken ct)
        {
            if (init == InitSystem.Systemd)
            {
                var r = await _shell.RunAsync(NodeCommand.User("systemctl", "is-active", "libvirtd"), ct).ConfigureAwait(false);
                if (r.ExitCode == 0) return true;
                r = await _shell.RunAsync(NodeCommand.User("systemctl", "is-active", "libvirt-bin"), ct).ConfigureAwait(false);
                return r.ExitCode == 0;
            }
            return await _shell.ExitCodeAsync(NodeCommand.User("pgrep", "-x", "libvirtd"), ct).ConfigureAwait(false) == 0;
        }

        /// <summary>oslo.log lines: "2026-11-23 09:03:32.579 31565 DEBUG …": the PID is the third field.</summary>
        internal static int? LogPid(string line)
        {
            var m = Regex.Match(line, @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (\d+) ");
            return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
        }

        internal static DateTime? LogTime(string line)
        {
            var m = Regex.Match(line, @"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)");
            return m.Success && DateTime.TryParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : (DateTime?)null;
        }
    }
}
