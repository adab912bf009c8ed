namespace OpenStackOps.Volumes
{
    /// <summary>
    /// A volume the reattach left other than reattached: the engine failure Restore-VolumeAttachment writes beside
    /// the result. Its outcome is the result's status (VolumeReattach + TimedOut).
    /// </summary>
    public sealed class VolumeReattachFailedException : OpenStackOpsException
    {
        public VolumeReattachFailedException(VolumeReattachResult result, string target)
            : base($"Could not reattach {target} ({result.Status} at {result.FailedStep}): {result.Error}", null)
        {
            Result = result;
        }

        /// <summary>The result, as the output has it.</summary>
        public VolumeReattachResult Result { get; }
        public override string Outcome => Result.Status;
        public override FailureCategory Category => Result.Status == "TimedOut" ? FailureCategory.OperationTimeout : FailureCategory.InvalidResult;
        public override object ErrorTarget => Result.VolumeId;
    }
}
