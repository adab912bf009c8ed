using System.Linq;
using System.Management.Automation;
using OpenStackOps.Testing;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>What an operator sees when the session's token can no longer be renewed.</summary>
    public class TokenRenewalErrorTests
    {
        [Fact]
        public void ARenewalKeystoneRefusesIsATokenRenewalFailedErrorThatSaysToConnectAgain()
        {
            using var s = new FakeCloudSession();
            // The password changed while the session ran, then nova refused the token (it lapsed or was revoked).
            s.Cloud.RefuseAuthentication = true;
            s.Cloud.FailStatus = 401;
            s.Cloud.FailNextComputeCalls = 1;

            var r = s.Run("Get-ComputeNode -Verbose -Debug");

            var error = Assert.Single(r.AllErrors);
            Assert.EndsWith("TokenRenewalFailed,OpenStackOps.Commands.Compute.GetComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.StartsWith("The cloud refused the session's token and getting a new one failed: Keystone refused the credentials", error.Exception.Message);
            Assert.Contains("Run Connect-OpenStack again", error.Exception.Message);
            Assert.DoesNotContain(FakeCloud.Password, r.AllText);
            Assert.DoesNotContain("fake-token-", r.AllText);
            // Nothing after the refused request: one compute call, one authentication attempt.
            Assert.Equal(2, s.Cloud.Requests.Count(q => q.Method == "POST" && q.Path.StartsWith("/identity/")));   // Connect + the renewal
        }
    }
}
