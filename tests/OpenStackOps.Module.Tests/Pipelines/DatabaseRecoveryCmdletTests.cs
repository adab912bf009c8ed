using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>Move-/Restore-ServerDatabaseRecord without a database: refusals, error ids, secrets.</summary>
    public class DatabaseRecoveryCmdletTests
    {
        private const string Secret = "Pa55-DbSecret-Q7z";
        private const string MoveId = ",OpenStackOps.Commands.Database.MoveServerDatabaseRecordCommand";

        private static PSCredential Credential(string user, string password)
        {
            var s = new SecureString();
            foreach (char c in password) s.AppendChar(c);
            return new PSCredential(user, s);
        }

        [Fact]
        public void EverythingOnAHostNeedsForce()
        {
            using var host = new PowerShellHost();
            var r = host.Run($"Move-ServerDatabaseRecord c03 c02 -ConnectionString 'Server=127.0.0.1;Port=9;User ID=u;Password={Secret}' -Confirm:$false");
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryHostNeedsForce" + MoveId, e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Equal("c03", e.TargetObject);
            Assert.Contains("-Force", e.Exception.Message);
        }

        [Fact]
        public void UnreachableDatabaseIsAnErrorThatNamesTheServerButNeverThePassword()
        {
            using var host = new PowerShellHost();
            var r = host.Run($"Move-ServerDatabaseRecord c03 c02 -Force -ConnectionString 'Server=127.0.0.1;Port=9;User ID=osops;Password={Secret};Connection Timeout=3' -Confirm:$false -Verbose -Debug");
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryDatabaseFailed" + MoveId, e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, e.CategoryInfo.Category);
            Assert.Contains("osops@127.0.0.1:9", e.Exception.Message);
            Assert.DoesNotContain(Secret, r.AllText);

            var r2 = host.Run("Move-ServerDatabaseRecord c03 c02 -InstanceId x -DatabaseServer 127.0.0.1 -DatabasePort 9 -DatabaseCredential $cred -Confirm:$false -Verbose",
                new Dictionary<string, object> { ["cred"] = Credential("osops", Secret) });
            Assert.Equal("DatabaseRecoveryDatabaseFailed" + MoveId, Assert.Single(r2.AllErrors).FullyQualifiedErrorId);
            Assert.DoesNotContain(Secret, r2.AllText);
        }

        [Fact]
        public void MalformedConnectionStringIsRefusedWithoutQuotingIt()
        {
            using var host = new PowerShellHost();
            var r = host.Run($"Move-ServerDatabaseRecord c03 c02 -Force -ConnectionString 'Server=db;Password={Secret};No Such Key=1' -Confirm:$false");
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryInvalidConnection" + MoveId, e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.DoesNotContain(Secret, r.AllText);
        }

        [Fact]
        public void HostileDatabaseNamesAreRefusedAtBinding()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Move-ServerDatabaseRecord c03 c02 -Force -ConnectionString 'Server=db' -NovaDatabase 'nova`; DROP DATABASE nova; --' -Confirm:$false");
            Assert.Equal("ParameterArgumentValidationError" + MoveId, Assert.Single(r.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void RestoreOfAMissingJournalSaysSo()
        {
            using var host = new PowerShellHost();
            string path = Path.Combine(Path.GetTempPath(), "osops-no-such-journal.json");
            var r = host.Run($"Restore-ServerDatabaseRecord '{path}' -ConnectionString 'Server=127.0.0.1;Port=9;Password={Secret}' -Confirm:$false");
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryJournalInvalid,OpenStackOps.Commands.Database.RestoreServerDatabaseRecordCommand", e.FullyQualifiedErrorId);
            Assert.Equal(path, e.TargetObject);
            Assert.DoesNotContain(Secret, r.AllText);
        }
    }
}
