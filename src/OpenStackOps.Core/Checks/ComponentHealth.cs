namespace OpenStackOps.Checks
{
    /// <summary>
    /// One component of the control plane after a controller reboot (the guide: "ensure that all required services were
    /// successfully started ... also check that all services are functioning"): what it is, where, its state and the
    /// evidence the state rests on.
    /// </summary>
    public sealed class ComponentHealth
    {
        /// <summary>Process (a unit and its process on the controller, over SSH), Api (an endpoint answering an authenticated call), Service (a nova or cinder service), Agent (a neutron agent), Database or MessageQueue.</summary>
        public string Kind { get; set; } = null!;
        /// <summary>nova-api, nova-conductor, cinder-volume, neutron-openvswitch-agent...</summary>
        public string Component { get; set; } = null!;
        /// <summary>The host it runs on (for an API, the endpoint's host and port).</summary>
        public string? Host { get; set; }
        /// <summary>Up, Down, Disabled (up but taken out of scheduling on purpose) or Unknown.</summary>
        public string State { get; set; } = null!;
        /// <summary>What was seen: the call and its answer, the heartbeat, or what the state was inferred from.</summary>
        public string Evidence { get; set; } = null!;
        /// <summary>The request id of the probe, to look for in the service's log.</summary>
        public string? RequestId { get; set; }
        /// <summary>For a Process: the unit's main PID on the controller.</summary>
        public int? ProcessId { get; set; }
        /// <summary>The last heartbeat the service or agent reported.</summary>
        public DateTimeOffset? LastSeen { get; set; }
        public string? Cloud { get; set; }
        public string? Region { get; set; }

        /// <summary>Up, or Disabled on purpose: nothing to repair.</summary>
        public bool IsHealthy => State == ComponentStates.Up || State == ComponentStates.Disabled;

        public override string ToString() => $"{Component}@{Host}: {State}";
    }

    public static class ComponentStates
    {
        public const string Up = "Up", Down = "Down", Disabled = "Disabled", Unknown = "Unknown";
    }
}
