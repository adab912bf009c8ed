using System.Management.Automation;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network.Recovery;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// <para type="synopsis">Gets a lost IP address back onto a new port.</para>
    /// <para type="description">When a server was deleted before its port was detached, its public address went back to the pool. This finds out first whether the address is really free (if a port holds it, the error says which port, attached to what). Then it asks neutron for exactly that address, which admins and members of the network's project may do: one create. When neutron's policy forbids that (403), it sweeps: it creates ports on the subnet in waves of single creates sent side by side, keeps those that got other addresses so that neutron cannot hand them out again, until the address comes up, then names that port as asked and deletes every other port it created. It never sends a bulk create: neutron keeps the addresses of a bulk that ran out part-way, with no port on them. The number of creates per wave follows from the subnet's free addresses and the project's port quota. Every port it created and does not return is deleted, also when it fails or is stopped with Ctrl+C. The result says which strategy worked, how many ports were created and deleted and how many API calls it took.</para>
    /// <example>
    ///   <code>Restore-PortAddress 203.0.113.40 -Network public -Name web01.sys.example.com</code>
    ///   <para>Recovers 203.0.113.40 on a port named after the server's FQDN.</para>
    /// </example>
    /// <example>
    ///   <code>Restore-PortAddress 198.51.100.9 -WhatIf -PassThru</code>
    ///   <para>Checks that the address is free and in which subnet, and shows the plan, creating nothing.</para>
    /// </example>
    /// <example>
    ///   <code>Restore-PortAddress 203.0.113.40 -Network public | Connect-NetworkPort -Server web01-new</code>
    ///   <para>Recovers the address and attaches it to the replacement server.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Restore, "PortAddress", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AddressRecoveryResult))]
    public sealed class RestorePortAddressCommand : NetworkCmdlet
    {
        /// <summary><para type="description">The lost address, IPv4 or IPv6.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Address")]
        [ValidateNotNullOrEmpty]
        public string IPAddress { get; set; } = null!;

        /// <summary><para type="description">The network (id or exact name). Default: the network of the one subnet you can see that contains the address.</para></summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("NetworkId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string? Network { get; set; }

        /// <summary><para type="description">The recovered port's name, e.g. the FQDN (default: restored-ADDRESS).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary><para type="description">A description stored on the recovered port.</para></summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary><para type="description">Auto (default): ask for the address, sweep if policy forbids that. Exact: only ask. Sweep: only sweep.</para></summary>
        [Parameter]
        [ValidateSet("Auto", "Exact", "Sweep")]
        public string Strategy { get; set; } = "Auto";

        /// <summary><para type="description">Creates sent side by side per wave of a sweep (default: about the square root of half the free addresses, which needs the fewest waves on average; at most 50, never more than the quota allows).</para></summary>
        [Parameter]
        [ValidateRange(1, 50)]
        public int BatchSize { get; set; }

        /// <summary><para type="description">Waves a sweep may send at most (default: enough to draw every free address, plus 3).</para></summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int MaxRounds { get; set; }

        /// <summary><para type="description">With -WhatIf, write the plan (Planned = true): the subnet, the free addresses and the strategy that would be tried first.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            var request = new AddressRecoveryRequest(IPAddress)
            {
                Network = Network,
                Name = Name,
                Description = Description,
                Mode = (RecoveryMode)Enum.Parse(typeof(RecoveryMode), Strategy, true),
                BatchSize = BatchSize > 0 ? BatchSize : (int?)null,
                MaxRounds = MaxRounds > 0 ? MaxRounds : (int?)null,
                ProjectId = session.ProjectId,
            };
            var engine = new AddressRecovery(session.Neutron, Messages)
            {
                OnProgress = p => Messages.Progress(new ProgressRecord(1, $"Restore-PortAddress {IPAddress}: {p.Stage}", p.Status) { PercentComplete = p.Percent }),
            };
            RecoveryPlan plan;
            try
            {
                plan = RunToEnd(ct => engine.PlanAsync(request, ct));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "RestorePortAddress", IPAddress);
                return;
            }

            string action = $"Create a port with {plan.IpAddress} named '{Name ?? "restored-" + plan.IpAddress}' " +
                            (plan.FirstStrategy == RecoveryStrategy.Exact ? "(asking for the address; sweeping if policy forbids that)" : "(by a sweep)");
            if (!ShouldProcess($"{plan.IpAddress} in {plan.Subnet.Cidr} of network {plan.Network}", action))
            {
                WriteVerbose(plan.Preview.Message);
                if (PassThru) WriteObject(Stamp(plan.Preview));
                return;
            }
            try
            {
                var result = RunToEnd(ct => engine.ExecuteAsync(plan, ct));
                Stamp(result.Port);
                WriteObject(Stamp(result));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "RestorePortAddress", IPAddress);
            }
            finally
            {
                WriteProgress(new ProgressRecord(1, $"Restore-PortAddress {IPAddress}", "done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private AddressRecoveryResult Stamp(AddressRecoveryResult r)
        {
            r.Cloud = CurrentSession.Cloud;
            r.Region = CurrentSession.Region;
            return r;
        }
    }
}
