using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// The node cmdlets over real SSH against the devcloud's c01 (never c02/c03: other tests drain those).
    /// Every test leaves c01 as it found it (finally: DevcloudNodes.RestoreC01).
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class NodeDevcloudTests
    {
        private static readonly string C01 = DevcloudNodes.C01;

        private static PowerShellHost Connected(bool cloud = true)
        {
            Infrastructure.Devcloud.RequireUp();
            var host = new PowerShellHost();
            if (cloud) host.Run(Infrastructure.Devcloud.ConnectScript).ThrowOnErrors();
            host.Run(DevcloudNodes.ConnectC01AsOsops).ThrowOnErrors();
            return host;
        }

        private static string TempKnownHosts(params string[] lines)
        {
            string file = Path.Combine(Directory.CreateTempSubdirectory("osops-kh").FullName, "known_hosts");
            File.WriteAllLines(file, lines);
            return file;
        }

        [Fact]
        public void ConnectsAsOsopsVerifiesTheHostKeyReusesTheConnectionAndLoadsSshNetInTheModuleContext()
        {
            Infrastructure.Devcloud.RequireUp();
            using var host = new PowerShellHost();
            var r = host.Run(DevcloudNodes.ConnectC01AsOsops + " -PassThru");
            r.ThrowOnErrors();
            var info = Assert.Single(r.Output);
            Assert.Equal((string)DevcloudNodes.Node("c01")["hostKeyFingerprints"]["ssh-ed25519"], RunResult.Prop<string>(info, "HostKeyFingerprint"));
            Assert.True(RunResult.Prop<bool>(info, "UsesSudo"));

            r = host.Run($"Test-ComputeNodeHealth {C01} -NodeOnly -Verbose");
            r.ThrowOnErrors();
            Assert.Contains(r.Verbose, v => v.Contains("reusing the connection"));
            var health = Assert.Single(r.Output);
            Assert.Equal("Systemd", RunResult.Prop<string>(health, "InitSystem"));
            // The node's log dir is root-only: a matched AMQP line proves sudo -n worked for osops.
            Assert.True(RunResult.Prop<bool>(health, "AmqpConnected"), string.Join("; ", RunResult.Prop<string[]>(health, "Problems")));

            r = host.Run("Get-ComputeNodeConnection");
            var open = Assert.Single(r.Output);
            Assert.True(RunResult.Prop<int>(open, "CommandsRun") >= 5);

            r = host.Run("[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Renci.SshNet','BouncyCastle.Cryptography','Microsoft.Extensions.Logging.Abstractions' } | " +
                "ForEach-Object { '{0}|{1}' -f $_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name }");
            var lines = r.Output.Select(o => o.ToString()).ToArray();
            Assert.Contains("Renci.SshNet|DependencyLoadContext", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("Renci.SshNet|") && !l.EndsWith("|DependencyLoadContext"));
            host.Run($"Disconnect-ComputeNode {C01}").ThrowOnErrors();
            Assert.Empty(host.Run("Get-ComputeNodeConnection").Output);
        }

        [Fact]
        public void PasswordThroughAJumpHostWorksAndThePasswordAppearsNowhere()
        {
            Infrastructure.Devcloud.RequireUp();
            using var host = new PowerShellHost();
            var password = new SecureString();
            foreach (char c in "osrig-node") password.AppendChar(c);
            var vars = new Dictionary<string, object> { ["cred"] = new System.Management.Automation.PSCredential("osops", password) };
            // c02's sshd only forwards the TCP connection (nothing runs on c02); c01's host key is checked end to end.
            var r = host.Run($"Connect-ComputeNode {C01} -Address 127.0.0.1 -Port 2201 -Credential $cred -JumpHost osops@127.0.0.1:2202 -KnownHostsPath '{DevcloudNodes.KnownHosts}' -PassThru -Verbose -Debug; " +
                             $"Test-ComputeNodeHealth {C01} -NodeOnly -Verbose -Debug", vars);
            r.ThrowOnErrors();
            var info = r.Output.First();
            Assert.Equal("password", RunResult.Prop<string>(info, "Authentication"));
            Assert.Contains("127.0.0.1:2202", RunResult.Prop<string>(info, "JumpHost"));
            Assert.Equal((string)DevcloudNodes.Node("c01")["hostKeyFingerprints"]["ssh-ed25519"], RunResult.Prop<string>(info, "HostKeyFingerprint"));
            Assert.True(RunResult.Prop<bool>(r.Output[1], "ServiceActive"));
            Assert.Contains(r.Debug, d => d.Contains("sudo -n -- "));
            Assert.DoesNotContain("osrig-node", r.AllText);

            // A wrong password: an AuthenticationError that does not repeat what was typed.
            var wrong = new SecureString();
            foreach (char c in "not-the-password-42") wrong.AppendChar(c);
            vars["cred"] = new System.Management.Automation.PSCredential("osops", wrong);
            r = host.Run($"Connect-ComputeNode {C01} -Address 127.0.0.1 -Port 2201 -Credential $cred -KnownHostsPath '{DevcloudNodes.KnownHosts}' -Verbose", vars);
            var error = Assert.Single(r.Errors);
            Assert.Equal("NodeConnectAuthenticationFailed,OpenStackOps.Commands.Nodes.ConnectComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.DoesNotContain("not-the-password-42", r.AllText);
        }

        [Fact]
        public void AnUnknownHostKeyIsRefusedAcceptNewRecordsItAndAChangedKeyIsAlwaysRefused()
        {
            Infrastructure.Devcloud.RequireUp();
            using var host = new PowerShellHost();
            string connect(string kh) => $"Connect-ComputeNode {C01} -Address 127.0.0.1 -Port 2201 -KeyFile '{DevcloudNodes.KeyFile}' -KnownHostsPath '{kh}'";

            string empty = TempKnownHosts();
            var r = host.Run(connect(empty));
            Assert.StartsWith("NodeConnectHostKeyUnknown,", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, r.Errors[0].CategoryInfo.Category);
            Assert.Equal(C01, r.Errors[0].TargetObject);
            Assert.Contains((string)DevcloudNodes.Node("c01")["hostKeyFingerprints"]["ssh-ed25519"], r.Errors[0].Exception.Message);
            Assert.Empty(host.Run("Get-ComputeNodeConnection").Output);
            Assert.Equal("", File.ReadAllText(empty).Trim());

            r = host.Run(connect(empty) + " -AcceptNewHostKey -PassThru");
            r.ThrowOnErrors();
            Assert.True(RunResult.Prop<bool>(Assert.Single(r.Output), "HostKeyAdded"));
            Assert.StartsWith("[127.0.0.1]:2201 ssh-ed25519 ", File.ReadAllText(empty).Trim());

            // c02's keys recorded for c01's address: a changed key, refused even with -AcceptNewHostKey.
            var c02Lines = File.ReadAllLines(DevcloudNodes.KnownHosts).Where(l => l.StartsWith("[127.0.0.1]:2202 ")).Select(l => l.Replace("[127.0.0.1]:2202", "[127.0.0.1]:2201")).ToArray();
            string changed = TempKnownHosts(c02Lines);
            r = host.Run(connect(changed) + " -AcceptNewHostKey");
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("NodeConnectHostKeyChanged,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("ssh-keygen -R", error.ErrorDetails.RecommendedAction);
            Assert.Equal(c02Lines, File.ReadAllLines(changed).Where(l => l.Length > 0).ToArray());

            // The devcloud's known_hosts hashed by OpenSSH's ssh-keygen -H still verifies.
            string hashed = TempKnownHosts(File.ReadAllLines(DevcloudNodes.KnownHosts));
            using (var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/ssh-keygen", $"-H -f {hashed}") { RedirectStandardOutput = true, RedirectStandardError = true }))
                p.WaitForExit();
            Assert.All(File.ReadAllLines(hashed).Where(l => l.Length > 0), l => Assert.StartsWith("|1|", l));
            host.Run(connect(hashed)).ThrowOnErrors();
        }

        [Fact]
        public void StoppingNovaComputeOnC01MakesNovaReportItDownAndStartingBringsItBack()
        {
            using var host = Connected();
            try
            {
                var r = host.Run($"Stop-NodeComputeService {C01} -Pin -Wait -TimeoutSeconds 150 -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                var state = Assert.Single(r.Output);
                Assert.False(RunResult.Prop<bool>(state, "Active"));
                Assert.True(RunResult.Prop<bool>(state, "Pinned"));
                Assert.Equal("down", RunResult.Prop<string>(state, "NovaState"));
                // Seen by OpenSSH and by nova independently.
                Assert.Equal("masked-runtime", DevcloudNodes.Ssh("c01", "systemctl is-enabled nova-compute").stdout.Trim());
                Assert.NotEqual(0, DevcloudNodes.Ssh("c01", "systemctl is-active -q nova-compute").exit);
                Assert.Equal("down", RunResult.Prop<string>(host.Run("Get-ComputeNode c01").Output.Single(), "State"));
                // Configuration management starting it meanwhile fails.
                Assert.Contains("masked", DevcloudNodes.Ssh("c01", "systemctl start nova-compute").stderr);

                r = host.Run($"Test-ComputeNodeHealth {C01}");
                r.ThrowOnErrors();
                var health = Assert.Single(r.Output);
                Assert.False(RunResult.Prop<bool>(health, "Healthy"));
                Assert.False(RunResult.Prop<bool>(health, "ServiceActive"));
                Assert.False(RunResult.Prop<bool>(health, "ProcessRunning"));
                Assert.Equal("down", RunResult.Prop<string>(health, "NovaState"));
                Assert.NotEmpty(RunResult.Prop<string[]>(health, "RecentLogLines"));

                r = host.Run($"Start-NodeComputeService {C01} -Wait -TimeoutSeconds 150 -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                state = Assert.Single(r.Output);
                Assert.True(RunResult.Prop<bool>(state, "Active"));
                Assert.False(RunResult.Prop<bool>(state, "Pinned"));
                Assert.Equal("up", RunResult.Prop<string>(state, "NovaState"));
                Assert.Equal("enabled", DevcloudNodes.Ssh("c01", "systemctl is-enabled nova-compute").stdout.Trim());

                // The new process reaches RabbitMQ a moment after it starts.
                bool healthy = false;
                string problems = "";
                for (int i = 0; i < 30 && !healthy; i++)
                {
                    health = host.Run($"Test-ComputeNodeHealth {C01}").Output.Single();
                    healthy = RunResult.Prop<bool>(health, "Healthy");
                    problems = string.Join("; ", RunResult.Prop<string[]>(health, "Problems"));
                    if (!healthy) Thread.Sleep(2000);
                }
                Assert.True(healthy, problems);
                Assert.True(RunResult.Prop<bool>(health, "AmqpConnected"));
                Assert.Equal(RunResult.Prop<int?>(state, "MainPid"), RunResult.Prop<int?>(health, "ProcessId"));
            }
            finally
            {
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void TheSysVPinMovesTheInitFilesAwayAndStartPutsThemBack()
        {
            using var host = Connected(cloud: false);
            try
            {
                var r = host.Run($"Stop-NodeComputeService {C01} -InitSystem SysV -Pin -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Contains("init files moved", RunResult.Prop<string>(r.Output.Single(), "PinMethod"));
                Assert.NotEqual(0, DevcloudNodes.Ssh("c01", "test -e /etc/init/nova-compute.conf").exit);
                Assert.NotEqual(0, DevcloudNodes.Ssh("c01", "test -e /etc/init.d/nova-compute").exit);
                // What the guide wants: upstart's `start` and `service` cannot start it now.
                Assert.Contains("Unknown job", DevcloudNodes.Ssh("c01", "start nova-compute").stderr);
                Assert.Contains("unrecognized service", DevcloudNodes.Ssh("c01", "service nova-compute start").stderr);

                r = host.Run($"Start-NodeComputeService {C01} -InitSystem SysV -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                Assert.True(RunResult.Prop<bool>(r.Output.Single(), "Active"));
                Assert.Equal(0, DevcloudNodes.Ssh("c01", "test -e /etc/init/nova-compute.conf && test -x /etc/init.d/nova-compute").exit);
                Assert.Equal(0, DevcloudNodes.Ssh("c01", "systemctl is-active -q nova-compute").exit);
            }
            finally
            {
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void WhatIfShowsThePlanAndChangesNothing()
        {
            using var host = Connected();
            string id = (string)DevcloudNodes.Server("c01-db")["id"];
            var r = host.Run($"Stop-NodeComputeService {C01} -Pin -WhatIf -PassThru; Mount-InstanceDisk {id} -Justification 'plan only' -WhatIf; Restart-NodeServer {C01} -Hard -WhatIf");
            r.ThrowOnErrors();
            Assert.Equal("Planned", RunResult.Prop<string>(r.Output.Single(), "Action"));
            Assert.Equal(0, DevcloudNodes.Ssh("c01", "systemctl is-active -q nova-compute").exit);
            Assert.Equal("running", DevcloudNodes.DomainState((string)DevcloudNodes.Server("c01-db")["instanceName"]));
            Assert.Empty(DevcloudNodes.AttachedNbd());
        }

        [Fact]
        public void HardRebootBringsC01ServersBackToActiveAndNovaRecordsTheReboot()
        {
            using var host = Connected();
            try
            {
                // nova-compute must be up for nova to act (another test may just have restarted it).
                for (int i = 0; i < 45 && RunResult.Prop<string>(host.Run("Get-ComputeNode c01").Output.Single(), "State") != "up"; i++) Thread.Sleep(2000);
                var db = DevcloudNodes.Server("c01-db");
                var demo = DevcloudNodes.Server("c01-demo");
                var r = host.Run($"Restart-NodeServer {C01} -ServerId {db["id"]},{demo["id"]} -Hard -TimeoutSeconds 120 -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Equal(2, r.Output.Count);
                Assert.All(r.Output, o =>
                {
                    Assert.Equal("HardReboot", RunResult.Prop<string>(o, "Action"));
                    Assert.True(RunResult.Prop<bool>(o, "Succeeded"), RunResult.Prop<string>(o, "Message"));
                    Assert.Equal("ACTIVE", RunResult.Prop<string>(o, "Status"));
                    Assert.StartsWith("req-", RunResult.Prop<string>(o, "RequestId"));
                });
                foreach (var s in new[] { db, demo })
                {
                    string requestId = RunResult.Prop<string>(r.Output.Single(o => RunResult.Prop<string>(o, "ServerId") == (string)s["id"]), "RequestId");
                    Assert.Equal("reboot", Infrastructure.Devcloud.Sql($"select action from nova.instance_actions where instance_uuid='{s["id"]}' and request_id='{requestId}'").Single());
                }
            }
            finally
            {
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void AFileWrittenIntoTheDiskImageIsCopiedOutByteIdentical()
        {
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"], domain = (string)server["instanceName"];
            // ~96 KB of text in one line (what make-instance-disk.sh can carry), different every run.
            var random = new Random();
            string content = string.Concat(Enumerable.Range(0, 96 * 1024 / 16).Select(_ => Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64())).Substring(0, 11) + "-x:/\\"));
            DevcloudNodes.MakeDisk(id, "/root/osops-evidence.txt=" + content);
            string local = Directory.CreateTempSubdirectory("osops-copy").FullName;
            using var host = Connected();
            try
            {
                var r = host.Run($"$m = Mount-InstanceDisk {id} -Justification 'osops test: INC-4711 evidence' -Confirm:$false; $m; " +
                                 $"$m | Copy-InstanceDiskItem /root/osops-evidence.txt, /etc/hostname '{local}' -Confirm:$false");
                r.ThrowOnErrors();
                var mount = r.Output[0];
                Assert.True(RunResult.Prop<bool>(mount, "Mounted"));
                Assert.True(RunResult.Prop<bool>(mount, "ReadOnly"));
                Assert.True(RunResult.Prop<bool>(mount, "Suspended"));
                Assert.Equal("osops test: INC-4711 evidence", RunResult.Prop<string>(mount, "Justification"));
                string mp = RunResult.Prop<string>(mount, "MountPoint");
                Assert.Equal("/mnt/openstackops/" + id, mp);

                // While mounted, as OpenSSH sees c01: the domain is paused, the partition is mounted read-only.
                Assert.Equal("paused", DevcloudNodes.DomainState(domain));
                var mountLine = Assert.Single(DevcloudNodes.MountsUnder(mp));
                Assert.Matches(@"^/dev/nbd\d+p1 ", mountLine);
                Assert.Contains(" ro,", mountLine);
                Assert.Single(DevcloudNodes.AttachedNbd());
                Assert.Contains("justification=osops test: INC-4711 evidence", DevcloudNodes.SshOk("c01", "tail -n 5 /var/log/nova/openstackops-audit.log"));

                byte[] expected = System.Text.Encoding.UTF8.GetBytes(content + "\n");
                byte[] copied = File.ReadAllBytes(Path.Combine(local, "osops-evidence.txt"));
                Assert.Equal(expected, copied);
                Assert.Equal("c01-db\n", File.ReadAllText(Path.Combine(local, "hostname")));
                var item = r.Output[1];
                Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(expected)).ToLowerInvariant(), RunResult.Prop<string>(item, "Sha256"));
                Assert.Contains(r.Progress, p => p.Activity.Contains("osops-evidence.txt") && p.PercentComplete > 0);

                r = host.Run("$m | Dismount-InstanceDisk -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                Assert.False(RunResult.Prop<bool>(r.Output.Single(), "Mounted"));
                Assert.Equal("running", DevcloudNodes.DomainState(domain));
                Assert.Empty(DevcloudNodes.AttachedNbd());
                Assert.Empty(DevcloudNodes.MountsUnder("/mnt/openstackops"));
                Assert.NotEqual(0, DevcloudNodes.Ssh("c01", "test -e /var/lib/openstackops/mounts/" + id).exit);
            }
            finally
            {
                DevcloudNodes.RestoreC01();
                DevcloudNodes.MakeDisk(id);
            }
        }

        [Fact]
        public void AQcow2OverlayIsMountedThroughItsBackingFile()
        {
            // nova's default image backend: disk is a qcow2 overlay whose backing file lives in _base.
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"], domain = (string)server["instanceName"];
            DevcloudNodes.MakeDisk(id, true, "/root/osops-qcow2.txt=read through the overlay");
            string disk = $"/var/lib/nova/instances/{id}/disk";
            string info = DevcloudNodes.SshOk("c01", $"qemu-img info -U {disk}");
            Assert.Contains("file format: qcow2", info);
            Assert.Contains($"backing file: /var/lib/nova/instances/_base/osops-{id}", info);
            string local = Directory.CreateTempSubdirectory("osops-qcow2").FullName;
            using var host = Connected();
            try
            {
                var r = host.Run($"$m = Mount-InstanceDisk {id} -Justification 'osops test: qcow2' -Confirm:$false; $m; " +
                                 $"$m | Copy-InstanceDiskItem /root/osops-qcow2.txt, /etc/hostname '{local}' -Confirm:$false");
                r.ThrowOnErrors();
                var mounted = Assert.Single(RunResult.Prop<object[]>(r.Output[0], "Disks"));
                Assert.Equal("qcow2", RunResult.Prop<string>(System.Management.Automation.PSObject.AsPSObject(mounted), "Format"));
                Assert.Equal("paused", DevcloudNodes.DomainState(domain));
                Assert.Equal("read through the overlay\n", File.ReadAllText(Path.Combine(local, "osops-qcow2.txt")));
                Assert.Equal("c01-db\n", File.ReadAllText(Path.Combine(local, "hostname")));

                host.Run("$m | Dismount-InstanceDisk -Confirm:$false").ThrowOnErrors();
                Assert.Equal("running", DevcloudNodes.DomainState(domain));
                Assert.Empty(DevcloudNodes.AttachedNbd());
                Assert.Empty(DevcloudNodes.MountsUnder("/mnt/openstackops"));
                // The overlay and its base are as they were: the mount was read-only.
                Assert.Equal(info, DevcloudNodes.SshOk("c01", $"qemu-img info -U {disk}"));
            }
            finally
            {
                DevcloudNodes.RestoreC01();
                DevcloudNodes.MakeDisk(id);
            }
        }

        [Fact]
        public void DiskLocalIsMountedWholeDeviceAndDismountBySeverReadsTheNodesRecord()
        {
            var server = DevcloudNodes.Server("c01-web");
            string id = (string)server["id"], domain = (string)server["instanceName"];
            string local = Directory.CreateTempSubdirectory("osops-copy").FullName;
            using var host = Connected();
            try
            {
                var r = host.Run($"Mount-InstanceDisk c01-web -IncludeLocalDisk -Justification 'osops test: ephemeral' -Confirm:$false | Copy-InstanceDiskItem /data/README -Disk disk.local -Destination '{local}/readme.txt' -Confirm:$false");
                r.ThrowOnErrors();
                Assert.StartsWith("ephemeral disk (disk.local) of c01-web", File.ReadAllText(Path.Combine(local, "readme.txt")));
                Assert.Equal(2, DevcloudNodes.AttachedNbd().Length);
                Assert.Contains(DevcloudNodes.MountsUnder("/mnt/openstackops/" + id + "-local"), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^/dev/nbd\d+ "));

                // A new PowerShell session cleans up from what the node recorded.
                using var other = Connected();
                r = other.Run($"Dismount-InstanceDisk -Server c01-web -PassThru -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Equal(2, RunResult.Prop<object[]>(r.Output.Single(), "Disks").Length);
                Assert.Equal("running", DevcloudNodes.DomainState(domain));
                Assert.Empty(DevcloudNodes.AttachedNbd());
                Assert.Empty(DevcloudNodes.MountsUnder("/mnt/openstackops"));
            }
            finally
            {
                DevcloudNodes.RestoreC01();
            }
        }

        private static void AssertC01Clean(string domain)
        {
            Assert.Equal("running", DevcloudNodes.DomainState(domain));
            Assert.Empty(DevcloudNodes.MountsUnder("/mnt/openstackops/"));
        }

        [Fact]
        public void ABusyMountPointFailsTheMountAndUndoesConnectAndSuspend()
        {
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"], domain = (string)server["instanceName"];
            using var host = Connected();
            try
            {
                DevcloudNodes.SshOk("c01", $"mkdir -p /mnt/openstackops/{id} && mount -t tmpfs osops-test /mnt/openstackops/{id}");
                var r = host.Run($"Mount-InstanceDisk {id} -Justification 'osops test: busy' -Confirm:$false");
                var error = Assert.Single(r.Errors);
                Assert.StartsWith("NodeMountInstanceDiskBusy,", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
                Assert.Equal(id, error.TargetObject);
                Assert.Contains("undone", error.Exception.Message);
                Assert.NotNull(error.ErrorDetails?.RecommendedAction);
                Assert.Equal("running", DevcloudNodes.DomainState(domain));
                Assert.Empty(DevcloudNodes.AttachedNbd());
                Assert.Contains("mount-instance-disk failed server=" + id, DevcloudNodes.SshOk("c01", "tail -n 3 /var/log/nova/openstackops-audit.log"));
            }
            finally
            {
                DevcloudNodes.Ssh("c01", $"umount /mnt/openstackops/{id}");
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void AMissingPartitionFailsAfterConnectAndUndoesIt()
        {
            var server = DevcloudNodes.Server("c01-db");
            using var host = Connected();
            try
            {
                var r = host.Run($"Mount-InstanceDisk {server["id"]} -Partition 5 -Justification 'osops test: no such partition' -Confirm:$false");
                var error = Assert.Single(r.Errors);
                Assert.StartsWith("NodeMountInstanceDiskNotFound,", error.FullyQualifiedErrorId);
                Assert.Contains("no partition 5", error.Exception.Message);
                AssertC01Clean((string)server["instanceName"]);
                Assert.Empty(DevcloudNodes.AttachedNbd());
            }
            finally
            {
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void AConnectRefusedByQemuNbdsImageLockResumesTheDomain()
        {
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"];
            using var host = Connected();
            try
            {
                // Someone holds the image read-write (on the last device): qemu-nbd refuses even a read-only connect.
                DevcloudNodes.SshOk("c01", $"modprobe nbd max_part=8 && qemu-nbd -c /dev/nbd15 -f raw /var/lib/nova/instances/{id}/disk");
                var r = host.Run($"Mount-InstanceDisk {id} -Justification 'osops test: locked image' -Confirm:$false");
                var error = Assert.Single(r.Errors);
                Assert.Contains("lock", error.Exception.Message);
                AssertC01Clean((string)server["instanceName"]);
                Assert.Equal(new[] { "nbd15" }, DevcloudNodes.AttachedNbd());
            }
            finally
            {
                DevcloudNodes.Ssh("c01", "qemu-nbd -d /dev/nbd15");
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void ABusyMountAtDismountIsDetachedLazilyAndTheDomainStillResumes()
        {
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"];
            using var host = Connected();
            string pid = null;
            try
            {
                host.Run($"$m = Mount-InstanceDisk {id} -Justification 'osops test: busy at dismount' -Confirm:$false").ThrowOnErrors();
                // A process of ours sits in the mount point, as an operator's shell would.
                pid = DevcloudNodes.SshOk("c01", $"cd /mnt/openstackops/{id}/etc && (nohup sleep 300 >/dev/null 2>&1 & echo $!)").Trim();
                Assert.NotEqual(0, DevcloudNodes.Ssh("c01", $"umount /mnt/openstackops/{id}").exit); // really busy

                var r = host.Run("$m | Dismount-InstanceDisk -PassThru -Confirm:$false");
                Assert.Empty(r.Errors);
                Assert.Contains(r.Warnings, w => w.Contains("lazily"));
                AssertC01Clean((string)server["instanceName"]);
                Assert.Empty(DevcloudNodes.AttachedNbd());
            }
            finally
            {
                if (pid != null) DevcloudNodes.Ssh("c01", "kill " + pid);
                DevcloudNodes.RestoreC01();
            }
        }

        [Fact]
        public void ShellMetacharactersInNamesPathsAndJustificationsRunNothing()
        {
            var server = DevcloudNodes.Server("c01-db");
            string id = (string)server["id"];
            string tag = Guid.NewGuid().ToString("N");
            // /tmp is shared by the nodes and this machine: any of these files appearing means something ran.
            string[] canaries = Enumerable.Range(1, 5).Select(i => $"/tmp/osops-pwned-{tag}-{i}").ToArray();
            string justification = $"x'; touch {canaries[0]}; echo '$(touch {canaries[1]})`touch {canaries[2]}`\"; touch {canaries[3]} #";
            using var host = Connected();
            try
            {
                var vars = new Dictionary<string, object> { ["why"] = justification, ["path"] = $"/etc/hostname; touch {canaries[4]}", ["addr"] = $"127.0.0.1;touch {canaries[4]}" };
                var r = host.Run($"$m = Mount-InstanceDisk {id} -Justification $why -Confirm:$false; $m.Justification; " +
                                 "$m | Copy-InstanceDiskItem -Path $path -Destination ([System.IO.Path]::GetTempPath()) -Confirm:$false", vars);
                Assert.Equal(justification, r.Output[0].ToString());
                var copyError = Assert.Single(r.Errors);
                Assert.StartsWith("NodeCopyInstanceDiskItem", copyError.FullyQualifiedErrorId);
                Assert.Contains("justification=" + justification, DevcloudNodes.SshOk("c01", "tail -n 5 /var/log/nova/openstackops-audit.log"));
                host.Run("$m | Dismount-InstanceDisk -Confirm:$false").ThrowOnErrors();

                r = host.Run($"Connect-ComputeNode 'c09;touch {canaries[4]}' -Address $addr -Port 2201 -KeyFile '{DevcloudNodes.KeyFile}' -KnownHostsPath '{DevcloudNodes.KnownHosts}' -ConnectTimeoutSeconds 5", vars);
                Assert.Single(r.Errors);
                Assert.All(canaries, c => Assert.False(File.Exists(c), c + " exists: a metacharacter was interpreted"));
                Assert.Equal("running", DevcloudNodes.DomainState((string)server["instanceName"]));
            }
            finally
            {
                foreach (var c in canaries) if (File.Exists(c)) File.Delete(c);
                DevcloudNodes.RestoreC01();
            }
        }
    }
}
