using System.Management.Automation;
using System.Text.RegularExpressions;
using OpenStackOps.Commands.Nodes;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Logs;

namespace OpenStackOps.Commands.Logs
{
    /// <summary>
    /// <para type="synopsis">Returns the lines a service logged on a node in a time window: the log around a failing call.</para>
    /// <para type="description">The guide's `tail -f` of a service's log while a call fails, after the fact: the lines of /var/log/*/SERVICE.log on the node (over SSH, as root through sudo -n where needed) logged from -Around minus -Seconds to -Around plus -Seconds (or -Since to -Until), optionally only those containing -Contains, at most the last -MaxLines of each file. Times are the node's clock, as the log writes them: pipe a line of Find-RequestTrace to take its Time. Returns ServiceLogLine objects in time order. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-ServiceLog ctl01 -Service nova-scheduler,nova-conductor -Around $trace[-1].Time -Seconds 10</code>
    ///   <para>What the scheduler and the conductor logged 10 s either side of the request's last line.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ServiceLog c01.example.com -Service nova-compute -Since (Get-Date).ToUniversalTime().AddMinutes(-5) -Contains ERROR</code>
    ///   <para>nova-compute's errors of the last five minutes on c01 (a UTC node).</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ServiceLog", DefaultParameterSetName = "Around")]
    [OutputType(typeof(ServiceLogLine))]
    public sealed class GetServiceLogCommand : CancellableCmdlet
    {
        private static readonly Regex ServiceName = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$");

        /// <summary><para type="description">The node (controller or compute) whose logs to read. Binds the Host property of piped ServiceLogLine objects.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "Node", "ComputeNode", "ControllerNode")]
        [ValidateNotNullOrEmpty]
        public string NodeName { get; set; } = null!;

        /// <summary><para type="description">The services, by their log file's name (nova-api, nova-conductor, nova-scheduler, nova-compute, neutron-server, cinder-volume...): /var/log/*/NAME.log on the node.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Service { get; set; } = null!;

        /// <summary><para type="description">The middle of the window, node time (a ServiceLogLine's Time binds here).</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = "Around", ValueFromPipelineByPropertyName = true)]
        [Alias("Time")]
        public DateTime Around { get; set; }

        /// <summary><para type="description">How far either side of -Around (30).</para></summary>
        [Parameter(ParameterSetName = "Around")]
        [ValidateRange(1, 86400)]
        public int Seconds { get; set; } = 30;

        /// <summary><para type="description">The window's start, node time.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = "Range")]
        public DateTime Since { get; set; }

        /// <summary><para type="description">The window's end, node time (default: now by the node's clock, taken as this machine's UTC).</para></summary>
        [Parameter(ParameterSetName = "Range")]
        public DateTime Until { get; set; } = DateTime.MaxValue;

        /// <summary><para type="description">Only lines containing this text (a fixed string: a request id, an instance uuid, ERROR).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Contains { get; set; }

        /// <summary><para type="description">At most the last this many lines of each file (1000).</para></summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int MaxLines { get; set; } = 1000;

        protected override void ProcessRecord()
        {
            try
            {
                foreach (var s in Service)
                    if (!ServiceName.IsMatch(s))
                        throw new Node.Shell.NodeCommandException(Node.Shell.NodeErrorKind.InvalidArgument, NodeName, $"'{s}' is not a service's log name (letters, digits, . _ -).");
                DateTime from = ParameterSetName == "Around" ? Around.AddSeconds(-Seconds) : Since;
                DateTime to = ParameterSetName == "Around" ? Around.AddSeconds(Seconds) : (Until == DateTime.MaxValue ? DateTime.UtcNow.AddMinutes(1) : Until);
                var shell = NodeShells.Open(this, NodeName);
                var search = new ServiceLogSearch(shell) { MaxLinesPerFile = MaxLines };
                var lines = Run(ct => search.WindowAsync(Service.Select(s => "/var/log/*/" + s + ".log").ToList(), from, to, Contains, ct));
                if (search.Truncated.Count > 0)
                    WriteWarning($"Only the last {MaxLines} lines of the window in {string.Join(", ", search.Truncated)} were read: narrow the window or raise -MaxLines.");
                WriteObject(RequestTracer.Order(lines), true);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "GetServiceLog", NodeName);
            }
        }
    }
}
