using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using OpenStackOps.Testing;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    public class ConnectionTests
    {
        [Fact]
        public void CmdletsRefuseToRunWithoutASession()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Get-ComputeNode");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("NotConnected,OpenStackOps.Commands.Compute.GetComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("Connect-OpenStack", error.Exception.Message);
        }

        [Fact]
        public void AWrongPasswordIsAnAuthenticationErrorThatNeverShowsThePassword()
        {
            using var s = new FakeCloudSession();
            var r = s.Connect("wrong-Pa55-Z9q", "-Verbose -Debug");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("KeystoneAuthenticationFailed,OpenStackOps.Commands.Sessions.ConnectOpenStackCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("admin", error.Exception.Message);
            Assert.DoesNotContain("wrong-Pa55-Z9q", r.AllText);
        }

        [Fact]
        public void SecretsNeverReachVerboseDebugOrOutput()
        {
            using var s = new FakeCloudSession();
            var r = s.Connect(FakeCloud.Password, "-Verbose -Debug -PassThru");
            r.ThrowOnErrors();
            var more = s.Run("Get-ComputeNode -Verbose -Debug; Get-OpenStackSession | ForEach-Object { $_.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" } }");
            more.ThrowOnErrors();
            string all = r.AllText + "\n" + more.AllText + "\n" + string.Join("\n", more.Output.Select(o => o?.ToString()));
            Assert.Contains(more.Verbose, v => v.Contains("/os-services"));
            Assert.DoesNotContain(FakeCloud.Password, all);
            Assert.DoesNotContain("fake-token-", all);
        }

        [Fact]
        public void DisconnectRevokesTheTokenTheSessionObtained()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Disconnect-OpenStack -Verbose");
            r.ThrowOnErrors();
            Assert.Contains(r.Verbose, v => v.Contains("Keystone revoked the session's token"));
            var delete = Assert.Single(s.Cloud.Requests, q => q.Method == "DELETE");
            Assert.Equal("/identity/v3/auth/tokens", delete.Path);
            Assert.StartsWith("fake-token-", delete.Headers["X-Subject-Token"]);
            Assert.Equal(delete.Headers["X-Subject-Token"], delete.Headers["X-Auth-Token"]);
            Assert.DoesNotContain("fake-token-", r.AllText);

            var after = s.Run("Get-ComputeNode");
            Assert.Equal("NotConnected,OpenStackOps.Commands.Compute.GetComputeNodeCommand", Assert.Single(after.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void AKeystoneThatCannotRevokeStillLetsTheSessionCloseAndSaysHowLongTheTokenLasts()
        {
            using var s = new FakeCloudSession();
            s.Cloud.RevocationStatus = 503;
            var r = s.Run("Disconnect-OpenStack");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("TokenNotRevoked,OpenStackOps.Commands.Sessions.DisconnectOpenStackCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("Keystone is restarting", error.Exception.Message);
            Assert.Contains("stays valid until", error.Exception.Message);
            Assert.DoesNotContain("fake-token-", r.AllText);

            var after = s.Run("Get-ComputeNode");
            Assert.Equal("NotConnected,OpenStackOps.Commands.Compute.GetComputeNodeCommand", Assert.Single(after.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void AnUnreachableEndpointIsAConnectionError()
        {
            using var host = new PowerShellHost();
            var r = host.Run("Connect-OpenStack -AuthUrl http://127.0.0.1:9/v3 -Credential $cred -ProjectName admin",
                new Dictionary<string, object> { ["cred"] = FakeCloudSession.Credential("admin", "x") });
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("KeystoneUnreachable,OpenStackOps.Commands.Sessions.ConnectOpenStackCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("127.0.0.1:9", error.Exception.Message);
        }

        [Fact]
        public void AnUntrustedCertificateIsASecurityErrorAndACABundleFixesIt()
        {
            using var ca = OpenStackOps.Tests.Identity.TestCertificates.CreateCa("osops-test-ca");
            string token = "{\"token\": {\"methods\": [\"password\"], \"expires_at\": \"" + System.DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.000000Z") +
                "\", \"issued_at\": \"" + System.DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.000000Z") + "\", \"user\": {\"id\": \"u1\", \"name\": \"admin\", \"domain\": {\"id\": \"default\", \"name\": \"Default\"}}," +
                " \"project\": {\"id\": \"p1\", \"name\": \"admin\", \"domain\": {\"id\": \"default\", \"name\": \"Default\"}}, \"roles\": [{\"id\": \"r1\", \"name\": \"admin\"}], \"catalog\": []}}";
            using var server = new OpenStackOps.Tests.Identity.TlsTestServer(OpenStackOps.Tests.Identity.TestCertificates.CreateServer(ca), token);
            using var host = new PowerShellHost();
            var cred = new Dictionary<string, object> { ["cred"] = FakeCloudSession.Credential("admin", "x") };

            var r = host.Run($"Connect-OpenStack -AuthUrl '{server.AuthUrl}' -Credential $cred -ProjectName admin", cred);
            var error = Assert.Single(r.AllErrors);
            // The whole exception chain in the message: a failure here on another machine must say what happened.
            Assert.True(error.FullyQualifiedErrorId == "KeystoneTlsFailure,OpenStackOps.Commands.Sessions.ConnectOpenStackCommand",
                $"{error.FullyQualifiedErrorId}: {error.Exception}");
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("-CACertificatePath", error.Exception.Message);

            string bundle = Path.Combine(Directory.CreateTempSubdirectory("osops-ca").FullName, "ca.pem");
            File.WriteAllText(bundle, OpenStackOps.Tests.Identity.TestCertificates.Pem(ca));
            r = host.Run($"Connect-OpenStack -AuthUrl '{server.AuthUrl}' -Credential $cred -ProjectName admin -CACertificatePath '{bundle}' -PassThru", cred);
            r.ThrowOnErrors();
            Assert.Single(r.Output);
        }

        [Fact]
        public void AnUnknownCloudNameListsTheCloudsThatExist()
        {
            using var host = new PowerShellHost();
            string dir = Directory.CreateTempSubdirectory("osops-clouds").FullName;
            string file = Path.Combine(dir, "clouds.yaml");
            File.WriteAllText(file, "clouds:\n  prod:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: a\n      password: b\n      project_name: c\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: a\n      password: b\n      project_name: c\n");
            var r = host.Run($"Connect-OpenStack -Cloud staging -CloudsYamlPath '{file}'");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("OpenStackConfigurationCloudNotFound,OpenStackOps.Commands.Sessions.ConnectOpenStackCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("prod", error.Exception.Message);
            Assert.Contains("lab", error.Exception.Message);
        }

        [Fact]
        public void TwoSessionsCanBeUsedSideBySide()
        {
            using var a = new FakeCloud();
            using var b = new FakeCloud();
            a.AddServer("from-a", "c01.example.com");
            b.AddServer("from-b", "c01.example.com");
            using var host = new PowerShellHost();
            var r = host.Run(
                $"$a = Connect-OpenStack -AuthUrl '{a.AuthUrl}' -Credential $cred -ProjectName admin -PassThru; " +
                $"$b = Connect-OpenStack -AuthUrl '{b.AuthUrl}' -Credential $cred -ProjectName admin -PassThru; " +
                "(Get-NodeServer c01 -Session $a).Name; (Get-NodeServer c01).Name; (Get-OpenStackSession).AuthUrl.Port",
                new Dictionary<string, object> { ["cred"] = FakeCloudSession.Credential("admin", FakeCloud.Password) });
            r.ThrowOnErrors();
            Assert.Equal(new object[] { "from-a", "from-b", b.Port }, r.Output.Select(o => o.BaseObject));
        }
    }
}
