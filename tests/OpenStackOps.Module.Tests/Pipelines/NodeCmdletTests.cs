using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>The node cmdlets' parameters, plans and errors, with no node needed.</summary>
    public class NodeCmdletTests
    {
        private static SecureString Secure(string s)
        {
            var ss = new SecureString();
            foreach (char c in s) ss.AppendChar(c);
            return ss;
        }

        [Fact]
        public void WhatIfPlansAStopWithoutConnectingAnywhere()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Stop-NodeComputeService node-that-does-not-exist.invalid -Pin -WhatIf -PassThru");
            r.ThrowOnErrors();
            var planned = Assert.Single(r.Output);
            Assert.Equal("Planned", RunResult.Prop<string>(planned, "Action"));
            Assert.Contains("mask --runtime", string.Join(" ", RunResult.Prop<string[]>(planned, "Steps")));
            Assert.Empty(host.Run("Get-ComputeNodeConnection").Output);
        }

        [Fact]
        public void AClosedPortIsAConnectionErrorNamingTheNode()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Connect-ComputeNode c09.example.com -Address 127.0.0.1 -Port 9 -KeyFile /dev/null -ConnectTimeoutSeconds 5");
            var error = Assert.Single(r.AllErrors);
            // /dev/null is no key: refused before any connection is tried.
            Assert.Equal("NodeConnectAuthenticationFailed,OpenStackOps.Commands.Nodes.ConnectComputeNodeCommand", error.FullyQualifiedErrorId);

            var password = new Dictionary<string, object> { ["cred"] = new PSCredential("osops", Secure("s3cret-Zz-9")) };
            r = host.Run("Connect-ComputeNode c09.example.com -Address 127.0.0.1 -Port 9 -Credential $cred -ConnectTimeoutSeconds 5 -Verbose -Debug", password);
            error = Assert.Single(r.AllErrors);
            Assert.Equal("NodeConnectConnectionFailed,OpenStackOps.Commands.Nodes.ConnectComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Equal("c09.example.com", error.TargetObject);
            Assert.Contains("osops@127.0.0.1:9", error.Exception.Message);
            Assert.DoesNotContain("s3cret-Zz-9", r.AllText);
        }

        [Fact]
        public void AWrongKeyPassphraseIsAnAuthenticationErrorThatNeverShowsThePassphrase()
        {
            string dir = Directory.CreateTempSubdirectory("osops-key").FullName;
            string key = Path.Combine(dir, "id_ed25519");
            using (var p = Process.Start(new ProcessStartInfo("/usr/bin/ssh-keygen", $"-q -t ed25519 -N right-Phrase-1 -f {key}") { RedirectStandardOutput = true, RedirectStandardError = true }))
                p.WaitForExit();
            using var host = new PowerShellHost();
            var r = host.Run($"Connect-ComputeNode c09.example.com -Address 127.0.0.1 -Port 9 -KeyFile '{key}' -KeyPassphrase $pp -Verbose -Debug",
                new Dictionary<string, object> { ["pp"] = Secure("wrong-Phrase-7") });
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("NodeConnectAuthenticationFailed,OpenStackOps.Commands.Nodes.ConnectComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains(key, error.Exception.Message);
            Assert.DoesNotContain("wrong-Phrase-7", r.AllText);
            Assert.DoesNotContain("right-Phrase-1", r.AllText);
        }

        [Theory]
        [InlineData("../../etc/shadow")]
        [InlineData("/var/../../../../etc/shadow")]
        public void CopyRefusesPathsThatClimbOutOfTheGuestBeforeTouchingTheNode(string path)
        {
            using var host = new PowerShellHost();
            // Built by its type name, as an operator's script could (in real use it comes from Mount-InstanceDisk).
            var r = host.Run("$m = [OpenStackOps.Node.Disks.InstanceDiskMount]@{ Node = 'c09.example.com'; ServerId = '3edbf4fb-fe84-4e02-97a8-d9786fdc0642'; Mounted = $true; " +
                             "Disks = @([OpenStackOps.Node.Disks.MountedDisk]@{ Disk = 'disk'; MountPoint = '/mnt/openstackops/3edbf4fb-fe84-4e02-97a8-d9786fdc0642' }) }; " +
                             $"Copy-InstanceDiskItem -InputObject $m -Path '{path}' -Destination ([System.IO.Path]::GetTempPath())");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("NodeCopyInstanceDiskItemInvalidArgument,OpenStackOps.Commands.Nodes.CopyInstanceDiskItemCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(path, error.TargetObject);
            Assert.Empty(host.Run("Get-ComputeNodeConnection").Output);
        }

        [Fact]
        public void MountNeedsAJustification()
        {
            using var host = new PowerShellHost();
            var r = host.Run("(Get-Command Mount-InstanceDisk).Parameters['Justification'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object Mandatory");
            Assert.True((bool)Assert.Single(r.Output).BaseObject);
            r = host.Run("Mount-InstanceDisk 3edbf4fb-fe84-4e02-97a8-d9786fdc0642 -Justification ''");
            Assert.Contains("ParameterArgumentValidationError", Assert.Single(r.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void NoSshNetTypeAppearsInAnyParameterOrOutput()
        {
            using var host = new PowerShellHost();
            var r = host.Run("(Get-Module OpenStackOps).ExportedCmdlets.Values | ForEach-Object { $_.Parameters.Values.ParameterType.FullName; $_.OutputType.Type.FullName; " +
                             "$_.OutputType.Type | ForEach-Object { $_.GetProperties().PropertyType.FullName } }");
            r.ThrowOnErrors();
            var names = r.Output.Where(o => o != null).Select(o => o.ToString()).ToList();
            Assert.Contains("OpenStackOps.Node.Disks.InstanceDiskMount", names);
            Assert.DoesNotContain(names, n => n.StartsWith("Renci.") || n.Contains("SshNet") || n.StartsWith("Org.BouncyCastle"));
        }
    }
}
