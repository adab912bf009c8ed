namespace OpenStackOps.Maintenance
{
    /// <summary>What to do with a live migration still in progress when its time is up.</summary>
    public enum TimeoutAction
    {
        /// <summary>Abort it (2.24): the server stays on its source.</summary>
        Abort,
        /// <summary>Force it to complete (2.22): nova pauses the guest, or switches to post-copy when permitted.</summary>
        ForceComplete,
        /// <summary>Stop waiting and say so; nova carries on.</summary>
        Leave,
    }
}
