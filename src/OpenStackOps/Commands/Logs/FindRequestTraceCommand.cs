using System.Management.Automation;
using System.Text.RegularExpressions;
using OpenStackOps.Commands.Nodes;
using OpenStackOps.Http;
using OpenStackOps.Infrastructure;
using OpenStackOps.Node.Logs;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Commands.Logs
{
    /// <summary>
    /// <para type="synopsis">Follows an API request through the logs of the controller and the compute nodes over SSH, and returns its lines in time order with host and service.</para>
    /// <para type="description">The guide's "determining which component is broken" for one call, without the "wash, rinse, repeat" of grep on each node. Takes a request id (req-uuid: every OpenStackOps error from an API carries the one the service answered with, and Test-ControlPlaneHealth's probes have theirs), or the error record itself ($Error[0]). Greps (fixed strings, as root through sudo -n where needed) the service logs of -ControllerNode (/var/log/nova, neutron, cinder, glance, placement, keystone: nova-api, nova-conductor, nova-scheduler, neutron-server, cinder-*...) and the nova-compute log of each -ComputeNode, all nodes at once. Then it follows the ids those lines carry alongside: neutron's and cinder's own request ids for nova's calls (they log nova's id as the global request id) and a caller's global id, in one more round; with -InstanceWindowSeconds also the lines about the instance the request touched, from its first line to that many seconds after its last. Each file gives at most -MaxLinesPerFile lines (a warning names the files that had more). Returns ServiceLogLine objects: Time (the node's clock), Host, Service, Level, RequestId, GlobalRequestId, InstanceId, MatchedBy, Message. Nothing is changed.</para>
    /// <example>
    ///   <code>$Error[0] | Find-RequestTrace -ControllerNode ctl01 -ComputeNode c01,c02</code>
    ///   <para>The last error's request through nova-api, conductor, scheduler and the computes, in order.</para>
    /// </example>
    /// <example>
    ///   <code>Find-RequestTrace req-6a0ca292-c464-4229-8ef2-b5a451b99d94 -ControllerNode ctl01 | Where-Object Level -in ERROR, WARNING</code>
    ///   <para>Only what went wrong along the way.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "RequestTrace", DefaultParameterSetName = "Error")]
    [OutputType(typeof(ServiceLogLine))]
    public sealed class FindRequestTraceCommand : CancellableCmdlet
    {
        private static readonly Regex ReqId = new Regex(@"req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

        /// <summary><para type="description">The request id (req-uuid). Binds the RequestId property of piped objects (Test-ControlPlaneHealth's components, ServiceLogLine).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Id", ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
        public string RequestId { get; set; } = null!;

        /// <summary><para type="description">An error record of a failed call ($Error[0], or -ErrorVariable's), or any object with a RequestId property (a Move-ServerLive result, a Test-ControlPlaneHealth component): its request id is traced.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = "Error", ValueFromPipeline = true)]
        [Alias("ErrorRecord")]
        public PSObject InputObject { get; set; } = null!;

        /// <summary><para type="description">The controller nodes whose service logs are searched (reached as Connect-ComputeNode or ~/.ssh/config set them up).</para></summary>
        [Parameter]
        [Alias("Controller")]
        [ValidateNotNullOrEmpty]
        public string[]? ControllerNode { get; set; }

        /// <summary><para type="description">The compute nodes whose nova-compute log is searched.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Infrastructure.Completion.ComputeHostCompleter))]
        public string[]? ComputeNode { get; set; }

        /// <summary><para type="description">Also the lines about the instance the request touched, up to this many seconds after the request's last line (0: not followed).</para></summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int InstanceWindowSeconds { get; set; }

        /// <summary><para type="description">At most this many lines from any one file (500).</para></summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int MaxLinesPerFile { get; set; } = 500;

        protected override void BeginProcessing()
        {
            if ((ControllerNode == null || ControllerNode.Length == 0) && (ComputeNode == null || ComputeNode.Length == 0))
                ThrowTerminatingError(ErrorRecords.FromException(new NodeCommandException(NodeErrorKind.InvalidArgument, null,
                    "Give the nodes whose logs to search: -ControllerNode and/or -ComputeNode."), "FindRequestTrace", null));
        }

        protected override void ProcessRecord()
        {
            string? id = RequestId;
            if (ParameterSetName == "Error")
            {
                // An ErrorRecord does not bind to a parameter of its own type from the pipeline: take the object and look.
                var record = InputObject?.BaseObject as ErrorRecord;
                id = record != null ? RequestIdOf(record) : InputObject?.Properties["RequestId"]?.Value as string;
                if (id == null || !ReqId.IsMatch(id))
                {
                    WriteError(ErrorRecords.Make(record != null
                            ? "The error record carries no request id (it did not come from an API answer): nothing to trace."
                            : $"The piped {InputObject?.BaseObject?.GetType().Name ?? "object"} has no request id: nothing to trace.",
                        "FindRequestTraceNoRequestId", ErrorCategory.InvalidArgument, record?.FullyQualifiedErrorId ?? InputObject?.ToString(),
                        "Pass an error of a failed API call, or the request id with -RequestId."));
                    return;
                }
            }
            try
            {
                var nodes = new List<(INodeShell, IReadOnlyList<string>)>();
                foreach (var c in ControllerNode ?? new string[0]) nodes.Add((NodeShells.Open(this, c), ServiceLogSearch.ControllerLogs));
                foreach (var c in ComputeNode ?? new string[0]) nodes.Add((NodeShells.Open(this, c), ServiceLogSearch.ComputeLogs));
                var tracer = new RequestTracer(nodes)
                {
                    MaxLinesPerFile = MaxLinesPerFile,
                    InstanceWindow = InstanceWindowSeconds > 0 ? TimeSpan.FromSeconds(InstanceWindowSeconds) : (TimeSpan?)null,
                };
                var lines = Run(ct => tracer.TraceAsync(id, ct));
                if (tracer.Truncated.Count > 0)
                    WriteWarning($"Only the first {MaxLinesPerFile} matching lines of {string.Join(", ", tracer.Truncated.Distinct())} were read: raise -MaxLinesPerFile to see the rest.");
                if (lines.Count == 0)
                    WriteWarning($"No line of {string.Join(", ", (ControllerNode ?? new string[0]).Concat(ComputeNode ?? new string[0]))} carries {id}: the logs may have rotated, or the request went to another controller.");
                WriteObject(lines, true);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "FindRequestTrace", id);
            }
        }

        /// <summary>The request id of a failed API call or move: the exception's (or an inner one's), else one named in the message or recommended action.</summary>
        internal static string? RequestIdOf(ErrorRecord record)
        {
            for (var e = record.Exception; e != null; e = e.InnerException)
            {
                if (e is OpenStackApiException api && api.RequestId != null && ReqId.IsMatch(api.RequestId)) return api.RequestId;
                if (e is Maintenance.MigrationFailedException moved && moved.Result?.RequestId != null && ReqId.IsMatch(moved.Result.RequestId)) return moved.Result.RequestId;
            }
            foreach (var text in new[] { record.ErrorDetails?.RecommendedAction, record.ErrorDetails?.Message, record.Exception?.Message })
            {
                var m = text == null ? null : ReqId.Match(text);
                if (m != null && m.Success) return m.Value;
            }
            return null;
        }
    }
}
