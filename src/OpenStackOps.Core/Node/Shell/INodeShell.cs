namespace OpenStackOps.Node.Shell
{
    /// <summary>
    /// A connection to one compute node: run commands (quoted, see <see cref="NodeCommand"/>) and read files.
    /// The SSH implementation is <see cref="Ssh.SshNodeShell"/>; tests use a fake.
    /// </summary>
    public interface INodeShell
    {
        /// <summary>The node as the operator named it (e.g. c01.example.com).</summary>
        string NodeName { get; }
        /// <summary>The login user; root commands go through sudo -n for anyone else.</summary>
        string UserName { get; }

        /// <summary>Runs a command and returns its result whatever the exit code (timeouts throw <see cref="NodeCommandException"/>).</summary>
        Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct);

        /// <summary>Copies a remote file into <paramref name="destination"/>, reporting bytes copied so far.</summary>
        Task DownloadAsync(string remotePath, Stream destination, Action<long>? progress, CancellationToken ct);

        /// <summary>Writes <paramref name="source"/> to a remote file (SFTP: the login user's rights, no sudo).</summary>
        Task UploadAsync(Stream source, string remotePath, CancellationToken ct);

        /// <summary>The size of a remote regular file, or null if it does not exist or is not a regular file.</summary>
        Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct);
    }
}
