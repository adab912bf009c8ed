using System.Management.Automation;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Infrastructure;
using OpenStackOps.Usage;

namespace OpenStackOps.Commands.Usage
{
    /// <summary>
    /// <para type="synopsis">Gets the largest servers of every project by their flavor: the weekly report's large instances.</para>
    /// <para type="description">Reads every server of every project (nova's pages; each carries its flavor's vCPUs, RAM and disk from API 2.47, and an older API costs one paged flavor listing more) and returns the -Top largest by -By (Vcpus, RamMb or DiskGb; ties by the other two), as Server objects: FlavorVcpus, FlavorRamMb and FlavorDiskGb hold the sizes, and they pipe on to Move-ServerLive and the other server cmdlets. Never a call per server. Needs an admin session. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-LargestServer -Top 20 -By RamMb | Format-Table Name, ProjectId, Host, Flavor, FlavorRamMb, FlavorVcpus</code>
    ///   <para>The twenty servers with the most memory, and where they run.</para>
    /// </example>
    /// <example>
    ///   <code>Get-LargestServer | Export-Csv ./largest-$(Get-Date -Format yyyy-MM-dd).csv</code>
    ///   <para>The weekly usage report's large-instance part.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LargestServer")]
    [OutputType(typeof(Server))]
    public sealed class GetLargestServerCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">How many servers to return (default 10).</para></summary>
        [Parameter(Position = 0)]
        [ValidateRange(1, int.MaxValue)]
        public int Top { get; set; } = 10;

        /// <summary><para type="description">What "largest" means: Vcpus (default), RamMb or DiskGb of the server's flavor.</para></summary>
        // (Text, not the engine's enum: a parameter's type is read before the module has loaded the engine.)
        [Parameter]
        [ValidateSet("Vcpus", "RamMb", "DiskGb")]
        public string By { get; set; } = "Vcpus";

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            WarnIfNotAdmin("nova lists other projects' servers only to admins.");
            try
            {
                var query = new LargestServerQuery(session.Compute);
                foreach (var server in Run(ct => query.ListAsync((ServerSizeKey)Enum.Parse(typeof(ServerSizeKey), By, true), Top, ct)))
                {
                    server.Cloud = session.Cloud;
                    server.Region = session.Region;
                    WriteObject(server);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "NovaListLargestServers", session.Cloud);
            }
        }
    }
}
