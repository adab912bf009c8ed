using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Logs
{
    /// <summary>
    /// The guide's "determining which component is broken", for one API call: the lines that carry its request id in
    /// every log of the controllers and the compute nodes (nova-api, then conductor, scheduler, compute, and neutron's
    /// and cinder's lines of nova's calls, which log nova's id as their global request id), then one more round for the
    /// ids those lines carry alongside (neutron's and cinder's own request ids, a caller's global id) and, if asked,
    /// the instance's lines in the same time span. Returned in time order with host and service.
    /// </summary>
    public sealed class RequestTracer
    {
        private readonly IReadOnlyList<(INodeShell Shell, IReadOnlyList<string> Files)> _nodes;

        public RequestTracer(IReadOnlyList<(INodeShell Shell, IReadOnlyList<string> Files)> nodes) => _nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));

        public int MaxLinesPerFile { get; set; } = 500;
        /// <summary>Also the lines about the instances the request's lines name, from its first line to this long after its last.</summary>
        public TimeSpan? InstanceWindow { get; set; }
        /// <summary>Files cut at <see cref="MaxLinesPerFile"/>, as "host:path".</summary>
        public List<string> Truncated { get; } = new List<string>();

        public async Task<IReadOnlyList<ServiceLogLine>> TraceAsync(string requestId, CancellationToken ct)
        {
            if (!ServiceLogSearch.IsRequestId(requestId))
                throw new ArgumentException($"'{requestId}' is not an OpenStack request id (req- and a uuid).", nameof(requestId));
            var first = await GrepAllAsync(new[] { requestId }, ct).ConfigureAwait(false);
            // A line whose context carries the id is the request's own; one that only names it in its text is another
            // request about it (a GET of its instance action, an access-log line): kept, but its ids are not followed.
            foreach (var l in first) l.MatchedBy = Carries(l, requestId) ? "RequestId" : "Mentioned";
            var related = first.Where(l => l.MatchedBy == "RequestId").SelectMany(l => new[] { l.RequestId, l.GlobalRequestId })
                .Where(id => id != null && !string.Equals(id, requestId, StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
            // (the ! on these lists: their null ids were filtered out)
            var instances = InstanceWindow != null ? first.Where(l => l.MatchedBy == "RequestId").Select(l => l.InstanceId).Where(i => i != null).Distinct().ToList()! : new List<string>();
            var all = new List<ServiceLogLine>(first);
            if (related.Count + instances.Count > 0)
            {
                var second = await GrepAllAsync(related.Concat(instances).ToList()!, ct).ConfigureAwait(false);
                var times = first.Where(l => l.Time != null).Select(l => l.Time!.Value).ToList();
                DateTime? start = times.Count > 0 ? times.Min().AddSeconds(-1) : (DateTime?)null;
                DateTime? end = times.Count > 0 ? times.Max() + (InstanceWindow ?? TimeSpan.Zero) : (DateTime?)null;
                foreach (var l in second)
                {
                    string? by = related.FirstOrDefault(id => l.Line.Contains(id));
                    if (by != null) { l.MatchedBy = "Related " + by; all.Add(l); continue; }
                    // An instance's line outside the request's time span belongs to another story.
                    if (l.Time != null && start != null && l.Time >= start && l.Time <= end) { l.MatchedBy = "Instance " + l.InstanceId; all.Add(l); }
                }
            }
            return Order(all);
        }

        private static bool Carries(ServiceLogLine l, string id)
            => string.Equals(l.RequestId, id, StringComparison.OrdinalIgnoreCase) || string.Equals(l.GlobalRequestId, id, StringComparison.OrdinalIgnoreCase);

        /// <summary>Time order (lines without a time last), then host and service; each (host, line) once.</summary>
        public static IReadOnlyList<ServiceLogLine> Order(IEnumerable<ServiceLogLine> lines)
            => lines.GroupBy(l => (l.Host, l.Line)).Select(g => g.First())
                .OrderBy(l => l.Time ?? DateTime.MaxValue).ThenBy(l => l.Host, StringComparer.Ordinal).ThenBy(l => l.Service, StringComparer.Ordinal).ToList();

        private async Task<List<ServiceLogLine>> GrepAllAsync(IReadOnlyCollection<string> patterns, CancellationToken ct)
        {
            var searches = _nodes.Select(n => (n, Search: new ServiceLogSearch(n.Shell) { MaxLinesPerFile = MaxLinesPerFile })).ToList();
            var found = await Task.WhenAll(searches.Select(s => s.Search.GrepAsync(s.n.Files, patterns, ct))).ConfigureAwait(false);
            foreach (var s in searches) Truncated.AddRange(s.Search.Truncated);
            return found.SelectMany(f => f).ToList();
        }
    }
}
