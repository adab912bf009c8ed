using System.Text.Json.Nodes;
using OpenStackOps.Http;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// A migration record, from os-migrations or /servers/{id}/migrations. The memory and disk figures are
    /// only in the per-server view of an in-progress live migration (2.23+); nova reports disk bytes as 0
    /// even for block migrations.
    /// </summary>
    public sealed class MigrationRecord
    {
        /// <summary>The integer id, which the abort and force-complete URLs take.</summary>
        public long Id { get; set; }
        /// <summary>The migration UUID (2.59+).</summary>
        public string? Uuid { get; set; }
        /// <summary>The server (instance) UUID.</summary>
        public string? InstanceUuid { get; set; }
        /// <summary>live-migration, migration, resize or evacuation (2.23+ in os-migrations; null before).</summary>
        public string? MigrationType { get; set; }
        public string? Status { get; set; }
        public string? SourceCompute { get; set; }
        public string? SourceNode { get; set; }
        public string? DestCompute { get; set; }
        public string? DestNode { get; set; }
        /// <summary>The destination's IP address as nova records it.</summary>
        public string? DestHost { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        /// <summary>2.80+.</summary>
        public string? ProjectId { get; set; }
        /// <summary>2.80+.</summary>
        public string? UserId { get; set; }
        public long? MemoryTotalBytes { get; set; }
        public long? MemoryProcessedBytes { get; set; }
        public long? MemoryRemainingBytes { get; set; }
        public long? DiskTotalBytes { get; set; }
        public long? DiskProcessedBytes { get; set; }
        public long? DiskRemainingBytes { get; set; }

        public override string ToString() => $"{MigrationType ?? "migration"} {Id} {Status} {SourceCompute} -> {DestCompute}";

        internal static MigrationRecord FromJson(JsonNode m) => new MigrationRecord
        {
            Id = m.Long("id") ?? 0,
            Uuid = m.Str("uuid"),
            // os-migrations says instance_uuid, /servers/{id}/migrations says server_uuid.
            InstanceUuid = m.Str("instance_uuid") ?? m.Str("server_uuid"),
            MigrationType = m.Str("migration_type"),
            Status = m.Str("status"),
            SourceCompute = m.Str("source_compute"),
            SourceNode = m.Str("source_node"),
            DestCompute = m.Str("dest_compute"),
            DestNode = m.Str("dest_node"),
            DestHost = m.Str("dest_host"),
            CreatedAt = m.Date("created_at"),
            UpdatedAt = m.Date("updated_at"),
            ProjectId = m.Str("project_id"),
            UserId = m.Str("user_id"),
            MemoryTotalBytes = m.Long("memory_total_bytes"),
            MemoryProcessedBytes = m.Long("memory_processed_bytes"),
            MemoryRemainingBytes = m.Long("memory_remaining_bytes"),
            DiskTotalBytes = m.Long("disk_total_bytes"),
            DiskProcessedBytes = m.Long("disk_processed_bytes"),
            DiskRemainingBytes = m.Long("disk_remaining_bytes"),
        };
    }
}
