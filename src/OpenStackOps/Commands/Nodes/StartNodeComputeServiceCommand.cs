using System.Management.Automation;
using OpenStackOps.Node.Services;

namespace OpenStackOps.Commands.Nodes
{
    /// <summary>
    /// <para type="synopsis">Starts nova-compute on a compute node, first undoing the pin Stop-NodeComputeService -Pin set.</para>
    /// <para type="description">The guide's `start nova-compute` after maintenance. If Stop-NodeComputeService -Pin masked the unit (systemctl mask --runtime) or moved the init files, exactly that is undone first; a mask that someone else set is not touched, and the start then fails with a message that says so. With -Wait it waits until nova reports the service up again. Test-ComputeNodeHealth then checks the AMQP connection and the rest.</para>
    /// <example>
    ///   <code>Start-NodeComputeService c01.example.com -Wait -PassThru</code>
    ///   <para>Unpins and starts nova-compute on c01 and waits until nova reports it up.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NodeComputeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NodeServiceState))]
    public sealed class StartNodeComputeServiceCommand : NodeComputeServiceCommand
    {
        protected override string Operation => "NodeStartComputeService";
        protected override string WantedNovaState => "up";
        protected override string Describe() => "Undo the OpenStackOps pin (if any) and start nova-compute";

        protected override Task<NodeServiceState> ApplyAsync(ComputeServiceControl control, CancellationToken ct)
            => control.StartAsync(Init, ct);
    }
}
