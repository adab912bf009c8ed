using System.Text;
using System.Text.Json;

namespace OpenStackOps.Maintenance.Fleet
{
    /// <summary>
    /// Where a fleet run stands, written after every step (JSON, replaced atomically), so a run started again with
    /// the same file goes on where the last one stopped and never redoes a node that is Done.
    /// </summary>
    public sealed class FleetState
    {
        public int Version { get; set; } = 1;
        public string? Reason { get; set; }
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public int Waves { get; set; }
        public List<FleetNodeState> Nodes { get; set; } = new List<FleetNodeState>();

        public FleetNodeState? Node(string host) => Nodes.FirstOrDefault(n => string.Equals(n.Host, host, StringComparison.OrdinalIgnoreCase));

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = true };

        public static FleetState? Load(string? path)
        {
            if (path == null || !File.Exists(path)) return null;
            try
            {
                var state = JsonSerializer.Deserialize<FleetState>(File.ReadAllText(path, Encoding.UTF8), Json);
                if (state?.Nodes == null || state.Version != 1) throw new JsonException("not a fleet state file of version 1");
                return state;
            }
            catch (Exception e) when (e is JsonException || e is NotSupportedException)
            {
                throw new FleetMaintenanceException(FleetFailure.StateInvalid, null,
                    $"The state file {path} cannot be read as a fleet run's state: {e.Message}",
                    "Give the -StatePath of the run to resume, or a new path to start over (the nodes' real state is nova's: Get-ComputeNode).", e);
            }
        }

        /// <summary>Writes to a temporary file next to it and moves it into place, so a crash never leaves half a file.</summary>
        public void Save(string? path)
        {
            if (path == null) return;
            string temp = path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(this, Json), new UTF8Encoding(false));
            if (File.Exists(path)) File.Replace(temp, path, null);
            else File.Move(temp, path);
        }
    }

    /// <summary>One node's progress: Pending, Disabled, Drained, Maintained, Checked, Enabled, Done (the last step it completed).</summary>
    public sealed class FleetNodeState
    {
        public string Host { get; set; } = null!;
        public string Step { get; set; } = FleetSteps.Pending;
        public int? Wave { get; set; }
        /// <summary>Set when the node's last attempt failed; the next run retries from <see cref="Step"/>.</summary>
        public string? ErrorId { get; set; }
        public string? Error { get; set; }
        public string? FailedStep { get; set; }
        public List<FleetServerRecord> Moves { get; set; } = new List<FleetServerRecord>();
        public DateTimeOffset? FinishedAt { get; set; }
    }

    /// <summary>A server the run moved off a node: where it went and whether it came back.</summary>
    public sealed class FleetServerRecord
    {
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string? SourceHost { get; set; }
        public string? Destination { get; set; }
        public string Status { get; set; } = null!;
        public string? Message { get; set; }
        public bool MovedBack { get; set; }
    }

    public static class FleetSteps
    {
        public const string Pending = "Pending";
        public const string Disabled = "Disabled";
        public const string Drained = "Drained";
        public const string Maintained = "Maintained";
        public const string Checked = "Checked";
        public const string Enabled = "Enabled";
        public const string Done = "Done";

        internal static readonly string[] Order = { Pending, Disabled, Drained, Maintained, Checked, Enabled, Done };

        internal static int Rank(string step) => Array.IndexOf(Order, step);
    }
}
