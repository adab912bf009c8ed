using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Infrastructure.Completion;
using OpenStackOps.Usage;

namespace OpenStackOps.Commands.Usage
{
    /// <summary>
    /// <para type="synopsis">Gets each network's used and free addresses, as neutron counts them: the weekly report's network usage.</para>
    /// <para type="description">Reads neutron's network-ip-availabilities (admin only): per network the used, total and free addresses over its subnets, UsedPercent and FreeIpv4 (what runs out first), and each subnet's figures in Subnets. Counts are decimal, since an IPv6 /64 holds more addresses than a long. One listing (its pages), never a call per network or port. Needs an admin session. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-NetworkIpAvailability | Where-Object UsedPercent -ge 80</code>
    ///   <para>The networks running out of addresses.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NetworkIpAvailability public | Select-Object -ExpandProperty Subnets</code>
    ///   <para>Each subnet of the network named public, with its used and total addresses.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NetworkIpAvailability")]
    [OutputType(typeof(NetworkIpAvailability))]
    public sealed class GetNetworkIpAvailabilityCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">Only networks with these names or ids (wildcards allowed).</para></summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string[]? Network { get; set; }

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            WarnIfNotAdmin("neutron shows network IP availability only to admins.");
            try
            {
                var query = new NetworkIpAvailabilityQuery(session.Network);
                var patterns = Network?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
                var found = Run(ct => query.ListAsync(ct)).Where(n => patterns == null || patterns.Any(w => w.IsMatch(n.NetworkName ?? "") || w.IsMatch(n.NetworkId ?? ""))).ToList();
                foreach (var typed in (Network ?? new string[0]).Where(t => !WildcardPattern.ContainsWildcardCharacters(t)
                    && !found.Any(n => string.Equals(n.NetworkName, t, StringComparison.OrdinalIgnoreCase) || string.Equals(n.NetworkId, t, StringComparison.OrdinalIgnoreCase))))
                    WriteError(ErrorRecords.Make($"neutron reports no IP availability for a network named or with id '{typed}' (it may not exist, or the session is not admin).",
                        "NetworkNotFound", ErrorCategory.ObjectNotFound, typed));
                foreach (var n in found)
                {
                    n.Cloud = session.Cloud;
                    n.Region = session.Region;
                    WriteObject(n);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NeutronListIpAvailability", session.Cloud);
            }
        }
    }
}
