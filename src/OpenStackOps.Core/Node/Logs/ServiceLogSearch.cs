using System.Globalization;
using System.Text.RegularExpressions;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Logs
{
    /// <summary>
    /// Reads OpenStack service logs on a node over SSH, bounded: the lines that carry given ids (grep -F), or the lines
    /// of a time window. The files are globs expanded on the node (as root: Debian's log directories are 0750 root:adm);
    /// patterns, globs and times are positional parameters of a fixed script, never spliced into a shell line.
    /// </summary>
    public sealed class ServiceLogSearch
    {
        /// <summary>Where a Debian/Ubuntu controller's services log (each file's name is its service).</summary>
        public static readonly string[] ControllerLogs =
        {
            "/var/log/nova/*.log", "/var/log/neutron/*.log", "/var/log/cinder/*.log", "/var/log/glance/*.log", "/var/log/placement/*.log",
            "/var/log/keystone/*.log",
        };

        /// <summary>A compute node's: nova-compute, and a neutron agent if it has one.</summary>
        public static readonly string[] ComputeLogs = { "/var/log/nova/nova-compute.log", "/var/log/neutron/*.log" };

        // $1 max lines per file, $2 patterns (one per line, fixed strings), then the globs. Each file: "@file PATH" and
        // at most $1+1 matching lines (one more than allowed says it was cut). Symlinks and bind mounts of the same file
        // (neutron-api.log / neutron-server.log) are read once, by device and inode.
        private const string GrepScript =
            "max=$1; pats=$2; shift 2; seen=' '; for g in \"$@\"; do for f in $g; do [ -f \"$f\" ] || continue; " +
            "id=$(stat -L -c %d:%i \"$f\" 2>/dev/null); case \"$seen\" in *\" $id \"*) continue;; esac; seen=\"$seen$id \"; " +
            "echo \"@file $f\"; grep -F -e \"$pats\" -- \"$f\" | head -n $((max + 1)); done; done; true";

        // $1 max lines per file, $2 from, $3 to ("YYYY-MM-DD HH:MM:SS", compared as text with the line's first 19
        // characters), $4 a fixed string the lines must contain (empty: all), then the globs. The last $1+1 lines.
        private const string WindowScript =
            "max=$1; from=$2; to=$3; has=$4; shift 4; seen=' '; for g in \"$@\"; do for f in $g; do [ -f \"$f\" ] || continue; " +
            "id=$(stat -L -c %d:%i \"$f\" 2>/dev/null); case \"$seen\" in *\" $id \"*) continue;; esac; seen=\"$seen$id \"; " +
            "echo \"@file $f\"; awk -v from=\"$from\" -v to=\"$to\" -v has=\"$has\" " +
            "'{ t = substr($0, 1, 19) } t >= from && t <= to && (has == \"\" || index($0, has) > 0)' \"$f\" | tail -n $((max + 1)); done; done; true";

        private static readonly Regex Oslo = new Regex(
            @"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?<pid>\d+) (?<level>[A-Z]+) (?<logger>\S+) (?:\[(?<ctx>[^\]]*)\] )?(?<msg>.*)$");
        // uwsgi's request log, which nova-api, keystone and placement write into the same file under uwsgi (Debian's
        // packages): "[pid: 8623|app: 0|req: 5/9] 127.0.0.1 () {34 vars in 810 bytes} [Mon Dec  7 03:09:33 2026] GET /v2.1/..."
        // It carries no request id of its own, but its URL can name one (a GET of an instance action).
        private static readonly Regex Uwsgi = new Regex(
            @"^\[pid: (?<pid>\d+)\|[^\]]*\] .*? \[(?<time>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})\] (?<msg>.*)$");
        private static readonly Regex ReqId = new Regex(@"^req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
        private static readonly Regex Instance = new Regex(@"\[instance: (?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\]");

        private readonly INodeShell _shell;

        public ServiceLogSearch(INodeShell shell) => _shell = shell ?? throw new ArgumentNullException(nameof(shell));

        /// <summary>How many lines any one file may give (the first ones for ids, the last ones for a window).</summary>
        public int MaxLinesPerFile { get; set; } = 500;

        /// <summary>Files that had more lines than <see cref="MaxLinesPerFile"/>, as "host:path".</summary>
        public List<string> Truncated { get; } = new List<string>();

        /// <summary>The lines that contain any of <paramref name="patterns"/> (fixed strings).</summary>
        public async Task<IReadOnlyList<ServiceLogLine>> GrepAsync(IEnumerable<string> files, IReadOnlyCollection<string> patterns, CancellationToken ct)
        {
            if (patterns.Count == 0) return Array.Empty<ServiceLogLine>();
            if (patterns.Any(p => string.IsNullOrWhiteSpace(p) || p.Contains('\n'))) throw new ArgumentException("A pattern is empty or spans lines.", nameof(patterns));
            var args = new List<string> { MaxLinesPerFile.ToString(CultureInfo.InvariantCulture), string.Join("\n", patterns) };
            args.AddRange(files);
            var result = await _shell.RunAsync(NodeCommand.Script(true, GrepScript, args.ToArray()), ct).ConfigureAwait(false);
            return Read(result.StandardOutput, true);
        }

        /// <summary>The lines logged from <paramref name="from"/> to <paramref name="to"/> (node time), optionally only those containing <paramref name="contains"/>.</summary>
        public async Task<IReadOnlyList<ServiceLogLine>> WindowAsync(IEnumerable<string> files, DateTime from, DateTime to, string? contains, CancellationToken ct)
        {
            if (contains != null && contains.Contains('\n')) throw new ArgumentException("The text spans lines.", nameof(contains));
            var args = new List<string>
            {
                MaxLinesPerFile.ToString(CultureInfo.InvariantCulture),
                from.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                contains ?? "",
            };
            args.AddRange(files);
            var result = await _shell.RunAsync(NodeCommand.Script(true, WindowScript, args.ToArray()), ct).ConfigureAwait(false);
            var lines = Read(result.StandardOutput, false);
            foreach (var l in lines) l.MatchedBy = "Window";
            return lines;
        }

        private IReadOnlyList<ServiceLogLine> Read(string output, bool keepFirst)
        {
            var found = new List<ServiceLogLine>();
            string? file = null;
            var inFile = new List<ServiceLogLine>();
            void Close()
            {
                if (file == null) return;
                if (inFile.Count > MaxLinesPerFile)
                {
                    Truncated.Add(_shell.NodeName + ":" + file);
                    if (keepFirst) inFile.RemoveAt(inFile.Count - 1); else inFile.RemoveAt(0);
                }
                found.AddRange(inFile);
                inFile.Clear();
            }
            foreach (var raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith("@file ", StringComparison.Ordinal)) { Close(); file = line.Substring(6); continue; }
                if (file == null || line.Length == 0) continue;
                inFile.Add(Parse(_shell.NodeName, file, line));
            }
            Close();
            return found;
        }

        /// <summary>One oslo.log line; a line in another format keeps only its text.</summary>
        internal static ServiceLogLine Parse(string host, string file, string line)
        {
            string name = file.Substring(file.LastIndexOf('/') + 1);
            if (name.EndsWith(".log", StringComparison.Ordinal)) name = name.Substring(0, name.Length - 4);
            var entry = new ServiceLogLine { Host = host, File = file, Service = name, Line = line, Message = line };
            var m = Oslo.Match(line);
            if (!m.Success)
            {
                var u = Uwsgi.Match(line);
                if (u.Success)
                {
                    // asctime pads the day with a space ("Dec  7"): one space, then the day without padding.
                    string time = Regex.Replace(u.Groups["time"].Value, " +", " ");
                    if (DateTime.TryParseExact(time, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var ut))
                        entry.Time = ut;
                    entry.ProcessId = int.Parse(u.Groups["pid"].Value, CultureInfo.InvariantCulture);
                    entry.Logger = "uwsgi";
                    entry.Message = u.Groups["msg"].Value;
                }
                return entry;
            }
            if (DateTime.TryParseExact(m.Groups["time"].Value, new[] { "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd HH:mm:ss" }, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                entry.Time = t;
            entry.ProcessId = int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture);
            entry.Level = m.Groups["level"].Value;
            entry.Logger = m.Groups["logger"].Value;
            entry.Message = m.Groups["msg"].Value;
            // oslo.context's prefix: "[global_request_id request_id user project domain ...]"; "None" when there is no global id.
            var words = m.Groups["ctx"].Success ? m.Groups["ctx"].Value.Split(' ') : new string[0];
            if (words.Length >= 2 && ReqId.IsMatch(words[1]))
            {
                entry.RequestId = words[1];
                if (ReqId.IsMatch(words[0])) entry.GlobalRequestId = words[0];
            }
            else if (words.Length >= 1 && ReqId.IsMatch(words[0]))
            {
                entry.RequestId = words[0];
            }
            var i = Instance.Match(entry.Message);
            if (i.Success) entry.InstanceId = i.Groups["id"].Value.ToLowerInvariant();
            return entry;
        }

        internal static bool IsRequestId(string? s) => s != null && ReqId.IsMatch(s);
    }
}
