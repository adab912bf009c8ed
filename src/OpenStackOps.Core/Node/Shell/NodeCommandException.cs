namespace OpenStackOps.Node.Shell
{
    /// <summary>Why a node operation failed, in words an operator can act on.</summary>
    public enum NodeErrorKind
    {
        CommandFailed,
        Timeout,
        ConnectionFailed,
        AuthenticationFailed,
        HostKeyUnknown,
        HostKeyChanged,
        PermissionDenied,
        NotFound,
        Busy,
        InvalidArgument,
        Unsupported,
    }

    /// <summary>A failed node operation. Messages name the node and the step, never a password or passphrase.</summary>
    public class NodeCommandException : OpenStackOpsException
    {
        public NodeCommandException(NodeErrorKind kind, string? node, string message, CommandResult? result = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Node = node;
            Result = result;
        }

        public NodeErrorKind Kind { get; }
        public string? Node { get; }
        public CommandResult? Result { get; }
        public override string Outcome => Kind.ToString();
        public override object? ErrorTarget => Node;

        public override FailureCategory Category
        {
            get
            {
                switch (Kind)
                {
                    case NodeErrorKind.Timeout: return FailureCategory.OperationTimeout;
                    case NodeErrorKind.ConnectionFailed: return FailureCategory.ConnectionError;
                    case NodeErrorKind.AuthenticationFailed: return FailureCategory.AuthenticationError;
                    case NodeErrorKind.HostKeyUnknown:
                    case NodeErrorKind.HostKeyChanged: return FailureCategory.SecurityError;
                    case NodeErrorKind.PermissionDenied: return FailureCategory.PermissionDenied;
                    case NodeErrorKind.NotFound: return FailureCategory.ObjectNotFound;
                    case NodeErrorKind.Busy: return FailureCategory.ResourceBusy;
                    case NodeErrorKind.InvalidArgument: return FailureCategory.InvalidArgument;
                    case NodeErrorKind.Unsupported: return FailureCategory.NotImplemented;
                    default: return FailureCategory.InvalidResult;
                }
            }
        }

        /// <summary>Throws unless the command ended with an accepted exit code.</summary>
        public static CommandResult Check(INodeShell shell, NodeCommand command, CommandResult result, string step)
        {
            if (Array.IndexOf(command.AcceptedExitCodes, result.ExitCode) >= 0) return result;
            var kind = Classify(result);
            throw new NodeCommandException(kind, shell.NodeName,
                $"{step} failed on {shell.NodeName}: `{result.CommandLine}` exited {result.ExitCode}: {result.Summary()}", result);
        }

        internal static NodeErrorKind Classify(CommandResult r)
        {
            string text = r.StandardError + "\n" + r.StandardOutput;
            if (text.IndexOf("a password is required", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("Permission denied", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("Access denied", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("Operation not permitted", StringComparison.OrdinalIgnoreCase) >= 0)
                return NodeErrorKind.PermissionDenied;
            if (text.IndexOf("busy", StringComparison.OrdinalIgnoreCase) >= 0) return NodeErrorKind.Busy;
            if (text.IndexOf("No such file", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("failed to get domain", StringComparison.OrdinalIgnoreCase) >= 0)
                return NodeErrorKind.NotFound;
            return NodeErrorKind.CommandFailed;
        }
    }
}
