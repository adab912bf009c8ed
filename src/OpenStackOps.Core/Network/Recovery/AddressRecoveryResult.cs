using OpenStackOps.Network.Ports;

namespace OpenStackOps.Network.Recovery
{
    /// <summary>What Restore-PortAddress did: the port that now holds the address, and what it cost.</summary>
    public sealed class AddressRecoveryResult
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        public string IpAddress { get; set; } = null!;
        public string NetworkId { get; set; } = null!;
        public string? NetworkName { get; set; }
        public string SubnetId { get; set; } = null!;
        public string? SubnetCidr { get; set; }
        /// <summary>The recovered port (null under -WhatIf).</summary>
        public Port? Port { get; set; }
        public string? PortId => Port?.Id;
        public string? PortName => Port?.Name;
        /// <summary>Exact or Sweep: what worked (under -WhatIf: what would be tried first).</summary>
        internal RecoveryStrategy StrategyUsed { get; set; }
        /// <summary>The name of the <see cref="RecoveryStrategy"/>: text, so it reads the same after an export.</summary>
        public string Strategy => StrategyUsed.ToString();
        /// <summary>True when the exact request was refused by policy (403) and the sweep took over.</summary>
        public bool ExactForbidden { get; set; }
        public int PortsCreated { get; set; }
        public int PortsDeleted { get; set; }
        /// <summary>Create requests sent (one per port asked for).</summary>
        public int CreateRequests { get; set; }
        /// <summary>Free addresses in the subnet when the run started (estimate for non-admins: the pool size).</summary>
        public long FreeAddresses { get; set; }
        /// <summary>True when <see cref="FreeAddresses"/> came from network-ip-availabilities, false when it is the pool size.</summary>
        public bool FreeAddressesExact { get; set; }
        public int BatchSize { get; set; }
        /// <summary>Every HTTP request the run made (lookups, creates, renames, deletes).</summary>
        public long ApiCalls { get; set; }
        /// <summary>The time taken as the engine measured it.</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>
        /// The time taken as text, [d.]hh:mm:ss to the second: the same in a table, in JSON and in CSV (`[TimeSpan]$r.Duration`
        /// gives the TimeSpan back). Settable, e.g. for a runbook test's data.
        /// </summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond): a number in JSON and CSV, for sums and sorting.</summary>
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 3);
        public bool Planned { get; set; }
        public string? Message { get; set; }

        public override string ToString() => IpAddress + " -> " + (PortName ?? PortId ?? "(planned)");
    }
}
