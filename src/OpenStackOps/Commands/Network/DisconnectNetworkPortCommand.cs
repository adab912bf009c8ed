using System.Management.Automation;
using OpenStackOps.Http;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network.Ports;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// <para type="synopsis">Detaches ports from their servers, keeping each port and its address.</para>
    /// <para type="description">Frees a port so that its address can move to another server. For a port that a server got as an existing port (created before the server, as New-ReusablePort ports are), it uses nova's interface detach (DELETE /servers/{id}/os-interface/{port}), so nova and the guest forget the interface too, and waits until neutron shows the port free. Otherwise it does what the Operations Guide does: it clears device_id, device_owner and binding:profile on the port itself. The reason: nova deletes a port it created itself when that port is detached through nova, and the address would be lost; the guide's update keeps it, and the server's later deletion no longer touches it. When nova refuses the detach (server gone, busy or locked) the guide's update is used as well, with a warning. -Method Neutron always uses the guide's update.</para>
    /// <example>
    ///   <code>Get-NetworkPort -IPAddress 203.0.113.20 | Disconnect-NetworkPort -PassThru</code>
    ///   <para>Detaches the port holding 203.0.113.20 from its server and shows it, free.</para>
    /// </example>
    /// <example>
    ///   <code>Get-NodeServer c01 | Get-NetworkPort -Network public | Disconnect-NetworkPort -WhatIf</code>
    ///   <para>Shows which public ports of the servers on c01 would be detached, and how.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "NetworkPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Port))]
    public sealed class DisconnectNetworkPortCommand : NetworkCmdlet
    {
        /// <summary><para type="description">The ports: Port objects (Get-NetworkPort, New-ReusablePort), Restore-PortAddress results, ids or exact names.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("PortId", "Id")]
        public PortTarget[] Port { get; set; } = null!;

        /// <summary><para type="description">Auto (default): nova's interface detach for ports the server got as existing ports, the guide's port update otherwise. Neutron: always the guide's update.</para></summary>
        [Parameter]
        [ValidateSet("Auto", "Neutron")]
        public string Method { get; set; } = "Auto";

        /// <summary><para type="description">How long to wait for nova's asynchronous detach to show in neutron (default 60 s).</para></summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 60;

        /// <summary><para type="description">Also detach ports that belong to something other than a server (device_owner not compute:*, e.g. a router interface or a DHCP port), which are refused by default.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary><para type="description">Write each port as it is afterwards.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            foreach (var target in Port)
            {
                try
                {
                    var port = ResolvePort(target);
                    if (port == null) continue;
                    if (port.IsFree)
                    {
                        WriteVerbose($"Port {port.Id} is attached to nothing; nothing to detach.");
                        if (PassThru) WriteObject(Stamp(port));
                        continue;
                    }
                    if (!port.IsServerPort && !string.IsNullOrEmpty(port.DeviceOwner) && !Force)
                    {
                        WriteError(ErrorRecords.Make(
                            $"Port {port} ({port.Id}) belongs to {port.DeviceOwner} {port.DeviceId}, not to a server; detaching it would break that device. Use -Force if that is really meant.",
                            "PortNotServerPort", ErrorCategory.InvalidOperation, port));
                        continue;
                    }
                    bool viaNova = Method == "Auto" && port.IsServerPort && NovaKeepsPort(port, out string why);
                    string how = viaNova ? "nova's interface detach" : "clearing device_id, device_owner and binding:profile (the guide's port update)";
                    if (!ShouldProcess($"port {port} ({port.Id}) on {port.DeviceOwner} {port.DeviceId}", "Detach by " + how)) continue;

                    Port? after = null;
                    if (viaNova)
                    {
                        try
                        {
                            string? requestId = Run(ct => session.Compute.Interfaces.DetachPortAsync(port.DeviceId!, port.Id, ct)); // a server's port names its server
                            WriteVerbose($"Nova accepted detaching {port.Id} from {port.DeviceId} [request {requestId}]; waiting for neutron to show it free.");
                            after = Run(ct => PortDetachWait.UntilFreeAsync(session.Neutron.Ports, port.Id, TimeSpan.FromSeconds(TimeoutSeconds), ct));
                        }
                        catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.NotFound || e.Kind == ApiErrorKind.Conflict || e.Kind == ApiErrorKind.BadRequest)
                        {
                            WriteWarning($"Nova did not detach port {port.Id} from server {port.DeviceId} ({e.ServerMessage ?? e.Message}); clearing the attachment on the port instead, as the guide does.");
                        }
                    }
                    if (after == null)
                    {
                        after = Run(ct => session.Neutron.Ports.ClearAttachmentAsync(port.Id, ct));
                        WriteVerbose($"Cleared device_id, device_owner and binding:profile of port {port.Id} [request {after.RequestId}].");
                    }
                    if (PassThru) WriteObject(Stamp(after));
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    WriteFailure(e, "DetachPort", target.Text);
                }
            }
        }

        /// <summary>
        /// Nova keeps a detached port only if it was given the port (pre-existing), which the API does not show; a port
        /// created before the server cannot have been created by nova for it. Anything else is treated as nova's own.
        /// </summary>
        private bool NovaKeepsPort(Port port, out string why)
        {
            var session = CurrentSession;
            try
            {
                var server = Run(ct => session.Compute.Servers.GetAsync(port.DeviceId!, ct)); // asked only of a server's port
                if (server?.Created != null && port.Created != null && port.Created < server.Created)
                {
                    why = "the port existed before the server";
                    return true;
                }
                why = "nova may have created this port (it is not older than the server) and would delete it on detach";
            }
            catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                why = "nova does not know the server";
            }
            WriteVerbose($"Port {port.Id}: {why}; using the guide's port update.");
            return false;
        }
    }
}
