namespace OpenStackOps.Node.Shell
{
    /// <summary>What a node command printed and how it ended.</summary>
    public sealed class CommandResult
    {
        public CommandResult(string commandLine, int exitCode, string? stdout, string? stderr, TimeSpan elapsed)
        {
            CommandLine = commandLine;
            ExitCode = exitCode;
            StandardOutput = stdout ?? "";
            StandardError = stderr ?? "";
            Elapsed = elapsed;
        }

        public string CommandLine { get; }
        public int ExitCode { get; }
        public string StandardOutput { get; }
        public string StandardError { get; }
        public TimeSpan Elapsed { get; }

        public string[] Lines => StandardOutput.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The first lines of stderr (or stdout), for error messages.</summary>
        public string Summary()
        {
            string text = StandardError.Trim().Length > 0 ? StandardError.Trim() : StandardOutput.Trim();
            if (text.Length > 600) text = text.Substring(0, 600) + "…";
            return text.Length == 0 ? "(no output)" : text;
        }
    }
}
