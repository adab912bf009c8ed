using System.Text.Json;
using System.Text.Json.Serialization;
using OpenStackOps.Common;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// The record of a storage node taken out of the rings, written on the operator's machine before anything changes
    /// and updated after each step: each removed device's parameters (region, zone, ip, port, replication ip and port,
    /// device, weight, meta), the ring host, where the builders and ring files were backed up, the nodes the ring files
    /// went to. <c>Restore-SwiftStorageNode -JournalPath</c> puts the devices back from it.
    /// </summary>
    public sealed class SwiftRingJournal
    {
        public const string Planned = "planned", Removed = "removed", RolledBack = "rolled-back", Inconsistent = "inconsistent",
            PutBack = "put-back", PutBackPending = "put-back-pending";

        public int FormatVersion { get; set; } = 1;
        public string Tool { get; set; } = "OpenStackOps Remove-SwiftStorageNode";
        public string State { get; set; } = Planned;
        /// <summary>The node as the operator named it.</summary>
        public string Node { get; set; } = null!;
        /// <summary>The IP its devices have in the rings.</summary>
        public string NodeIp { get; set; } = null!;
        public string RingHost { get; set; } = null!;
        public string BuilderDirectory { get; set; } = null!;
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? RemovedAt { get; set; }
        public DateTimeOffset? PutBackAt { get; set; }
        public List<SwiftJournalRing> Rings { get; set; } = new List<SwiftJournalRing>();
        /// <summary>The nodes the ring files were copied to.</summary>
        public List<string> Nodes { get; set; } = new List<string>();
        public List<string> Events { get; set; } = new List<string>();

        public void Note(string text) => Events.Add(DateTimeOffset.UtcNow.ToString("o") + " " + text);

        /// <summary>The first write: refuses to replace an existing file (it may be the only record of an earlier removal).</summary>
        public void WriteNew(string path)
        {
            try
            {
                JsonJournalFile.WriteNew(this, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SwiftRingException(SwiftRingError.JournalUnwritable, path,
                    File.Exists(path) ? $"The journal {path} exists already (it may record an earlier removal): nothing was changed."
                        : $"The journal {path} cannot be written ({e.Message}): nothing was changed.", e) { JournalPath = path };
            }
        }

        /// <summary>Later writes: a new file renamed over the old one, so a crash leaves one or the other whole.</summary>
        public void Update(string path) => JsonJournalFile.Update(this, path);

        public static SwiftRingJournal Read(string path)
        {
            try
            {
                var j = JsonJournalFile.Read<SwiftRingJournal>(path);
                if (j == null || j.FormatVersion != 1 || j.NodeIp == null || j.RingHost == null || j.Rings == null || j.Rings.Count == 0)
                    throw new SwiftRingException(SwiftRingError.JournalInvalid, path, $"'{path}' is not a Swift ring journal of this module.") { JournalPath = path };
                return j;
            }
            catch (JsonException e)
            {
                throw new SwiftRingException(SwiftRingError.JournalInvalid, path, $"'{path}' is not valid JSON: {e.Message}", e) { JournalPath = path };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SwiftRingException(SwiftRingError.JournalInvalid, path, $"'{path}' cannot be read: {e.Message}", e) { JournalPath = path };
            }
        }
    }

    /// <summary>One ring in the journal: its builder, backups and the node's devices as they were.</summary>
    public sealed class SwiftJournalRing
    {
        public string Ring { get; set; } = null!;
        public string BuilderPath { get; set; } = null!;
        public string RingFilePath { get; set; } = null!;
        public double Replicas { get; set; }
        public int MinPartHours { get; set; }
        public string? BuilderMd5Before { get; set; }
        public string? RingFileMd5Before { get; set; }
        /// <summary>Copies of the builder and ring file taken on the ring host before the change.</summary>
        public string? BuilderBackup { get; set; }
        public string? RingFileBackup { get; set; }
        public List<SwiftJournalDevice> Devices { get; set; } = new List<SwiftJournalDevice>();
    }

    /// <summary>A removed device's parameters, enough for <c>swift-ring-builder add</c> to recreate it.</summary>
    public sealed class SwiftJournalDevice
    {
        public int Id { get; set; }
        public int Region { get; set; }
        public int Zone { get; set; }
        public string Ip { get; set; } = null!;
        public int Port { get; set; }
        public string ReplicationIp { get; set; } = null!;
        public int ReplicationPort { get; set; }
        public string Device { get; set; } = null!;
        public double Weight { get; set; }
        public string? Meta { get; set; }
        public int Partitions { get; set; }

        public static SwiftJournalDevice From(SwiftRingDevice d) => new SwiftJournalDevice
        {
            Id = d.Id, Region = d.Region, Zone = d.Zone, Ip = d.Ip, Port = d.Port, ReplicationIp = d.ReplicationIp,
            ReplicationPort = d.ReplicationPort, Device = d.Device, Weight = d.Weight, Meta = d.Meta ?? "", Partitions = d.Partitions,
        };

        public SwiftRingDevice ToDevice(string ring) => new SwiftRingDevice
        {
            Ring = ring, Id = Id, Region = Region, Zone = Zone, Ip = Ip, Port = Port, ReplicationIp = ReplicationIp,
            ReplicationPort = ReplicationPort, Device = Device, Weight = Weight, Meta = Meta ?? "", Partitions = Partitions,
        };
    }
}
