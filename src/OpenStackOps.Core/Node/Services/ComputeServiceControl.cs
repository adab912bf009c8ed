using OpenStackOps.Http;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Services
{
    /// <summary>
    /// Stops and starts nova-compute on a node (the guide's `stop nova-compute` / `start nova-compute`), with systemd
    /// or SysV/upstart `service`. "Pinning" keeps configuration management (Puppet, Ansible...) from starting it
    /// again while the node is worked on: on systemd `systemctl mask --runtime` (gone at the next boot), otherwise the
    /// guide's move of the init files. What was done is recorded on the node in <see cref="MarkerPath"/>, and a start
    /// undoes exactly that and nothing else.
    /// </summary>
    public sealed class ComputeServiceControl
    {
        public const string Unit = "nova-compute";
        public const string MarkerPath = "/var/lib/openstackops/pinned-nova-compute";
        public const string PinDirectory = "/var/lib/openstackops/pinned";
        public const string MaskMethod = "systemctl mask --runtime";
        internal static readonly string[] InitFiles = { "/etc/init/nova-compute.conf", "/etc/init.d/nova-compute" };

        private readonly INodeShell _shell;
        private readonly IApiLog? _log;

        public ComputeServiceControl(INodeShell shell, IApiLog? log = null)
        {
            _shell = shell;
            _log = log;
        }

        public async Task<InitSystem> DetectAsync(InitSystem requested, CancellationToken ct)
        {
            if (requested != InitSystem.Auto) return requested;
            var hasSystemctl = await _shell.ExitCodeAsync(NodeCommand.Script(false, "command -v systemctl >/dev/null 2>&1"), ct).ConfigureAwait(false);
            if (hasSystemctl == 0)
            {
                var load = await _shell.RunAsync(NodeCommand.User("systemctl", "show", "-p", "LoadState", "--value", Unit), ct).ConfigureAwait(false);
                string state = load.StandardOutput.Trim();
                if (load.ExitCode == 0 && (state == "loaded" || state == "masked")) return InitSystem.Systemd;
            }
            var hasService = await _shell.ExitCodeAsync(NodeCommand.Script(false, "command -v service >/dev/null 2>&1 || test -x /usr/sbin/service"), ct).ConfigureAwait(false);
            if (hasService == 0) return InitSystem.SysV;
            throw new NodeCommandException(NodeErrorKind.Unsupported, _shell.NodeName,
                $"{_shell.NodeName} has neither a systemd unit {Unit} nor the `service` command: cannot control nova-compute there.");
        }

        /// <summary>The state now, without changing anything.</summary>
        public async Task<NodeServiceState> GetStateAsync(InitSystem init, CancellationToken ct)
        {
            init = await DetectAsync(init, ct).ConfigureAwait(false);
            var state = new NodeServiceState { Node = _shell.NodeName, Service = Unit, Init = init };
            if (init == InitSystem.Systemd)
            {
                var active = await _shell.RunAsync(NodeCommand.User("systemctl", "is-active", Unit), ct).ConfigureAwait(false);
                state.State = active.StandardOutput.Trim();
                state.Active = active.ExitCode == 0 && state.State == "active";
                var pid = await _shell.RunAsync(NodeCommand.User("systemctl", "show", "-p", "MainPID", "--value", Unit), ct).ConfigureAwait(false);
                if (int.TryParse(pid.StandardOutput.Trim(), out int p) && p > 0 && state.Active) state.MainPid = p;
            }
            else
            {
                var status = await _shell.RunAsync(NodeCommand.Root("service", Unit, "status"), ct).ConfigureAwait(false);
                string text = status.StandardOutput;
                state.Active = status.ExitCode == 0 && (text.Contains("start/running") || text.Contains("is running"));
                state.State = state.Active ? "running" : (status.ExitCode == 1 && status.StandardError.Contains("unrecognized") ? "unrecognized" : "stopped");
                var m = System.Text.RegularExpressions.Regex.Match(text, @"process (\d+)");
                if (m.Success) state.MainPid = int.Parse(m.Groups[1].Value);
            }
            var marker = await ReadMarkerAsync(ct).ConfigureAwait(false);
            state.Pinned = marker != null;
            state.PinMethod = marker == null ? null : Describe(marker);
            return state;
        }

        /// <summary>Stops nova-compute; with <paramref name="pin"/> also keeps it from being started by anyone else.</summary>
        public async Task<NodeServiceState> StopAsync(InitSystem init, bool pin, CancellationToken ct)
        {
            init = await DetectAsync(init, ct).ConfigureAwait(false);
            var steps = new List<string>();
            var before = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (init == InitSystem.Systemd)
            {
                if (pin && !before.Pinned)
                {
                    var enabled = await _shell.RunAsync(NodeCommand.User("systemctl", "is-enabled", Unit), ct).ConfigureAwait(false);
                    string e = enabled.StandardOutput.Trim();
                    if (e == "masked" || e == "masked-runtime")
                        throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                            $"{Unit} on {_shell.NodeName} is already {e} by someone else; OpenStackOps will not take over a mask it did not set.")
                        { RecommendedAction = "Stop it without -Pin, or find out who masked it (systemctl status nova-compute)." };
                    await Step(NodeCommand.Root("systemctl", "mask", "--runtime", Unit), "Masking nova-compute (runtime)", steps, ct).ConfigureAwait(false);
                    await WriteMarkerAsync(new[] { "method=mask-runtime" }, steps, ct).ConfigureAwait(false);
                }
                if (before.Active || before.State == "failed")
                    await Step(NodeCommand.Root("systemctl", "stop", Unit), "Stopping nova-compute", steps, ct).ConfigureAwait(false);
            }
            else
            {
                if (before.Active)
                    await Step(NodeCommand.Root("service", Unit, "stop"), "Stopping nova-compute", steps, ct).ConfigureAwait(false);
                if (pin && !before.Pinned)
                {
                    var moved = new List<string> { "method=moved" };
                    foreach (var file in InitFiles)
                    {
                        if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", file), ct).ConfigureAwait(false) != 0) continue;
                        string target = PinDirectory + file;
                        await Step(NodeCommand.Root("mkdir", "-p", ParentOf(target)), "Creating " + ParentOf(target), steps, ct).ConfigureAwait(false);
                        await Step(NodeCommand.Root("mv", "-n", "--", file, target), "Moving " + file + " away", steps, ct).ConfigureAwait(false);
                        moved.Add("moved=" + file);
                    }
                    await WriteMarkerAsync(moved, steps, ct).ConfigureAwait(false);
                }
            }
            var after = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (after.Active)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} is still {after.State} after stopping it (PID {after.MainPid}).");
            after.Action = before.Active ? "Stopped" : "AlreadyStopped";
            after.Steps = steps.ToArray();
            return after;
        }

        /// <summary>Undoes exactly the pin OpenStackOps recorded, then starts nova-compute.</summary>
        public async Task<NodeServiceState> StartAsync(InitSystem init, CancellationToken ct)
        {
            init = await DetectAsync(init, ct).ConfigureAwait(false);
            var steps = new List<string>();
            var marker = await ReadMarkerAsync(ct).ConfigureAwait(false);
            if (marker != null)
            {
                string? method = Value(marker, "method");
                if (method == "mask-runtime")
                {
                    var enabled = await _shell.RunAsync(NodeCommand.User("systemctl", "is-enabled", Unit), ct).ConfigureAwait(false);
                    if (enabled.StandardOutput.Trim() == "masked-runtime")
                        await Step(NodeCommand.Root("systemctl", "unmask", "--runtime", Unit), "Unmasking nova-compute (runtime)", steps, ct).ConfigureAwait(false);
                    else
                        _log?.Verbose($"{_shell.NodeName}: the runtime mask is gone already (reboot?); nothing to undo.");
                }
                else if (method == "moved")
                {
                    foreach (var file in marker.Where(l => l.StartsWith("moved=")).Select(l => l.Substring(6)))
                    {
                        if (Array.IndexOf(InitFiles, file) < 0) continue; // only what this code moves, whatever the file says
                        string from = PinDirectory + file;
                        if (await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", file), ct).ConfigureAwait(false) == 0)
                        {
                            _log?.Verbose($"{_shell.NodeName}: {file} is back already; leaving {from} alone.");
                            continue;
                        }
                        await Step(NodeCommand.Root("mv", "-n", "--", from, file), "Moving " + file + " back", steps, ct).ConfigureAwait(false);
                    }
                }
                await Step(NodeCommand.Root("rm", "-f", "--", MarkerPath), "Removing the pin record", steps, ct).ConfigureAwait(false);
            }
            else if (init == InitSystem.Systemd)
            {
                var enabled = await _shell.RunAsync(NodeCommand.User("systemctl", "is-enabled", Unit), ct).ConfigureAwait(false);
                string e = enabled.StandardOutput.Trim();
                if (e == "masked" || e == "masked-runtime")
                    throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                        $"{Unit} on {_shell.NodeName} is {e}, and not by OpenStackOps (no record in {MarkerPath}): not unmasking someone else's mask.")
                    { RecommendedAction = "Find out why it was masked; unmask it yourself (systemctl unmask" + (e == "masked-runtime" ? " --runtime" : "") + " nova-compute) if it may run." };
            }

            var before = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (!before.Active)
            {
                var cmd = init == InitSystem.Systemd ? NodeCommand.Root("systemctl", "start", Unit) : NodeCommand.Root("service", Unit, "start");
                await Step(cmd, "Starting nova-compute", steps, ct).ConfigureAwait(false);
            }
            var after = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (!after.Active)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} is {after.State} after starting it.")
                { RecommendedAction = "Read /var/log/nova/nova-compute.log on the node (Test-ComputeNodeHealth shows its last lines)." };
            after.Action = before.Active ? "AlreadyRunning" : "Started";
            after.Steps = steps.ToArray();
            return after;
        }

        /// <summary>
        /// Restarts a running nova-compute (systemctl restart / service nova-compute restart): the guide's remedy for a
        /// nova-compute that did not reconnect to RabbitMQ. A service OpenStackOps pinned down for maintenance, or one
        /// that is not running, is refused: that is Start-NodeComputeService's business.
        /// </summary>
        public async Task<NodeServiceState> RestartAsync(InitSystem init, CancellationToken ct)
        {
            init = await DetectAsync(init, ct).ConfigureAwait(false);
            var before = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (before.Pinned)
                throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} is pinned down for maintenance ({before.PinMethod}): not restarting it.")
                { RecommendedAction = "Start-NodeComputeService undoes the pin and starts it when the maintenance is over." };
            if (!before.Active)
                throw new NodeCommandException(NodeErrorKind.InvalidArgument, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} is {before.State}, not running: there is nothing to restart.")
                { RecommendedAction = "Start-NodeComputeService starts it (Test-ComputeNodeHealth says why it stopped)." };
            var steps = new List<string>();
            var cmd = init == InitSystem.Systemd ? NodeCommand.Root("systemctl", "restart", Unit) : NodeCommand.Root("service", Unit, "restart");
            await Step(cmd, "Restarting nova-compute", steps, ct).ConfigureAwait(false);
            var after = await GetStateAsync(init, ct).ConfigureAwait(false);
            if (!after.Active)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} is {after.State} after restarting it.")
                { RecommendedAction = "Read /var/log/nova/nova-compute.log on the node (Test-ComputeNodeHealth shows its last lines)." };
            if (after.MainPid != null && after.MainPid == before.MainPid)
                throw new NodeCommandException(NodeErrorKind.CommandFailed, _shell.NodeName,
                    $"nova-compute on {_shell.NodeName} still runs as PID {after.MainPid} after the restart: it was not restarted.");
            after.Action = "Restarted";
            after.Steps = steps.ToArray();
            return after;
        }

        private async Task Step(NodeCommand command, string step, List<string> steps, CancellationToken ct)
        {
            _log?.Verbose($"{_shell.NodeName}: {step}: {command}");
            await _shell.RunCheckedAsync(command, step, ct).ConfigureAwait(false);
            steps.Add(command.ToString());
        }

        private async Task WriteMarkerAsync(IEnumerable<string> lines, List<string> steps, CancellationToken ct)
        {
            var args = new List<string> { MarkerPath };
            args.AddRange(lines);
            await Step(NodeCommand.Script(true, "f=$1; shift; mkdir -p \"${f%/*}\" && printf '%s\\n' \"$@\" > \"$f\"", args.ToArray()),
                "Recording the pin in " + MarkerPath, steps, ct).ConfigureAwait(false);
        }

        private async Task<string[]?> ReadMarkerAsync(CancellationToken ct)
        {
            var r = await _shell.RunAsync(NodeCommand.Root("cat", "--", MarkerPath), ct).ConfigureAwait(false);
            if (r.ExitCode != 0) return null;
            return r.Lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }

        private static string? Value(string[] lines, string key)
            => lines.Where(l => l.StartsWith(key + "=")).Select(l => l.Substring(key.Length + 1)).FirstOrDefault();

        private static string Describe(string[] marker)
        {
            string? method = Value(marker, "method");
            if (method == "mask-runtime") return MaskMethod;
            var moved = marker.Where(l => l.StartsWith("moved=")).Select(l => l.Substring(6)).ToList();
            return moved.Count == 0 ? "init files moved (none were present)" : "init files moved to " + PinDirectory + ": " + string.Join(", ", moved);
        }

        private static string ParentOf(string path) => path.Substring(0, path.LastIndexOf('/'));
    }
}
