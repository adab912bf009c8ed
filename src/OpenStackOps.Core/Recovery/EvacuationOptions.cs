namespace OpenStackOps.Recovery
{
    public sealed class EvacuationOptions
    {
        /// <summary>The failed host every server is evacuated from.</summary>
        public string FailedHost { get; set; } = null!;
        /// <summary>Where to rebuild them; null lets the scheduler choose.</summary>
        public string? Destination { get; set; }
        /// <summary>The operator's word that instance directories are on shared storage (nova cannot tell through its API).</summary>
        public bool SharedInstanceStorage { get; set; }
        /// <summary>Evacuations in flight at once (Masakari's default is 3).</summary>
        public int ThrottleLimit { get; set; } = 3;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>Submit and return without waiting.</summary>
        public bool Wait { get; set; } = true;
    }
}
