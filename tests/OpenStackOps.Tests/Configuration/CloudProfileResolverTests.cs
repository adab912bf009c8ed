using System;
using System.Collections.Generic;
using OpenStackOps.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Configuration
{
    /// <summary>Connect-OpenStack's choice of profile, without a runspace: explicit settings, clouds.yaml, OS_CLOUD, openrc, and what overrides what.</summary>
    public class CloudProfileResolverTests
    {
        private const string Prod = "clouds:\n  prod:\n    region_name: RegionOne\n    auth:\n      auth_url: http://k.test/v3\n      username: fromfile\n      project_name: admin\n";

        private static Func<string, string> Env(TempDirectory tmp, params (string Name, string Value)[] vars)
        {
            var d = new Dictionary<string, string> { ["HOME"] = tmp.Path };
            foreach (var (n, v) in vars) d[n] = v;
            return n => d.TryGetValue(n, out var v) ? v : null;
        }

        [Fact]
        public void AnExplicitPasswordLoginDefaultsTheDomains()
        {
            using var tmp = new TempDirectory();
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest
            {
                Method = AuthMethod.Password, AuthUrl = new Uri("https://keystone.example.com:5000/v3"),
                UserName = "alice", Password = new Secret("pw"), ProjectName = "ops",
            }, Env(tmp), tmp.Path);
            Assert.Equal("keystone.example.com", p.Name);
            Assert.Equal("parameters", p.Source);
            Assert.Equal(AuthMethod.Password, p.Method);
            Assert.Equal("alice", p.Username);
            Assert.Equal("default", p.UserDomainId);
            Assert.Equal("default", p.ProjectDomainId);
        }

        [Fact]
        public void ATokenLoginTakesTheTokenAndNoDomainDefaultWithoutAProject()
        {
            using var tmp = new TempDirectory();
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest
            {
                Method = AuthMethod.Token, AuthUrl = new Uri("https://k.test/v3"), Token = new Secret("tok"), ProjectId = "p1",
            }, Env(tmp), tmp.Path);
            Assert.Equal(AuthMethod.Token, p.Method);
            Assert.Equal("tok", p.Token.Reveal());
            Assert.Null(p.ProjectDomainId);
            Assert.Equal("p1", p.ProjectId);
        }

        [Fact]
        public void ACloudIsReadFromCloudsYamlWithTheCredentialOverTheFilesUser()
        {
            using var tmp = new TempDirectory();
            tmp.Write("clouds.yaml", Prod);
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest { Cloud = "prod", UserName = "alice", Password = new Secret("pw"), Region = "RegionTwo" },
                Env(tmp), tmp.Path);
            Assert.Equal("prod", p.Name);
            Assert.Equal("alice", p.Username);
            Assert.Equal("pw", p.Password.Reveal());
            Assert.Equal("RegionTwo", p.Region); // a parameter beats the file
        }

        [Fact]
        public void OsCloudNamesTheCloudAndOsPasswordCompletesIt()
        {
            using var tmp = new TempDirectory();
            tmp.Write("clouds.yaml", Prod);
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest(), Env(tmp, ("OS_CLOUD", "prod"), ("OS_PASSWORD", "from-env")), tmp.Path);
            Assert.Equal("prod", p.Name);
            Assert.Equal("from-env", p.Password.Reveal());
            Assert.Contains("password from OS_PASSWORD", p.Source);
        }

        [Fact]
        public void WithoutACloudTheOpenrcVariablesAreUsed()
        {
            using var tmp = new TempDirectory();
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest(),
                Env(tmp, ("OS_CLOUD", ""), ("OS_AUTH_URL", "http://k.test/v3"), ("OS_USERNAME", "admin"), ("OS_PASSWORD", "pw"), ("OS_PROJECT_NAME", "admin")), tmp.Path);
            Assert.Equal("environment", p.Name);
            Assert.Equal("admin", p.Username);
        }

        [Fact]
        public void NothingToGoOnSaysWhatToGive()
        {
            using var tmp = new TempDirectory();
            var e = Assert.Throws<ConfigurationException>(() => CloudProfileResolver.Resolve(new CloudProfileRequest(), Env(tmp), tmp.Path));
            Assert.Equal(ConfigurationError.CloudNotFound, e.Reason);
            Assert.Contains("pass -Cloud", e.Message);
        }

        [Fact]
        public void AnExplicitFileWithOneCloudNeedsNoName()
        {
            using var tmp = new TempDirectory();
            string file = tmp.Write("elsewhere/my-clouds.yaml", Prod);
            Assert.Equal("prod", CloudProfileResolver.Resolve(new CloudProfileRequest { CloudsYamlPath = file }, Env(tmp, ("OS_PASSWORD", "pw")), tmp.Path).Name);

            string two = tmp.Write("elsewhere/two.yaml", Prod + "  test:\n    auth:\n      auth_url: http://t.test/v3\n");
            var e = Assert.Throws<ConfigurationException>(() => CloudProfileResolver.Resolve(new CloudProfileRequest { CloudsYamlPath = two }, Env(tmp), tmp.Path));
            Assert.Equal("two.yaml defines 2 clouds (prod, test): pass -Cloud.", e.Message);
        }

        [Fact]
        public void APromptThatCouldNotBeShownSaysWhyInTheError()
        {
            using var tmp = new TempDirectory();
            tmp.Write("clouds.yaml", Prod);
            var e = Assert.Throws<ConfigurationException>(() => CloudProfileResolver.Resolve(
                new CloudProfileRequest { Cloud = "prod", Prompt = (cloud, user) => PromptedCredential.NotPrompted("it was not prompted for: PowerShell runs non-interactively (-NonInteractive)") },
                Env(tmp), tmp.Path));
            Assert.Contains("it was not prompted for: PowerShell runs non-interactively (-NonInteractive)", e.Message);
        }

        [Fact]
        public void ATypedPasswordCompletesTheProfile()
        {
            using var tmp = new TempDirectory();
            tmp.Write("clouds.yaml", Prod);
            var p = CloudProfileResolver.Resolve(new CloudProfileRequest { Cloud = "prod", Prompt = (cloud, user) => new PromptedCredential(user, new Secret("typed")) },
                Env(tmp), tmp.Path);
            Assert.Equal("typed", p.Password.Reveal());
            Assert.Contains("password typed at the prompt", p.Source);
        }
    }
}
