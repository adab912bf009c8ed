namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// An accepted server action (202/204): nova's request id, which names the instance action whose events
    /// explain a later failure, and the microversion the action was sent at.
    /// </summary>
    public sealed class ServerActionResult
    {
        public ServerActionResult(string? requestId, Microversion microversion)
        {
            RequestId = requestId;
            Microversion = microversion;
        }

        public string? RequestId { get; }
        public Microversion Microversion { get; }
    }
}
