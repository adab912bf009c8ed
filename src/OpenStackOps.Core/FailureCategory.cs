namespace OpenStackOps
{
    /// <summary>
    /// What kind of failure an engine error is, named exactly as PowerShell's ErrorCategory: the engine does not
    /// reference PowerShell, the cmdlets convert by name (a test checks every name exists there).
    /// </summary>
    public enum FailureCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        NotImplemented,
        ObjectNotFound,
        OperationStopped,
        OperationTimeout,
        PermissionDenied,
        ResourceBusy,
        ResourceExists,
        ResourceUnavailable,
        ReadError,
        WriteError,
        SecurityError,
        ConnectionError,
        AuthenticationError,
        LimitsExceeded,
        QuotaExceeded,
    }
}
