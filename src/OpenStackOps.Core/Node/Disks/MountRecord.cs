using System.Globalization;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// The on-node record of a mount (one key=value per line under <see cref="Directory"/>), so that a later session,
    /// or another operator, can dismount what Mount-InstanceDisk left mounted.
    /// </summary>
    public static class MountRecord
    {
        public const string Directory = "/var/lib/openstackops/mounts";
        internal const string WriteScript = "f=$1; shift; mkdir -p \"${f%/*}\" && printf '%s\\n' \"$@\" > \"$f\"";

        public static string PathFor(string serverId) => Directory + "/" + serverId;

        /// <summary>The mount recorded on the node for a server, or null.</summary>
        public static async Task<InstanceDiskMount?> ReadAsync(INodeShell shell, string serverId, CancellationToken ct)
        {
            if (!Guid.TryParse(serverId, out _)) throw new ArgumentException("Not a server UUID: " + serverId);
            var r = await shell.RunAsync(NodeCommand.Root("cat", "--", PathFor(serverId)), ct).ConfigureAwait(false);
            return r.ExitCode != 0 ? null : Parse(r.Lines, shell.NodeName);
        }

        internal static IEnumerable<string> Lines(InstanceDiskMount m)
        {
            yield return "server=" + m.ServerId;
            yield return "name=" + OneLine(m.ServerName ?? "");
            yield return "domain=" + m.Domain;
            yield return "state-before=" + m.DomainStateBefore;
            yield return "suspended=" + (m.Suspended ? "yes" : "no");
            yield return "read-only=" + (m.ReadOnly ? "yes" : "no");
            yield return "by=" + OneLine(m.MountedBy ?? "");
            yield return "at=" + m.MountedAt.ToString("o", CultureInfo.InvariantCulture);
            foreach (var d in m.Disks)
                yield return "disk=" + string.Join("|", d.Disk, d.ImagePath, d.Format, d.Device, d.MountedDevice, d.FileSystem ?? "", d.MountPoint);
            yield return "justification=" + OneLine(m.Justification ?? "");
        }

        internal static InstanceDiskMount Parse(IEnumerable<string> lines, string node)
        {
            var m = new InstanceDiskMount { Node = node, Mounted = true };
            var disks = new List<MountedDisk>();
            foreach (var line in lines)
            {
                int eq = line.IndexOf('=');
                if (eq <= 0) continue;
                string k = line.Substring(0, eq), v = line.Substring(eq + 1);
                switch (k)
                {
                    case "server": m.ServerId = v; break;
                    case "name": m.ServerName = v.Length == 0 ? null : v; break;
                    case "domain": m.Domain = v; break;
                    case "state-before": m.DomainStateBefore = v; break;
                    case "suspended": m.Suspended = v == "yes"; break;
                    case "read-only": m.ReadOnly = v == "yes"; break;
                    case "by": m.MountedBy = v; break;
                    case "at": if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) m.MountedAt = at; break;
                    case "justification": m.Justification = v; break;
                    case "disk":
                        var f = v.Split('|');
                        if (f.Length == 7)
                            disks.Add(new MountedDisk { Disk = f[0], ImagePath = f[1], Format = f[2], Device = f[3], MountedDevice = f[4], FileSystem = f[5].Length == 0 ? null : f[5], MountPoint = f[6] });
                        break;
                }
            }
            m.Disks = disks.ToArray();
            return m;
        }

        /// <summary>A value on one line (a record line, an audit line).</summary>
        internal static string OneLine(string? s) => System.Text.RegularExpressions.Regex.Replace(s ?? "", @"[\r\n\t]+", " ").Trim();
    }
}
