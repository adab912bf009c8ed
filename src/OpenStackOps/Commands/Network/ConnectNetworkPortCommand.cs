using System.Management.Automation;
using OpenStackOps.Commands.Compute;
using OpenStackOps.Infrastructure;
using OpenStackOps.Network.Ports;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// <para type="synopsis">Attaches a free port (and its address) to a server.</para>
    /// <para type="description">Attaches the port through nova (POST /servers/{id}/os-interface with the port id), so that nova binds it on the server's host and records it as the server's existing port: detaching it later, or deleting the server, keeps the port. A port attached to another device is refused (detach it first with Disconnect-NetworkPort); a port already attached to this server is left alone.</para>
    /// <example>
    ///   <code>Get-NetworkPort -Name web01.sys.example.com | Connect-NetworkPort -Server web01-new -PassThru</code>
    ///   <para>Moves the address of web01 to the server web01-new (after the port was detached from the old one).</para>
    /// </example>
    /// <example>
    ///   <code>Restore-PortAddress 203.0.113.40 -Network public | Connect-NetworkPort -Server $server</code>
    ///   <para>Recovers a lost address and gives it to a server object from Get-NodeServer.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "NetworkPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Port))]
    public sealed class ConnectNetworkPortCommand : NetworkCmdlet
    {
        /// <summary><para type="description">The port: a Port object, a Restore-PortAddress result, an id or an exact name.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("PortId", "Id")]
        public PortTarget Port { get; set; } = null!;

        /// <summary><para type="description">The server: a Server object from Get-NodeServer, an id or an exact name.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("ServerId")]
        [ArgumentCompleter(typeof(ServerNameCompleter))]
        public ServerTarget Server { get; set; } = null!;

        /// <summary><para type="description">Write the port as it is afterwards.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = CurrentSession;
            try
            {
                var port = ResolvePort(Port);
                if (port == null) return;
                var server = ResolveServerOrReport(Server);
                if (server == null) return;
                if (port.DeviceId == server.Id)
                {
                    WriteVerbose($"Port {port.Id} is already attached to {server.Name} ({server.Id}).");
                    if (PassThru) WriteObject(Stamp(Named(port, server)));
                    return;
                }
                if (!string.IsNullOrEmpty(port.DeviceId))
                {
                    WriteError(ErrorRecords.Make(
                        $"Port {port} ({port.Id}) is attached to {port.DeviceOwner} {port.DeviceId}; detach it first (Disconnect-NetworkPort).",
                        "PortInUse", ErrorCategory.ResourceBusy, port));
                    return;
                }
                if (!ShouldProcess($"port {port} ({port.Id}, {string.Join(", ", port.IpAddresses)})", $"Attach to server {server.Name} ({server.Id})")) return;
                string? requestId = Run(ct => session.Compute.Interfaces.AttachPortAsync(server.Id, port.Id, ct));
                WriteVerbose($"Attached port {port.Id} to server {server.Id} [request {requestId}].");
                if (PassThru)
                {
                    var after = Run(ct => session.Neutron.Ports.GetAsync(port.Id, ct));
                    WriteObject(Stamp(Named(after, server)));
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "AttachPort", Port.Text);
            }
        }
    }
}
