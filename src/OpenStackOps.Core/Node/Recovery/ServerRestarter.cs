using OpenStackOps.Compute;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using OpenStackOps.Node.Health;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Recovery
{
    /// <summary>
    /// The guide's after-reboot instance step for the servers of one host: start the stopped ones, reboot the
    /// others (HARD when asked, which rewrites the libvirt domain XML; always HARD for ERROR servers, which cannot be
    /// soft-rebooted), then wait for ACTIVE with one listing per poll. For any that does not come back, the node's
    /// nova-compute log lines naming it are attached.
    /// </summary>
    public sealed class ServerRestarter
    {
        private readonly ComputeClient _compute;
        private readonly INodeShell? _node;
        private readonly IApiLog? _log;
        private readonly IWaitClock _clock;

        public ServerRestarter(ComputeClient compute, INodeShell? node, IApiLog? log, IWaitClock? clock = null)
        {
            _compute = compute;
            _node = node;
            _log = log;
            _clock = clock ?? SystemWaitClock.Instance;
        }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        public int LogLines { get; set; } = 20;

        /// <summary>What would be asked of nova for a server (null: leave it alone, with why).</summary>
        public static string? ChooseAction(Server s, bool hard, out string? why)
        {
            why = null;
            if (s.TaskState != null)
            {
                why = $"busy ({s.Status}, task {s.TaskState}); left alone";
                return null;
            }
            switch (s.Status)
            {
                case "SHUTOFF": return hard ? "HardReboot" : "Start";
                case "ACTIVE": return hard ? "HardReboot" : "Reboot";
                case "ERROR":
                    why = "ERROR servers can only be hard-rebooted";
                    return "HardReboot";
                case "PAUSED":
                case "SUSPENDED":
                    return "HardReboot";
                default:
                    why = $"status {s.Status}; left alone";
                    return null;
            }
        }

        public async Task<IReadOnlyList<ServerRestartResult>> RestartAsync(string host, IReadOnlyList<Server> servers, bool hard, CancellationToken ct)
        {
            var results = new List<ServerRestartResult>();
            var pending = new Dictionary<string, ServerRestartResult>();
            var started = new Dictionary<string, DateTimeOffset>();
            foreach (var s in servers)
            {
                var r = new ServerRestartResult { Host = host, ServerId = s.Id, ServerName = s.Name, StatusBefore = s.Status, Status = s.Status, TaskState = s.TaskState };
                results.Add(r);
                string? action = ChooseAction(s, hard, out string? why);
                r.Message = why;
                if (action == null)
                {
                    r.Action = "None";
                    r.Succeeded = s.Status == "ACTIVE";
                    continue;
                }
                r.Action = action;
                try
                {
                    var accepted = action == "Start"
                        ? await _compute.ServerActions.StartAsync(s.Id, ct).ConfigureAwait(false)
                        : await _compute.ServerActions.RebootAsync(s.Id, action == "HardReboot", ct).ConfigureAwait(false);
                    r.RequestId = accepted.RequestId;
                    _log?.Verbose($"{s.Name} ({s.Id}): {action} accepted ({accepted.RequestId})");
                    pending[s.Id] = r;
                    started[s.Id] = _clock.UtcNow;
                }
                catch (OpenStackApiException e)
                {
                    r.Message = $"nova refused {action}: {e.Message}";
                }
            }

            if (pending.Count > 0)
            {
                var wait = new BoundedWait(_clock, Timeout, PollInterval);
                var (_, allDone) = await wait.UntilAsync(async c =>
                {
                    await PollAsync(host, pending, started, c).ConfigureAwait(false);
                    return pending.Count == 0;
                }, done => done, ct, pauseFirst: true).ConfigureAwait(false);
                if (!allDone)
                    foreach (var r in pending.Values)
                        r.Message = (r.Message == null ? "" : r.Message + "; ") + $"not ACTIVE after {Timeout.TotalSeconds:0} s (status {r.Status}, task {r.TaskState ?? "none"})";
            }

            foreach (var r in results.Where(x => !x.Succeeded && x.Action != "None"))
                r.LogLines = await LogLinesForAsync(r.ServerId, ct).ConfigureAwait(false);
            return results;
        }

        /// <summary>One listing of the host: updates the pending servers' results and drops those that are done.</summary>
        private async Task PollAsync(string host, Dictionary<string, ServerRestartResult> pending, Dictionary<string, DateTimeOffset> started, CancellationToken ct)
        {
            var now = await _compute.Servers.ListOnHostAsync(host, ct).ConfigureAwait(false);
            var byId = now.ToDictionary(x => x.Id);
            foreach (var id in pending.Keys.ToList())
            {
                var r = pending[id];
                if (!byId.TryGetValue(id, out var s))
                {
                    r.Status = "GONE";
                    r.Message = "the server is no longer on " + host + " (moved or deleted meanwhile)";
                    pending.Remove(id);
                    continue;
                }
                r.Status = s.Status;
                r.TaskState = s.TaskState;
                r.ElapsedTime = _clock.UtcNow - started[id];
                if (s.Status == "ACTIVE" && s.TaskState == null)
                {
                    r.Succeeded = true;
                    pending.Remove(id);
                }
                else if (s.Status == "ERROR")
                {
                    r.Message = (r.Message == null ? "" : r.Message + "; ") + "went to ERROR";
                    pending.Remove(id);
                }
            }
        }

        private async Task<string[]> LogLinesForAsync(string serverId, CancellationToken ct)
        {
            if (_node == null) return new string[0];
            try
            {
                var grep = NodeCommand.Root("grep", "-F", "--", serverId, NodeHealthProbe.LogFile)
                    .Pipe(new NodeCommand(false, "tail", "-n", LogLines.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return (await _node.RunAsync(grep, ct).ConfigureAwait(false)).Lines;
            }
            catch (NodeCommandException e)
            {
                return new[] { "(could not read the node's log: " + e.Message + ")" };
            }
        }
    }
}
