using System.Globalization;
using System.Text.RegularExpressions;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>The node's nbd devices: which are free, connecting an image to one, its partitions, whether one is in use.</summary>
    internal sealed class NbdDevices
    {
        private const string FreeScript =
            "for d in /sys/block/nbd*; do [ -e \"$d\" ] || continue; [ -e \"$d/pid\" ] || echo \"${d##*/}\"; done; exit 0";
        // The kernel lists a fresh device's partitions a moment after qemu-nbd returns: look again, $2 times at most.
        private const string PartitionsScript =
            "i=0; while :; do found=; for p in /sys/block/\"$1\"/\"$1\"p*; do [ -e \"$p\" ] && { echo \"${p##*/}\"; found=1; }; done; " +
            "[ -n \"$found\" ] || [ \"$i\" -ge \"$2\" ] && exit 0; i=$((i+1)); sleep 0.2; done";
        private readonly INodeShell _shell;

        public NbdDevices(INodeShell shell) => _shell = shell;

        internal static bool IsDevicePath(string? device) => Regex.IsMatch(device ?? "", @"^/dev/nbd\d+$");

        /// <summary>Connects the image to the first free device that takes it (another process may take one meanwhile); adds the command to <paramref name="steps"/>.</summary>
        public async Task<string> ConnectAsync(string image, string format, bool readOnly, List<string> steps, CancellationToken ct)
        {
            var free = await FreeAsync(ct).ConfigureAwait(false);
            if (free.Count == 0)
                throw new NodeCommandException(NodeErrorKind.Busy, _shell.NodeName,
                    $"No free nbd device on {_shell.NodeName}: every /sys/block/nbdN has a pid.")
                { RecommendedAction = "Dismount-InstanceDisk what is no longer needed, or disconnect stale devices with qemu-nbd -d." };
            CommandResult? lastFailure = null;
            foreach (var candidate in free.Take(4))
            {
                var words = new List<string> { "qemu-nbd", "-c", "/dev/" + candidate };
                if (readOnly) words.Add("-r");
                words.AddRange(new[] { "-f", format, image });
                var connect = NodeCommand.Root(words.ToArray());
                var result = await _shell.RunAsync(connect, ct).ConfigureAwait(false);
                if (result.ExitCode == 0)
                {
                    steps.Add(connect.ToString());
                    return "/dev/" + candidate;
                }
                lastFailure = result;
                if (!result.StandardError.Contains("Failed to set NBD socket")) break; // taken meanwhile: try the next one
            }
            // free is not empty: every round either returned or set lastFailure, whose exit code Check refuses
            NodeCommandException.Check(_shell, NodeCommand.Root("qemu-nbd"), lastFailure!, $"Connecting {image} to an nbd device");
            return null!; // Check threw
        }

        /// <summary>The device's partitions (nbd0p1, nbd0p2...) in number order, waiting up to <paramref name="waitRounds"/> × 0.2 s for them.</summary>
        public async Task<List<string>> PartitionsAsync(string device, int waitRounds, CancellationToken ct)
        {
            string name = device.Substring("/dev/".Length);
            var r = await _shell.RunCheckedAsync(NodeCommand.Script(true, PartitionsScript, name, waitRounds.ToString(CultureInfo.InvariantCulture)), "Listing the partitions of " + device, ct).ConfigureAwait(false);
            return r.Lines.Select(l => l.Trim()).Where(l => l.StartsWith(name + "p"))
                .OrderBy(l => int.TryParse(l.Substring(name.Length + 1), out int n) ? n : 99).ToList();
        }

        /// <summary>True while a qemu-nbd process serves the device.</summary>
        public async Task<bool> IsConnectedAsync(string device, CancellationToken ct)
            => await _shell.ExitCodeAsync(NodeCommand.Root("test", "-e", "/sys/block/" + device.Substring("/dev/".Length) + "/pid"), ct).ConfigureAwait(false) == 0;

        private async Task<List<string>> FreeAsync(CancellationToken ct)
        {
            var r = await _shell.RunCheckedAsync(NodeCommand.Script(true, FreeScript), "Looking for a free nbd device", ct).ConfigureAwait(false);
            return r.Lines.Select(l => l.Trim()).Where(l => Regex.IsMatch(l, @"^nbd\d+$"))
                .OrderBy(l => int.Parse(l.Substring(3), CultureInfo.InvariantCulture)).ToList();
        }
    }
}
