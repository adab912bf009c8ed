using System.Text;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>
    /// An OpenSSH client configuration (~/.ssh/config, ssh_config(5)), read the way ssh reads it for one host:
    /// keywords are case-insensitive, <c>Key Value</c> and <c>Key=Value</c> both work, values may be quoted, the
    /// first value obtained for a keyword wins (so specific Host blocks go first and <c>Host *</c> last), except
    /// IdentityFile, whose values add up. Host patterns use * and ?, are matched case-insensitively against the
    /// name as given (before HostName), and a <c>!pattern</c> that matches excludes the block. Include (with * in
    /// file names, relative paths under ~/.ssh) is read in place. Match blocks are not evaluated: their settings are
    /// skipped (except <c>Match all</c>) and <see cref="SshHostSettings.Notes"/> says so.
    /// </summary>
    public sealed class SshConfigFile
    {
        private const int MaxIncludeDepth = 16;
        private readonly List<Line> _lines;
        private readonly string? _home;

        private SshConfigFile(string? path, List<Line> lines, string? home)
        {
            Path = path;
            _lines = lines;
            _home = home;
        }

        /// <summary>The file read (null for text parsed in memory).</summary>
        public string? Path { get; }

        /// <summary>~/.ssh/config of <paramref name="homeDirectory"/>.</summary>
        public static string DefaultPath(string? homeDirectory) => System.IO.Path.Combine(homeDirectory ?? "", ".ssh", "config");

        /// <summary>Reads <paramref name="path"/>; a missing file is an empty configuration.</summary>
        public static SshConfigFile Load(string path, string? homeDirectory)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            Func<string, string?> read = p => File.Exists(p) ? File.ReadAllText(p) : null;
            return new SshConfigFile(path, ParseLines(read(path) ?? "", path, homeDirectory, read, ExpandOnDisk, 0), homeDirectory);
        }

        /// <summary>
        /// Parses configuration text. <paramref name="readFile"/> gives the text of an Include'd file (null when
        /// absent); <paramref name="expandInclude"/> turns an absolute Include pattern into file paths (default: itself).
        /// </summary>
        public static SshConfigFile Parse(string? text, string? homeDirectory = null, Func<string, string?>? readFile = null,
            Func<string, IEnumerable<string>>? expandInclude = null)
            => new SshConfigFile(null, ParseLines(text ?? "", null, homeDirectory, readFile ?? (_ => null), expandInclude ?? (p => new[] { p }), 0), homeDirectory);

        /// <summary>The settings ssh would use for <paramref name="host"/> (the name as typed: c01, c01.example.com).</summary>
        public SshHostSettings Resolve(string host, string? localUser = null)
        {
            if (string.IsNullOrEmpty(host)) throw new ArgumentException("A host name is needed.", nameof(host));
            var s = new SshHostSettings { Host = host, ConfigPath = Path };
            bool active = true;
            string? matchedBlock = null;
            Walk(_lines, host, s, ref active, ref matchedBlock);

            // Tokens and ~ are expanded once every value is known (%r needs the final user).
            string hostName = s.HostName == null ? host : Expand(s.HostName, host, host, s.User, localUser);
            s.HostName = hostName;
            for (int i = 0; i < s.IdentityFiles.Count; i++)
                s.IdentityFiles[i] = ExpandPath(s.IdentityFiles[i], host, hostName, s.User, localUser);
            for (int i = 0; i < s.UserKnownHostsFiles.Count; i++)
                s.UserKnownHostsFiles[i] = ExpandPath(s.UserKnownHostsFiles[i], host, hostName, s.User, localUser);
            return s;
        }

        private void Walk(List<Line> lines, string host, SshHostSettings s, ref bool active, ref string? block)
        {
            foreach (var line in lines)
            {
                switch (line.Keyword)
                {
                    case "host":
                        active = HostMatches(line.Args, host);
                        block = "Host " + string.Join(" ", line.Args);
                        if (active) s.MatchedBlocks.Add(block + (line.Where == null ? "" : " (" + line.Where + ")"));
                        continue;
                    case "match":
                        bool all = line.Args.Count == 1 && string.Equals(line.Args[0], "all", StringComparison.OrdinalIgnoreCase);
                        active = all;
                        block = "Match " + string.Join(" ", line.Args);
                        if (!all) s.Notes.Add($"'{block}'{(line.Where == null ? "" : " (" + line.Where + ")")} is not evaluated: its settings were not applied.");
                        continue;
                    case "include":
                        // An Include in a block applies only when the block does; the included file's own Host
                        // lines end at its end, as in ssh (the state is restored afterwards).
                        if (!active) continue;
                        bool saved = active;
                        string? savedBlock = block;
                        Walk(line.Included!, host, s, ref active, ref block); // set for every include line
                        active = saved;
                        block = savedBlock;
                        continue;
                }
                if (!active || line.Args.Count == 0) continue;
                Apply(line, s);
            }
        }

        private static void Apply(Line line, SshHostSettings s)
        {
            string first = line.Args[0];
            switch (line.Keyword)
            {
                case "hostname": if (s.HostName == null) s.HostName = first; break;
                case "user": if (s.User == null) s.User = first; break;
                case "port":
                    if (s.Port == null)
                    {
                        if (!int.TryParse(first, out int port) || port < 1 || port > 65535)
                            throw new FormatException($"Port '{first}' is not a port number ({line.Where ?? "ssh config"}).");
                        s.Port = port;
                    }
                    break;
                case "identityfile":
                    // Every IdentityFile of every matching block is tried, in order, as in ssh.
                    if (!string.Equals(first, "none", StringComparison.OrdinalIgnoreCase) && !s.IdentityFiles.Contains(first))
                        s.IdentityFiles.Add(first);
                    break;
                case "identitiesonly": if (s.IdentitiesOnly == null) s.IdentitiesOnly = IsYes(first); break;
                case "userknownhostsfile":
                    if (!s.UserKnownHostsFileSet)
                    {
                        s.UserKnownHostsFileSet = true;
                        if (!string.Equals(first, "none", StringComparison.OrdinalIgnoreCase))
                            foreach (var a in line.Args) s.UserKnownHostsFiles.Add(a);
                    }
                    break;
                case "proxyjump":
                    if (!s.ProxyJumpSet)
                    {
                        s.ProxyJumpSet = true;
                        s.ProxyJump = string.Equals(first, "none", StringComparison.OrdinalIgnoreCase) ? null : first;
                    }
                    break;
                case "proxycommand":
                    if (!s.ProxyCommandSet)
                    {
                        s.ProxyCommandSet = true;
                        string cmd = string.Join(" ", line.Args);
                        s.ProxyCommand = string.Equals(cmd, "none", StringComparison.OrdinalIgnoreCase) ? null : cmd;
                    }
                    break;
                case "stricthostkeychecking": if (s.StrictHostKeyChecking == null) s.StrictHostKeyChecking = first.ToLowerInvariant(); break;
            }
        }

        /// <summary>Host line semantics: some positive pattern matches and no negated one does.</summary>
        public static bool HostMatches(IEnumerable<string> patterns, string host)
        {
            bool matched = false;
            foreach (var p in patterns)
            {
                foreach (var one in p.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    bool negated = one.StartsWith("!", StringComparison.Ordinal);
                    string pattern = negated ? one.Substring(1) : one;
                    if (!Wildcard(pattern, host)) continue;
                    if (negated) return false;
                    matched = true;
                }
            }
            return matched;
        }

        /// <summary>* (any run) and ? (one character), case-insensitive.</summary>
        public static bool Wildcard(string pattern, string text)
        {
            int p = 0, t = 0, star = -1, mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))) { p++; t++; }
                else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
                else if (star >= 0) { p = star + 1; t = ++mark; }
                else return false;
            }
            while (p < pattern.Length && pattern[p] == '*') p++;
            return p == pattern.Length;
        }

        private static bool IsYes(string v) => string.Equals(v, "yes", StringComparison.OrdinalIgnoreCase) || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);

        private string ExpandPath(string path, string host, string hostName, string? user, string? localUser)
        {
            path = Expand(path, host, hostName, user, localUser);
            if (_home != null && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)))
                path = System.IO.Path.Combine(_home, path.Length > 2 ? path.Substring(2) : "");
            return path;
        }

        /// <summary>The tokens of ssh_config(5) that need no connection: %% %h %n %r %u %d.</summary>
        private string Expand(string value, string host, string hostName, string? user, string? localUser)
        {
            if (value.IndexOf('%') < 0) return value;
            var sb = new StringBuilder();
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] != '%' || i + 1 == value.Length) { sb.Append(value[i]); continue; }
                char c = value[++i];
                switch (c)
                {
                    case '%': sb.Append('%'); break;
                    case 'h': sb.Append(hostName); break;
                    case 'n': sb.Append(host); break;
                    case 'r': sb.Append(user ?? localUser ?? ""); break;
                    case 'u': sb.Append(localUser ?? ""); break;
                    case 'd': sb.Append(_home ?? "~"); break;
                    default: sb.Append('%').Append(c); break;
                }
            }
            return sb.ToString();
        }

        private sealed class Line
        {
            public string Keyword = null!;
            public List<string> Args = null!;
            public string? Where;
            public List<Line>? Included;
        }

        private static List<Line> ParseLines(string text, string? path, string? home, Func<string, string?> read,
            Func<string, IEnumerable<string>> expand, int depth)
        {
            var lines = new List<Line>();
            var raw = text.Replace("\r\n", "\n").Split('\n');
            for (int n = 0; n < raw.Length; n++)
            {
                var tokens = Tokenize(raw[n]);
                if (tokens.Count == 0) continue;
                string keyword = tokens[0];
                var args = tokens.Skip(1).ToList();
                // Key=Value: the first token may carry the = (and the value).
                int eq = keyword.IndexOf('=');
                if (eq >= 0)
                {
                    string rest = keyword.Substring(eq + 1);
                    keyword = keyword.Substring(0, eq);
                    if (rest.Length > 0) args.Insert(0, rest);
                }
                else if (args.Count > 0 && args[0].StartsWith("=", StringComparison.Ordinal))
                {
                    args[0] = args[0].Substring(1);
                    if (args[0].Length == 0) args.RemoveAt(0);
                }
                var line = new Line { Keyword = keyword.ToLowerInvariant(), Args = args, Where = path == null ? null : $"{path} line {n + 1}" };
                if (line.Keyword == "include")
                {
                    line.Included = new List<Line>();
                    if (depth >= MaxIncludeDepth) throw new FormatException($"Include nested deeper than {MaxIncludeDepth} ({line.Where ?? "ssh config"}).");
                    foreach (var arg in args)
                    {
                        string pattern = arg;
                        if (home != null && pattern.StartsWith("~/", StringComparison.Ordinal)) pattern = System.IO.Path.Combine(home, pattern.Substring(2));
                        else if (!System.IO.Path.IsPathRooted(pattern)) pattern = System.IO.Path.Combine(home ?? "", ".ssh", pattern);
                        foreach (var file in expand(pattern))
                        {
                            string? included = read(file);
                            if (included != null) line.Included.AddRange(ParseLines(included, file, home, read, expand, depth + 1));
                        }
                    }
                }
                lines.Add(line);
            }
            return lines;
        }

        /// <summary>Whitespace-separated words; "double quoted" words keep their spaces; # starts a comment.</summary>
        private static List<string> Tokenize(string line)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
                if (i >= line.Length || line[i] == '#') break;
                var sb = new StringBuilder();
                if (line[i] == '"')
                {
                    i++;
                    while (i < line.Length && line[i] != '"') sb.Append(line[i++]);
                    i++;
                }
                else
                {
                    while (i < line.Length && !char.IsWhiteSpace(line[i]))
                    {
                        // Key="quoted value"
                        if (line[i] == '"')
                        {
                            i++;
                            while (i < line.Length && line[i] != '"') sb.Append(line[i++]);
                            i++;
                            continue;
                        }
                        sb.Append(line[i++]);
                    }
                }
                tokens.Add(sb.ToString());
            }
            return tokens;
        }

        /// <summary>Files an Include pattern names on disk (* and ? in the file name), sorted as ssh's glob does.</summary>
        private static IEnumerable<string> ExpandOnDisk(string pattern)
        {
            string dir = System.IO.Path.GetDirectoryName(pattern);
            string name = System.IO.Path.GetFileName(pattern);
            if (name.IndexOfAny(new[] { '*', '?' }) < 0) return new[] { pattern };
            if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir)) return Array.Empty<string>();
            return Directory.GetFiles(dir).Where(f => Wildcard(name, System.IO.Path.GetFileName(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>What an ssh configuration says for one host; null/empty where it says nothing.</summary>
    public sealed class SshHostSettings
    {
        /// <summary>The name looked up (as typed).</summary>
        public string Host { get; set; } = null!;
        /// <summary>The configuration file, for messages.</summary>
        public string? ConfigPath { get; set; }
        /// <summary>HostName with %h expanded; the looked-up name when the configuration has none.</summary>
        public string HostName { get; set; } = null!;
        public string? User { get; set; }
        public int? Port { get; set; }
        /// <summary>Every IdentityFile of every matching block, ~ and tokens expanded.</summary>
        public List<string> IdentityFiles { get; } = new List<string>();
        public bool? IdentitiesOnly { get; set; }
        /// <summary>UserKnownHostsFile's files (empty for none or not set; see <see cref="UserKnownHostsFileSet"/>).</summary>
        public List<string> UserKnownHostsFiles { get; } = new List<string>();
        public bool UserKnownHostsFileSet { get; set; }
        /// <summary>ProxyJump's value ([user@]host[:port][,next...]); null for none or not set.</summary>
        public string? ProxyJump { get; set; }
        public bool ProxyJumpSet { get; set; }
        public string? ProxyCommand { get; set; }
        public bool ProxyCommandSet { get; set; }
        /// <summary>yes, no, accept-new, ask... lower-cased, or null.</summary>
        public string? StrictHostKeyChecking { get; set; }
        /// <summary>The Host lines that matched, with file and line.</summary>
        public List<string> MatchedBlocks { get; } = new List<string>();
        /// <summary>What was read but not applied (Match blocks).</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>True when some block set anything for this host.</summary>
        public bool HasSettings => User != null || Port != null || IdentityFiles.Count > 0 || UserKnownHostsFileSet || ProxyJump != null
            || ProxyCommand != null || StrictHostKeyChecking != null || !string.Equals(HostName, Host, StringComparison.Ordinal);
    }
}
