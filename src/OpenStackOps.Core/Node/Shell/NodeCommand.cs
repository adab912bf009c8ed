namespace OpenStackOps.Node.Shell
{
    /// <summary>
    /// A program and its arguments to run on a node, never a shell line: <see cref="ToCommandLine"/> quotes every
    /// word. <see cref="AsRoot"/> commands run through <c>sudo -n</c> when the connection's user is not root.
    /// A <see cref="Pipe"/> connects commands with a fixed <c>|</c> written by this class, not by callers.
    /// </summary>
    public sealed class NodeCommand
    {
        private readonly string[] _words;
        private readonly NodeCommand? _next;

        public NodeCommand(bool asRoot, params string[] words)
            : this(asRoot, words, null)
        {
        }

        private NodeCommand(bool asRoot, string[] words, NodeCommand? next)
        {
            if (words == null || words.Length == 0) throw new ArgumentException("A command needs a program.", nameof(words));
            if (words.Any(w => w == null)) throw new ArgumentNullException(nameof(words), "A command argument is null.");
            AsRoot = asRoot;
            _words = words;
            _next = next;
        }

        /// <summary>Runs as root (with <c>sudo -n</c> for other users).</summary>
        public bool AsRoot { get; }
        public IReadOnlyList<string> Words => _words;
        /// <summary>How long the command may run; null: the connection's default.</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>Exit codes that are not failures (0 by default).</summary>
        public int[] AcceptedExitCodes { get; set; } = { 0 };

        public static NodeCommand Root(params string[] words) => new NodeCommand(true, words);
        public static NodeCommand User(params string[] words) => new NodeCommand(false, words);

        /// <summary>
        /// <c>sh -c SCRIPT sh ARG…</c>: a fixed script written in this code base, with every variable part passed
        /// as a positional parameter ("$1"...), so that redirections and loops never splice in operator input.
        /// </summary>
        public static NodeCommand Script(bool asRoot, string script, params string[] arguments)
        {
            var all = new List<string> { "sh", "-c", script, "sh" };
            all.AddRange(arguments);
            return new NodeCommand(asRoot, all.ToArray());
        }

        /// <summary>This command's output into <paramref name="next"/> (e.g. grep | tail); exit status is the last one's.</summary>
        public NodeCommand Pipe(NodeCommand next) => new NodeCommand(AsRoot, _words, _next == null ? next : _next.Pipe(next))
        {
            Timeout = Timeout,
            AcceptedExitCodes = next.AcceptedExitCodes,
        };

        /// <summary>The command line for a login shell of a user; <paramref name="useSudo"/> prefixes root commands with sudo -n.</summary>
        public string ToCommandLine(bool useSudo)
        {
            string line = Part(useSudo);
            return _next == null ? line : line + " | " + _next.ToCommandLine(useSudo);
        }

        private string Part(bool useSudo)
            => AsRoot && useSudo ? "sudo -n -- " + ShellQuote.Join(_words) : ShellQuote.Join(_words);

        public override string ToString() => ToCommandLine(false);
    }
}
