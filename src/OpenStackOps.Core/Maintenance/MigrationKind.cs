namespace OpenStackOps.Maintenance
{
    /// <summary>How a server is (or would have been) moved.</summary>
    public enum MigrationKind
    {
        /// <summary>Not moved (skipped).</summary>
        None,
        Live,
        /// <summary>Cold migration of a stopped server, confirmed by the engine.</summary>
        Cold,
        /// <summary>Rebuilt on another host after its own host failed (nova evacuate).</summary>
        Evacuation,
    }
}
