using System.Diagnostics.CodeAnalysis;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Servers not started yet, first come first served, except that a server whose source host is at its per-host
    /// throttle lets the next one pass. Kept per host with the hosts ordered by their first waiting server, so a pick
    /// skips only full hosts (each has a move in flight: at most ThrottleLimit of them), never scans the whole line:
    /// the cost of a pick does not grow with the fleet. Touched by the run's loop only.
    /// </summary>
    internal sealed class WaitingLine
    {
        private readonly Dictionary<string, Queue<(long Seq, MigrationRequest Request)>> _byHost =
            new Dictionary<string, Queue<(long, MigrationRequest)>>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Each host with servers waiting, by the arrival number of its first one.</summary>
        private readonly SortedSet<(long Seq, string Host)> _heads = new SortedSet<(long, string)>(
            Comparer<(long Seq, string Host)>.Create((a, b) => a.Seq.CompareTo(b.Seq)));
        private long _arrivals;

        internal int Count { get; private set; }

        internal static string HostOf(MigrationRequest r) => r.Server.Host ?? "";

        internal void Add(MigrationRequest request)
        {
            string host = HostOf(request);
            long seq = ++_arrivals;
            if (!_byHost.TryGetValue(host, out var queue))
            {
                queue = new Queue<(long, MigrationRequest)>();
                _byHost[host] = queue;
            }
            if (queue.Count == 0) _heads.Add((seq, host));
            queue.Enqueue((seq, request));
            Count++;
        }

        /// <summary>The longest-waiting server whose host <paramref name="hasSlot"/> allows.</summary>
        internal bool TryTake(Func<string, bool> hasSlot, [NotNullWhen(true)] out MigrationRequest? request)
        {
            (long Seq, string Host)? pick = null;
            foreach (var head in _heads)
            {
                if (!hasSlot(head.Host)) continue;
                pick = head;
                break;
            }
            request = null;
            if (pick == null) return false;
            _heads.Remove(pick.Value);
            var queue = _byHost[pick.Value.Host];
            request = queue.Dequeue().Request;
            if (queue.Count > 0) _heads.Add((queue.Peek().Seq, pick.Value.Host));
            else _byHost.Remove(pick.Value.Host);
            Count--;
            return true;
        }

        /// <summary>Empties the line, in arrival order (the run was stopped: each still gets its result).</summary>
        internal List<MigrationRequest> TakeAll()
        {
            var all = new List<MigrationRequest>(Count);
            while (TryTake(_ => true, out var r)) all.Add(r);
            return all;
        }
    }
}
