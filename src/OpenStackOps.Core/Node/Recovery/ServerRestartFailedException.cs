namespace OpenStackOps.Node.Recovery
{
    /// <summary>
    /// A server that did not come back after the after-reboot step: the engine failure Restart-NodeServer writes
    /// beside the result, NodeServerRestartFailed (nova put it in ERROR) or NodeServerRestartTimeout.
    /// </summary>
    public sealed class ServerRestartFailedException : OpenStackOpsException
    {
        public ServerRestartFailedException(ServerRestartResult result, string host)
            : base($"{result.ServerName} ({result.ServerId}) on {host} did not come back after {result.Action}: {result.Message}. " +
                   (result.LogLines.Count > 0 ? $"{result.LogLines.Count} nova-compute log lines are in the result's LogLines." : ""), null)
        {
            Result = result;
        }

        /// <summary>The result, as the output has it.</summary>
        public ServerRestartResult Result { get; }
        private bool Errored => Result.Status == "ERROR";
        public override bool IsFullId => true;
        public override string Outcome => Errored ? "NodeServerRestartFailed" : "NodeServerRestartTimeout";
        public override FailureCategory Category => Errored ? FailureCategory.InvalidResult : FailureCategory.OperationTimeout;
        public override object ErrorTarget => Result.ServerId;

        protected override string DefaultAction => Result.Action == "HardReboot"
            ? "Look at the instance's nova-compute log lines and instance actions (request " + Result.RequestId + ")."
            : "Try Restart-NodeServer -Hard -ServerId " + Result.ServerId + ", which regenerates the domain XML.";
    }
}
