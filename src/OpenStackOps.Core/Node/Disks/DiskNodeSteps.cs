using System.Text.RegularExpressions;
using OpenStackOps.Http;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// What mounting and dismounting both do on the node: run a step (logged, recorded), write the audit line (syslog
    /// and <see cref="AuditLog"/>), read a domain's state and an image's format.
    /// </summary>
    internal sealed class DiskNodeSteps
    {
        public const string AuditLog = "/var/log/nova/openstackops-audit.log";
        private const string AuditScript =
            "logger -t openstackops -p auth.notice -- \"$2\" 2>/dev/null; " +
            "printf '%s %s %s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$(hostname)\" \"$2\" >> \"$1\"";

        public DiskNodeSteps(INodeShell shell, IApiLog? log)
        {
            Shell = shell;
            Log = log;
        }

        public INodeShell Shell { get; }
        public IApiLog? Log { get; }
        public string Node => Shell.NodeName;

        /// <summary>Runs a command that must succeed, and adds it to <paramref name="steps"/> (null: not recorded).</summary>
        public async Task Run(NodeCommand command, string step, List<string>? steps, CancellationToken ct)
        {
            Log?.Verbose($"{Node}: {step}: {command}");
            await Shell.RunCheckedAsync(command, step, ct).ConfigureAwait(false);
            steps?.Add(command.ToString());
        }

        public async Task AuditAsync(string message, CancellationToken ct)
            => await Shell.RunCheckedAsync(NodeCommand.Script(true, AuditScript, AuditLog, message), "Writing the audit line", ct).ConfigureAwait(false);

        public async Task<string> DomainStateAsync(string domain, CancellationToken ct)
        {
            var r = await Shell.RunCheckedAsync(NodeCommand.Root("virsh", "domstate", domain), "Reading the state of domain " + domain, ct).ConfigureAwait(false);
            return r.Lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "unknown";
        }

        /// <summary>qcow2 when the image starts with qcow2's magic ("QFI\xfb"), raw otherwise.</summary>
        public async Task<string> DetectFormatAsync(string image, CancellationToken ct)
        {
            var r = await Shell.RunCheckedAsync(NodeCommand.Root("od", "-An", "-tx1", "-N4", "--", image), "Reading the header of " + image, ct).ConfigureAwait(false);
            return Regex.Replace(r.StandardOutput, @"\s+", "") == "514649fb" ? "qcow2" : "raw";
        }
    }
}
