using OpenStackOps.Network.Ports;

namespace OpenStackOps.Network.Recovery
{
    /// <summary>How Restore-PortAddress may get the address.</summary>
    public enum RecoveryMode
    {
        /// <summary>Ask for the exact address; sweep only when neutron's policy forbids that (403).</summary>
        Auto,
        /// <summary>Only ask for the exact address.</summary>
        Exact,
        /// <summary>Only sweep (e.g. to measure it, or where the exact request is known to be forbidden).</summary>
        Sweep,
    }

    /// <summary>How the address was (or would be) obtained.</summary>
    public enum RecoveryStrategy
    {
        /// <summary>One create with fixed_ips [{subnet_id, ip_address}] (admin, or member of the network's project).</summary>
        Exact,
        /// <summary>Waves of single creates on the subnet, keeping the losers until the address came up, then deleting them.</summary>
        Sweep,
    }

    /// <summary>Why an address could not be recovered.</summary>
    public enum AddressRecoveryFailure
    {
        InvalidAddress,
        NetworkNotFound,
        NetworkAmbiguous,
        /// <summary>No subnet of the network (or, without -Network, no subnet the caller can see) contains the address.</summary>
        NotInNetwork,
        /// <summary>Several visible subnets on different networks contain it: name the network.</summary>
        SubnetAmbiguous,
        GatewayAddress,
        /// <summary>A sweep can only reach addresses inside the allocation pools.</summary>
        OutsideAllocationPools,
        /// <summary>A port holds the address (<see cref="AddressRecoveryException.Holder"/>).</summary>
        AddressInUse,
        /// <summary>Every free address was swept and the address was not among them: a port this project cannot see holds it.</summary>
        NotObtainable,
        /// <summary>Exact mode, and neutron's policy forbids asking for an address.</summary>
        ExactForbidden,
        QuotaExhausted,
        /// <summary>The round limit was reached before the address came up.</summary>
        RoundsExhausted,
    }

    /// <summary>What to recover and how.</summary>
    public sealed class AddressRecoveryRequest
    {
        public AddressRecoveryRequest(string ipAddress) => IpAddress = ipAddress;

        public string IpAddress { get; }
        /// <summary>Network id or exact name; null: the network of the one visible subnet that contains the address.</summary>
        public string? Network { get; set; }
        /// <summary>The recovered port's name (default: restored-&lt;address&gt;).</summary>
        public string? Name { get; set; }
        public string? Description { get; set; }
        public RecoveryMode Mode { get; set; } = RecoveryMode.Auto;
        /// <summary>Creates per wave (sent side by side); default: about √(free/2), which minimizes the expected waves and deletes.</summary>
        public int? BatchSize { get; set; }
        /// <summary>Waves at most; default: enough to cover every free address, plus 3.</summary>
        public int? MaxRounds { get; set; }
        /// <summary>The project whose port quota bounds the sweep (the session's project).</summary>
        public string? ProjectId { get; set; }
    }

    /// <summary>A recovery failure the operator can act on; says what the run created and deleted.</summary>
    public sealed class AddressRecoveryException : OpenStackOpsException
    {
        public AddressRecoveryException(AddressRecoveryFailure failure, string message, Exception? inner = null) : base(message, inner)
            => Failure = failure;

        public AddressRecoveryFailure Failure { get; }
        public string IpAddress { get; set; } = null!;
        /// <summary>For <see cref="AddressRecoveryFailure.AddressInUse"/>: the port that holds the address.</summary>
        public Port? Holder { get; set; }
        public int PortsCreated { get; set; }
        public int PortsDeleted { get; set; }
        /// <summary>Ports the run created and could not delete (normally empty).</summary>
        public string[] LeftBehind { get; set; } = new string[0];

        public override bool IsFullId => true;
        public override object ErrorTarget => Failure == AddressRecoveryFailure.AddressInUse ? (object?)Holder ?? IpAddress : IpAddress;

        public override string Outcome
        {
            get
            {
                switch (Failure)
                {
                    case AddressRecoveryFailure.InvalidAddress: return "InvalidIPAddress";
                    case AddressRecoveryFailure.NetworkNotFound: return "NetworkNotFound";
                    case AddressRecoveryFailure.NetworkAmbiguous: return "NetworkNameAmbiguous";
                    case AddressRecoveryFailure.SubnetAmbiguous: return "AddressInSeveralNetworks";
                    case AddressRecoveryFailure.NotInNetwork: return "AddressNotInNetwork";
                    case AddressRecoveryFailure.GatewayAddress: return "AddressIsGateway";
                    case AddressRecoveryFailure.OutsideAllocationPools: return "AddressOutsideAllocationPools";
                    case AddressRecoveryFailure.AddressInUse: return "PortAddressInUse";
                    case AddressRecoveryFailure.NotObtainable: return "PortAddressNotObtainable";
                    case AddressRecoveryFailure.ExactForbidden: return "PortAddressRequestForbidden";
                    case AddressRecoveryFailure.QuotaExhausted: return "PortQuotaExhausted";
                    default: return "PortAddressSweepExhausted";
                }
            }
        }

        public override FailureCategory Category
        {
            get
            {
                switch (Failure)
                {
                    case AddressRecoveryFailure.NetworkNotFound: return FailureCategory.ObjectNotFound;
                    case AddressRecoveryFailure.OutsideAllocationPools: return FailureCategory.InvalidOperation;
                    case AddressRecoveryFailure.AddressInUse: return FailureCategory.ResourceExists;
                    case AddressRecoveryFailure.NotObtainable: return FailureCategory.ResourceUnavailable;
                    case AddressRecoveryFailure.ExactForbidden: return FailureCategory.PermissionDenied;
                    case AddressRecoveryFailure.QuotaExhausted: return FailureCategory.QuotaExceeded;
                    case AddressRecoveryFailure.InvalidAddress:
                    case AddressRecoveryFailure.NetworkAmbiguous:
                    case AddressRecoveryFailure.SubnetAmbiguous:
                    case AddressRecoveryFailure.NotInNetwork:
                    case AddressRecoveryFailure.GatewayAddress: return FailureCategory.InvalidArgument;
                    default: return FailureCategory.LimitsExceeded;
                }
            }
        }

        /// <summary>The message and what the run left: the temporary ports created, deleted, and any to delete by hand.</summary>
        public override string Details => Message + " " + (PortsCreated == 0 ? "No port was created."
            : $"{PortsCreated} temporary port(s) were created and {PortsDeleted} deleted" +
              (LeftBehind.Length == 0 ? "." : $"; delete these by hand: {string.Join(", ", LeftBehind)}."));
    }
}
