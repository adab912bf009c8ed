using System.Text.RegularExpressions;

namespace OpenStackOps.Node.Disks
{
    /// <summary>What to mount: a server's disk (and disk.local), how, and why.</summary>
    public sealed class InstanceDiskRequest
    {
        public const string DefaultMountRoot = "/mnt/openstackops";
        private static readonly Regex DomainName = new Regex(@"^[A-Za-z0-9_.:-]{1,128}$");

        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        /// <summary>The libvirt domain name (OS-EXT-SRV-ATTR:instance_name).</summary>
        public string Domain { get; set; } = null!;
        public bool IncludeLocalDisk { get; set; }
        /// <summary>Partition number of the root disk; null: the first partition, or the whole device if it has none; 0: the whole device.</summary>
        public int? Partition { get; set; }
        public bool ReadWrite { get; set; }
        /// <summary>raw, qcow2, or null to read the image header.</summary>
        public string? Format { get; set; }
        public string Justification { get; set; } = null!;
        /// <summary>Who asked (the local user), for the node's audit log.</summary>
        public string? RequestedBy { get; set; }
        public string InstancesPath { get; set; } = "/var/lib/nova/instances";
        public string MountRoot { get; set; } = DefaultMountRoot;

        internal IEnumerable<string> DiskNames => IncludeLocalDisk ? new[] { "disk", "disk.local" } : new[] { "disk" };

        internal string ImagePath(string diskName) => InstancesPath.TrimEnd('/') + "/" + ServerId + "/" + diskName;

        internal string MountPointFor(string diskName) => MountRoot.TrimEnd('/') + "/" + ServerId + (diskName == "disk" ? "" : "-local");

        /// <summary>Refuses what could not be quoted safely or would not be nova's; normalises the server id.</summary>
        internal void Validate()
        {
            if (!Guid.TryParse(ServerId, out var id) || id.ToString("D") != ServerId.ToLowerInvariant())
                throw new ArgumentException($"'{ServerId}' is not a server UUID.");
            ServerId = id.ToString("D");
            if (string.IsNullOrEmpty(Domain) || !DomainName.IsMatch(Domain))
                throw new ArgumentException($"'{Domain}' is not a libvirt domain name nova would give (instance-XXXXXXXX).");
            if (string.IsNullOrWhiteSpace(Justification))
                throw new ArgumentException("A justification is required: say why this instance's disk is opened.");
            if (Format != null && Format != "raw" && Format != "qcow2")
                throw new ArgumentException("Format must be raw or qcow2.");
            if (Partition < 0 || Partition > 64) throw new ArgumentException("Partition must be 0-64.");
            ValidatePath(InstancesPath, "instances path");
            ValidatePath(MountRoot, "mount root");
        }

        internal static void ValidatePath(string path, string what)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Split('/').Any(p => p == ".." || p == ".") || path.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0)
                throw new ArgumentException($"The {what} must be an absolute path without . or .. components: '{path}'.");
        }
    }
}
