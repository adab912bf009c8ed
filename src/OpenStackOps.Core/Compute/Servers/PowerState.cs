namespace OpenStackOps.Compute.Servers
{
    /// <summary>Nova's power_state codes (nova/compute/power_state.py).</summary>
    public enum PowerState
    {
        NoState = 0,
        Running = 1,
        Paused = 3,
        Shutdown = 4,
        Crashed = 6,
        Suspended = 7,
    }
}
