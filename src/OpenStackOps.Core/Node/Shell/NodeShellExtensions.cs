namespace OpenStackOps.Node.Shell
{
    public static class NodeShellExtensions
    {
        /// <summary>Runs a command and throws <see cref="NodeCommandException"/> naming <paramref name="step"/> unless its exit code is accepted.</summary>
        public static async Task<CommandResult> RunCheckedAsync(this INodeShell shell, NodeCommand command, string step, CancellationToken ct)
        {
            var result = await shell.RunAsync(command, ct).ConfigureAwait(false);
            return NodeCommandException.Check(shell, command, result, step);
        }

        /// <summary>Runs a command whose failure is an answer (test -e, is-active...): the exit code.</summary>
        public static async Task<int> ExitCodeAsync(this INodeShell shell, NodeCommand command, CancellationToken ct)
            => (await shell.RunAsync(command, ct).ConfigureAwait(false)).ExitCode;
    }
}
