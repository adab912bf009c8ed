using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Checks
{
    /// <summary>
    /// The guide's first check after a cloud controller reboots ("ensure that all required services were successfully
    /// started"), done on the controller over SSH: each control-plane unit as systemd reports it (LoadState, ActiveState,
    /// SubState, MainPID) and its main process in the process list. Read-only; one SSH command for all units.
    /// </summary>
    public sealed class ControllerUnitCheck
    {
        /// <summary>
        /// The unit names of a controller's services: Debian 12 / Ubuntu's, then RDO's (RHEL, CentOS Stream, Rocky:
        /// openstack-nova-api...; keystone and placement under httpd). A unit that systemd does not know on the
        /// controller (not installed there: neutron-api vs neutron-server, the other distribution's names, swift,
        /// memcached...) is left out unless named.
        /// </summary>
        public static readonly string[] DefaultUnits =
        {
            "mariadb", "mysql", "rabbitmq-server", "memcached", "keystone", "apache2", "glance-api", "placement-api",
            "nova-api", "nova-conductor", "nova-scheduler", "nova-novncproxy", "neutron-api", "neutron-server",
            "neutron-rpc-server", "cinder-api", "cinder-scheduler", "cinder-volume", "swift-proxy",
            "httpd", "openstack-glance-api", "openstack-nova-api", "openstack-nova-conductor", "openstack-nova-scheduler",
            "openstack-nova-novncproxy", "openstack-cinder-api", "openstack-cinder-scheduler", "openstack-cinder-volume",
            "openstack-swift-proxy",
        };

        /// <summary>
        /// Another distribution's unit for the same service, and the component it is reported as (Debian's name), so that
        /// a monitoring script that looks for nova-api finds it on an RDO controller too. A unit named with -Unit is also
        /// looked for under its other names.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["openstack-nova-api"] = "nova-api", ["openstack-nova-conductor"] = "nova-conductor", ["openstack-nova-scheduler"] = "nova-scheduler",
            ["openstack-nova-novncproxy"] = "nova-novncproxy", ["openstack-glance-api"] = "glance-api", ["openstack-cinder-api"] = "cinder-api",
            ["openstack-cinder-scheduler"] = "cinder-scheduler", ["openstack-cinder-volume"] = "cinder-volume",
            ["openstack-swift-proxy"] = "swift-proxy", ["httpd"] = "apache2",
        };

        /// <summary>The component a unit is reported as: Debian's name for it.</summary>
        [return: NotNullIfNotNull("unit")]
        public static string? ComponentOf(string? unit) => unit != null && Aliases.TryGetValue(unit, out var c) ? c : unit;

        /// <summary>A unit and its other distributions' names, the asked one first.</summary>
        internal static IEnumerable<string> WithAliases(string unit)
        {
            string component = ComponentOf(unit);
            return new[] { unit, component }.Concat(Aliases.Where(a => a.Value == component).Select(a => a.Key)).Distinct(StringComparer.Ordinal);
        }

        private static readonly Regex UnitName = new Regex(@"^[A-Za-z0-9@._:-]+$");

        // One block per unit: "@unit NAME" and systemctl show's Key=Value lines (one unit per call: older systemctl
        // shows only the first of several).
        private const string ShowScript =
            "for u in \"$@\"; do echo \"@unit $u\"; systemctl show -p Id,LoadState,ActiveState,SubState,MainPID \"$u\" 2>&1; done; true";

        private readonly INodeShell _shell;

        public ControllerUnitCheck(INodeShell shell) => _shell = shell ?? throw new ArgumentNullException(nameof(shell));

        /// <param name="units">The units to check; null or empty: <see cref="DefaultUnits"/> (the ones the controller has).</param>
        /// <param name="ct">Cancels the check.</param>
        public async Task<IReadOnlyList<ComponentHealth>> RunAsync(IReadOnlyList<string>? units, CancellationToken ct)
        {
            bool named = units != null && units.Count > 0;
            var list = (named ? units! : DefaultUnits).Select(u => u.EndsWith(".service", StringComparison.Ordinal) ? u.Substring(0, u.Length - 8) : u).Distinct().ToList();
            foreach (var u in list)
                if (!UnitName.IsMatch(u))
                    throw new ArgumentException($"'{u}' is not a systemd unit name.", nameof(units));
            if (named) list = list.SelectMany(WithAliases).Distinct(StringComparer.Ordinal).ToList();
            var shown = await _shell.RunAsync(NodeCommand.Script(false, ShowScript, list.ToArray()), ct).ConfigureAwait(false);
            var pids = Regex.Matches(shown.StandardOutput, @"^MainPID=([1-9]\d*)\s*$", RegexOptions.Multiline).Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();
            string ps = "";
            if (pids.Count > 0)
            {
                // The processes systemd names, as the process list has them (a dead PID is simply absent: exit 1).
                var listed = await _shell.RunAsync(NodeCommand.User("ps", "-o", "pid=,etimes=,args=", "-p", string.Join(",", pids)), ct).ConfigureAwait(false);
                ps = listed.StandardOutput;
            }
            return Parse(_shell.NodeName, shown.StandardOutput + "\n@ps\n" + ps, named);
        }

        /// <summary>Reads the script's output; internal for the unit tests.</summary>
        internal static IReadOnlyList<ComponentHealth> Parse(string node, string output, bool keepUnknown)
        {
            var units = new List<(string Name, Dictionary<string, string> Props, string Raw)>();
            var processes = new Dictionary<int, (long Seconds, string Args)>();
            bool inPs = false;
            foreach (var raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith("@unit ", StringComparison.Ordinal)) { units.Add((line.Substring(6).Trim(), new Dictionary<string, string>(), "")); inPs = false; continue; }
                if (line == "@ps") { inPs = true; continue; }
                if (inPs)
                {
                    var m = Regex.Match(line, @"^\s*(\d+)\s+(\d+)\s+(.*)$");
                    if (m.Success) processes[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value.Trim());
                    continue;
                }
                if (units.Count == 0 || line.Length == 0) continue;
                var current = units[units.Count - 1];
                int eq = line.IndexOf('=');
                if (eq > 0 && Regex.IsMatch(line.Substring(0, eq), "^[A-Za-z]+$")) current.Props[line.Substring(0, eq)] = line.Substring(eq + 1);
                else units[units.Count - 1] = (current.Name, current.Props, (current.Raw + " " + line).Trim());
            }

            var found = new List<ComponentHealth>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // Another distribution's name for a component (openstack-nova-api for nova-api): the component is reported
            // once, from the unit the controller has, or as missing once if it has none of them.
            bool Has(Dictionary<string, string> props) => props.TryGetValue("LoadState", out var l) && l != "not-found";
            var present = new HashSet<string>(units.Where(u => Has(u.Props)).Select(u => ComponentOf(u.Name)), StringComparer.Ordinal);
            var missingReported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (asked, props, raw) in units)
            {
                // systemd names an alias by its unit (mysql -> mariadb.service, neutron-server -> neutron-api.service): one component each.
                string unitName = props.TryGetValue("Id", out string id) && id.EndsWith(".service", StringComparison.Ordinal) ? id.Substring(0, id.Length - 8) : asked;
                string name = ComponentOf(unitName);
                if (Has(props) && !seen.Add(name)) continue;
                if (props.TryGetValue("LoadState", out var l0) && l0 == "not-found")
                {
                    if (present.Contains(ComponentOf(asked)) || !missingReported.Add(ComponentOf(asked))) continue;
                    name = ComponentOf(asked);
                }
                props.TryGetValue("LoadState", out string load);
                props.TryGetValue("ActiveState", out string active);
                props.TryGetValue("SubState", out string sub);
                int pid = props.TryGetValue("MainPID", out string p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
                var health = new ComponentHealth { Kind = "Process", Component = name, Host = node };
                if (load == null)
                {
                    health.State = ComponentStates.Unknown;
                    health.Evidence = $"systemctl show {name} said nothing usable{(raw.Length > 0 ? ": " + raw : "")}";
                }
                else if (load == "not-found")
                {
                    if (!keepUnknown) continue; // not installed on this controller
                    health.State = ComponentStates.Unknown;
                    var names = units.Where(u => ComponentOf(u.Name) == name).Select(u => u.Name + ".service").Distinct().ToList();
                    health.Evidence = $"systemd on {node} has no unit {string.Join(" nor ", names)}";
                }
                else if (active == "active" || active == "reloading")
                {
                    if (pid == 0)
                    {
                        health.State = ComponentStates.Up;
                        health.Evidence = $"systemctl: {active} ({sub}), no main PID (a oneshot or forking unit)";
                    }
                    else if (processes.TryGetValue(pid, out var proc))
                    {
                        health.State = ComponentStates.Up;
                        health.ProcessId = pid;
                        health.LastSeen = null;
                        health.Evidence = $"systemctl: {active} ({sub}), main PID {pid} up {Uptime(proc.Seconds)}: {Shorten(proc.Args)}";
                    }
                    else
                    {
                        health.State = ComponentStates.Down;
                        health.ProcessId = pid;
                        health.Evidence = $"systemctl says {active} ({sub}) with main PID {pid}, but no process {pid} is in the process list";
                    }
                }
                else
                {
                    health.State = ComponentStates.Down;
                    health.Evidence = $"systemctl: {active ?? "unknown"} ({sub ?? "?"}){(load == "masked" ? ", masked" : "")}";
                }
                if (unitName != name && load != null && load != "not-found") health.Evidence = $"{unitName}.service: {health.Evidence}";
                found.Add(health);
            }
            return found;
        }

        private static string Uptime(long seconds)
        {
            var t = TimeSpan.FromSeconds(seconds);
            return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h" : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}min" : t.TotalMinutes >= 1 ? $"{t.Minutes}min {t.Seconds}s" : $"{t.Seconds}s";
        }

        private static string Shorten(string args) => args.Length <= 120 ? args : args.Substring(0, 117) + "...";
    }
}
