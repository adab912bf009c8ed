using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// The run record for a scheduled job: one JSON object per line per <see cref="FleetEvent"/>, appended as it
    /// happens (each line flushed), so `Get-Content run.jsonl | ConvertFrom-Json` or `jq` reads a run, also one that died.
    /// </summary>
    public sealed class FleetRunRecord
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };

        public FleetRunRecord(string? path) => Path = path;

        public string? Path { get; }

        public void Append(FleetEvent e)
        {
            if (Path == null || e == null) return;
            File.AppendAllText(Path, JsonSerializer.Serialize(e, Options) + "\n", new UTF8Encoding(false));
        }

        public void Append(FleetMaintenanceSummary summary)
        {
            if (Path == null || summary == null) return;
            var line = new
            {
                time = DateTimeOffset.UtcNow, @event = "Summary", status = summary.Status, nodesTotal = summary.NodesTotal, nodesDone = summary.NodesDone,
                nodesFailed = summary.NodesFailed, serversMoved = summary.ServersMoved, serversMovedBack = summary.ServersMovedBack,
                durationSeconds = summary.DurationSeconds, failures = summary.Failures,
            };
            File.AppendAllText(Path, JsonSerializer.Serialize(line, Options) + "\n", new UTF8Encoding(false));
        }
    }
}
