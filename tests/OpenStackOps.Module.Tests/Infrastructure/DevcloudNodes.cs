using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>
    /// The devcloud's SSH nodes seen independently of the module: OpenSSH's own client with the devcloud's
    /// ssh config (strict host key checking), and the seeded servers. The node tests change c01; only the per-node
    /// records test also changes c02, briefly, and restores it.
    /// </summary>
    public static class DevcloudNodes
    {
        public static string Dir => Devcloud.Directory;
        public static string KeyFile => Path.Combine(Dir, "ssh", "id_ed25519");
        public static string KnownHosts => Path.Combine(Dir, "ssh", "known_hosts");
        public const string C01 = "c01.example.com";

        /// <summary>Connect-ComputeNode for c01 as the unprivileged osops user (root commands through sudo -n).</summary>
        public static string ConnectC01AsOsops => ConnectAsOsops("c01");

        /// <summary>Connect-ComputeNode for a node as osops, on the node's own loopback SSH port.</summary>
        public static string ConnectAsOsops(string node)
            => $"Connect-ComputeNode {node}.example.com -Address 127.0.0.1 -Port {(int)Node(node)["port"]} -User osops -KeyFile '{KeyFile}' -KnownHostsPath '{KnownHosts}'";

        public static JsonNode Node(string shortName) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "nodes.json"))).AsArray().First(n => (string)n["short"] == shortName);

        /// <summary>A seeded server by name: id, instanceName, host.</summary>
        public static JsonNode Server(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "seed.json")))["servers"].AsArray().First(s => (string)s["name"] == name);

        /// <summary>Runs a shell line as root on a node through OpenSSH (the observer, not the code under test).</summary>
        public static (int exit, string stdout, string stderr) Ssh(string node, string line)
        {
            var psi = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-F", Path.Combine(Dir, "ssh", "config"), node, line }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            string o = p.StandardOutput.ReadToEnd(), e = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException(line); }
            return (p.ExitCode, o, e);
        }

        public static string SshOk(string node, string line)
        {
            var (exit, o, e) = Ssh(node, line);
            Assert.True(exit == 0, $"`{line}` on {node} exited {exit}: {e}");
            return o;
        }

        public static string DomainState(string domain, string node = "c01") => SshOk(node, "virsh domstate " + domain).Trim();

        /// <summary>nbd devices of a node that are attached (the contract: /sys/block/nbdN/pid exists).</summary>
        public static string[] AttachedNbd(string node = "c01")
            => Ssh(node, "for d in /sys/block/nbd*; do [ -e \"$d/pid\" ] && echo \"${d##*/}\"; done; true").stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public static string[] MountsUnder(string prefix, string node = "c01")
            => SshOk(node, "cat /proc/mounts").Split('\n').Where(l => l.Split(' ').Length > 1 && l.Split(' ')[1].StartsWith(prefix)).ToArray();

        /// <summary>Leaves c01 as the tests found it: nova-compute unpinned and running, no mount of ours, no device, every domain resumed.</summary>
        public static void RestoreC01() => Restore("c01");

        /// <summary>As <see cref="RestoreC01"/>, for any node.</summary>
        public static void Restore(string node)
        {
            Ssh(node,
                "for m in $(awk '$2 ~ \"^/mnt/openstackops/\" {print $2}' /proc/mounts); do umount -l \"$m\"; done; " +
                "for d in /sys/block/nbd*; do [ -e \"$d/pid\" ] && qemu-nbd -d /dev/${d##*/}; done; " +
                "for f in /var/lib/openstackops/mounts/*; do [ -e \"$f\" ] && { d=$(sed -n 's/^domain=//p' \"$f\"); [ \"$(virsh domstate $d | head -1)\" = paused ] && virsh resume $d; rm -f \"$f\"; }; done; " +
                "rmdir /mnt/openstackops/* 2>/dev/null; " +
                "[ -e /var/lib/openstackops/pinned/etc/init/nova-compute.conf ] && mv -n /var/lib/openstackops/pinned/etc/init/nova-compute.conf /etc/init/; " +
                "[ -e /var/lib/openstackops/pinned/etc/init.d/nova-compute ] && mv -n /var/lib/openstackops/pinned/etc/init.d/nova-compute /etc/init.d/; " +
                "[ \"$(systemctl is-enabled nova-compute)\" = masked-runtime ] && systemctl unmask --runtime nova-compute; rm -f /var/lib/openstackops/pinned-nova-compute; " +
                "systemctl is-active -q nova-compute || systemctl start nova-compute; true");
        }

        /// <summary>Rewrites a c01 server's disk image with extra files (tools/devcloud/make-instance-disk.sh).</summary>
        public static void MakeDisk(string serverId, params string[] files) => MakeDisk(serverId, false, files);

        /// <summary>As <see cref="MakeDisk(string, string[])"/>, for a server on another node.</summary>
        public static void MakeDiskOn(string node, string serverId, params string[] files) => MakeDisk(node, serverId, false, files);

        /// <summary>As <see cref="MakeDisk(string, string[])"/>; <paramref name="qcow2"/>: a qcow2 overlay on a raw base in _base, as nova lays it out.</summary>
        public static void MakeDisk(string serverId, bool qcow2, params string[] files) => MakeDisk("c01", serverId, qcow2, files);

        private static void MakeDisk(string node, string serverId, bool qcow2, params string[] files)
        {
            var psi = new ProcessStartInfo(Path.Combine(ModulePaths.RepositoryRoot, "tools", "devcloud", "make-instance-disk.sh")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (qcow2) psi.ArgumentList.Add("--qcow2");
            psi.ArgumentList.Add(node);
            psi.ArgumentList.Add(serverId);
            foreach (var f in files) psi.ArgumentList.Add(f);
            using var p = Process.Start(psi);
            string e = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, "make-instance-disk.sh failed: " + e);
        }
    }
}
