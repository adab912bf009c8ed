using System.IO;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>The Swift ring cmdlets' declarations and the refusals made before any node is reached.</summary>
    public class SwiftRingCmdletTests
    {
        [Fact]
        public void RemovalIsHighImpactAndEveryChangeSupportsWhatIf()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Get-Command Remove-SwiftStorageNode, Restore-SwiftStorageNode, Get-SwiftRing | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact, $_.Parameters.ContainsKey('WhatIf') }");
            r.ThrowOnErrors();
            Assert.Equal(new[] { "Remove-SwiftStorageNode High True", "Restore-SwiftStorageNode Medium True", "Get-SwiftRing None False" }, r.Output.ConvertAll(o => o.ToString()));
        }

        [Fact]
        public void AnExistingJournalIsRefusedBeforeAnyNodeIsReached()
        {
            string journal = Path.GetTempFileName();
            try
            {
                using var host = new PowerShellHost();
                var r = host.Run($"Remove-SwiftStorageNode 10.0.0.13 -RingHost ring-host-that-does-not-exist.invalid -JournalPath '{journal}' -WhatIf");
                var error = Assert.Single(r.AllErrors);
                Assert.Equal("SwiftRingJournalUnwritable,OpenStackOps.Commands.Swift.RemoveSwiftStorageNodeCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
                Assert.Equal(journal, error.TargetObject);
                Assert.Empty(host.Run("Get-ComputeNodeConnection").Output);
            }
            finally
            {
                File.Delete(journal);
            }
        }

        [Fact]
        public void AMissingOrForeignJournalIsJournalInvalid()
        {
            string foreign = Path.GetTempFileName();
            File.WriteAllText(foreign, "{\"formatVersion\": 1, \"tool\": \"something else\"}");
            try
            {
                using var host = new PowerShellHost();
                var r = host.Run("Restore-SwiftStorageNode /nonexistent/s03-rings.json -RingHost ring-host-that-does-not-exist.invalid");
                var error = Assert.Single(r.AllErrors);
                Assert.Equal("SwiftRingJournalInvalid,OpenStackOps.Commands.Swift.RestoreSwiftStorageNodeCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
                r = host.Run($"Restore-SwiftStorageNode '{foreign}' -RingHost ring-host-that-does-not-exist.invalid");
                Assert.Contains("is not a Swift ring journal", Assert.Single(r.AllErrors).Exception.Message);
            }
            finally
            {
                File.Delete(foreign);
            }
        }

        [Fact]
        public void ARingHostThatCannotBeReachedIsAnErrorNamingHowToConnect()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Get-SwiftRing -RingHost ring-host-that-does-not-exist.invalid -SkipNodes");
            var error = Assert.Single(r.AllErrors);
            Assert.StartsWith("SwiftRing", error.FullyQualifiedErrorId);
            // Which depends on this machine: no key in ~/.ssh is refused before connecting, else the name does not resolve.
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.ConnectionError, ErrorCategory.AuthenticationError });
            Assert.Equal("ring-host-that-does-not-exist.invalid", error.TargetObject);
            Assert.Contains("Connect-ComputeNode ring-host-that-does-not-exist.invalid", error.Exception.Message);
        }
    }
}
