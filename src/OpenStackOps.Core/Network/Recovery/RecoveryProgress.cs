namespace OpenStackOps.Network.Recovery
{
    /// <summary>Where a sweep is, for a progress bar: addresses drawn out of those free, then temporary ports deleted.</summary>
    public sealed class RecoveryProgress
    {
        public RecoveryProgress(string stage, long done, long total, string status)
        {
            Stage = stage;
            Done = done;
            Total = total;
            Status = status;
        }

        /// <summary>"Sweeping" or "Deleting temporary ports".</summary>
        public string Stage { get; }
        public long Done { get; }
        /// <summary>Free addresses (at most) while sweeping; ports to delete while cleaning up.</summary>
        public long Total { get; }
        public string Status { get; }
        public int Percent => Total <= 0 ? 0 : (int)System.Math.Min(100, Done * 100 / Total);
    }
}
