using System.Diagnostics;
using System.Net;
using OpenStackOps.Network.Networks;

namespace OpenStackOps.Network.Recovery
{
    /// <summary>
    /// The read-only first half of a recovery: the address is valid, inside a subnet of the network and held by no
    /// port the caller can see. <see cref="Preview"/> is what -WhatIf shows; <see cref="AddressRecovery.ExecuteAsync"/> acts on it.
    /// </summary>
    public sealed class RecoveryPlan
    {
        internal RecoveryPlan() { }

        public AddressRecoveryRequest Request { get; internal set; } = null!;
        public NeutronNetwork Network { get; internal set; } = null!;
        public Subnet Subnet { get; internal set; } = null!;
        public string IpAddress { get; internal set; } = null!;
        internal IPAddress Address { get; set; } = null!;
        /// <summary>Free addresses in the subnet (exact for admins, the pool size otherwise).</summary>
        public long FreeAddresses { get; internal set; }
        public bool FreeAddressesExact { get; internal set; }
        /// <summary>What would be tried first: Exact unless the mode is Sweep.</summary>
        public RecoveryStrategy FirstStrategy => Request.Mode == RecoveryMode.Sweep ? RecoveryStrategy.Sweep : RecoveryStrategy.Exact;
        public AddressRecoveryResult Preview { get; internal set; } = null!;
        internal long StartCalls { get; set; }
        internal Stopwatch Clock { get; set; } = null!;
    }
}
