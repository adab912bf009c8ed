using System.Text.Json;
using System.Text.Json.Serialization;
using OpenStackOps.Common;

namespace OpenStackOps.Database
{
    /// <summary>
    /// The pre-image journal of a database recovery, written before anything changes and updated after each
    /// commit: every row's pre-image, the exact statements, the target server and databases, timestamps and
    /// state. <see cref="DatabaseRecoveryStore.RestoreAsync"/> replays it. Never holds a password.
    /// </summary>
    public sealed class RecoveryJournal
    {
        public const string Planned = "planned", NovaCommitted = "nova-committed", NeutronCommitted = "neutron-committed", Applied = "applied",
            RolledBack = "rolled-back", Restored = "restored", NeedsRestore = "needs-restore";

        public int FormatVersion { get; set; } = 1;
        public string Tool { get; set; } = "OpenStackOps Move-ServerDatabaseRecord";
        public string State { get; set; } = Planned;
        public string? Server { get; set; }
        public string NovaDatabase { get; set; } = null!;
        public string NeutronDatabase { get; set; } = null!;
        public string FailedHost { get; set; } = null!;
        public string Destination { get; set; } = null!;
        public string? DestinationNode { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? NovaCommittedAt { get; set; }
        public DateTimeOffset? NeutronCommittedAt { get; set; }
        public DateTimeOffset? RestoredAt { get; set; }
        /// <summary>
        /// The highest nova.instance_actions id before the move. An action of a moved instance above it (a reboot,
        /// a start) means nova ran the server on the destination after the move. Null in journals written
        /// before this field: then NovaCommittedAt is the mark.
        /// </summary>
        public long? InstanceActionMark { get; set; }
        public List<InstanceRow> Instances { get; set; } = new List<InstanceRow>();
        public List<PortBindingRow> Bindings { get; set; } = new List<PortBindingRow>();
        public List<PortBindingLevelRow> Levels { get; set; } = new List<PortBindingLevelRow>();
        /// <summary>The servers' placement allocations moved with the rows: pre-images, generations, and which are moved.</summary>
        public List<AllocationMove> Allocations { get; set; } = new List<AllocationMove>();
        /// <summary>When every allocation was moved and read back; null before, and again after a restore put them back.</summary>
        public DateTimeOffset? PlacementCommittedAt { get; set; }
        public List<PlannedStatement> Statements { get; set; } = new List<PlannedStatement>();
        public List<string> Events { get; set; } = new List<string>();

        public static RecoveryJournal From(DatabaseRecoveryPlan plan) => new RecoveryJournal
        {
            Server = plan.DatabaseServer, NovaDatabase = plan.NovaDatabase, NeutronDatabase = plan.NeutronDatabase,
            FailedHost = plan.FailedHost, Destination = plan.Destination, DestinationNode = plan.DestinationNode,
            InstanceActionMark = plan.InstanceActionMark, CreatedAt = DateTimeOffset.UtcNow,
            Instances = plan.Instances, Bindings = plan.Bindings, Levels = plan.Levels, Allocations = plan.Allocations,
            Statements = new List<PlannedStatement>(plan.Statements),
        };

        public void Note(string text) => Events.Add(DateTimeOffset.UtcNow.ToString("o") + " " + text);

        /// <summary>The first write: refuses to replace an existing file (it may be the only record of an earlier change).</summary>
        public void WriteNew(string path)
        {
            JsonJournalFile.WriteNew(this, path);
        }

        /// <summary>Later writes: a new file renamed over the old one, so a crash leaves one or the other whole.</summary>
        public void Update(string path) => JsonJournalFile.Update(this, path);

        public static RecoveryJournal Read(string path)
        {
            try
            {
                var j = JsonJournalFile.Read<RecoveryJournal>(path);
                if (j == null || j.FormatVersion != 1 || j.FailedHost == null || j.Destination == null || j.NovaDatabase == null)
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.JournalInvalid, path, $"'{path}' is not a recovery journal of this module.");
                return j;
            }
            catch (JsonException e)
            {
                throw new DatabaseRecoveryException(DatabaseRecoveryError.JournalInvalid, path, $"'{path}' is not valid JSON: {e.Message}");
            }
        }
    }
}
