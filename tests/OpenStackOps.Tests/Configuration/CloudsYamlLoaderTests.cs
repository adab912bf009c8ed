using System.Collections.Generic;
using System.IO;
using OpenStackOps.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Configuration
{
    public class CloudsYamlLoaderTests
    {
        private const string DevCloud = @"
clouds:
  devcloud:
    auth:
      auth_url: http://keystone.test:5000/v3
      username: admin
      password: from-clouds
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
    identity_api_version: 3
  lab:
    auth:
      auth_url: https://lab.test:5000
      username: operator
      password: lab-pass
      project_id: 0c4e939acacf4376bdcd1129f1a054ad
";

        private static CloudsYamlSearch Search(TempDirectory tmp, params string[] dirs)
            => new CloudsYamlSearch { Directories = new List<string>(dirs), CurrentDirectory = tmp.Path, HomeDirectory = tmp.Path };

        [Fact]
        public void ReadsAPasswordCloud()
        {
            using var tmp = new TempDirectory();
            string file = tmp.Write("cwd/clouds.yaml", DevCloud);

            var p = CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd")));

            Assert.Equal("devcloud", p.Name);
            Assert.Equal(AuthMethod.Password, p.Method);
            Assert.Equal("http://keystone.test:5000/v3", p.AuthUrl.ToString());
            Assert.Equal("admin", p.Username);
            Assert.Equal("from-clouds", p.Password.Reveal());
            Assert.Equal("admin", p.ProjectName);
            Assert.Equal("Default", p.UserDomainName);
            Assert.Equal("Default", p.ProjectDomainName);
            Assert.Equal("RegionOne", p.Region);
            Assert.Equal("internal", p.Interface);
            Assert.False(p.SkipCertificateCheck);
            Assert.Equal($"clouds.yaml {file} (cloud 'devcloud')", p.Source);
        }

        [Fact]
        public void TheFirstDirectoryWithACloudsFileWins()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            tmp.Write("home/.config/openstack/clouds.yaml", DevCloud.Replace("keystone.test", "other.test"));

            var fromCwd = CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"), tmp.Dir("home/.config/openstack")));
            var fromHome = CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("empty"), tmp.Dir("home/.config/openstack")));

            Assert.Equal("keystone.test", fromCwd.AuthUrl.Host);
            Assert.Equal("other.test", fromHome.AuthUrl.Host);
            Assert.Contains(Path.Combine(tmp.Path, "home"), fromHome.Source);
        }

        [Fact]
        public void YamlBeatsYmlInTheSameDirectory()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yml", DevCloud.Replace("keystone.test", "yml.test"));
            tmp.Write("cwd/clouds.yaml", DevCloud);
            Assert.Equal("keystone.test", CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))).AuthUrl.Host);
        }

        [Fact]
        public void AnExplicitFileBeatsTheSearchedDirectories()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            string other = tmp.Write("elsewhere/my-clouds.yaml", DevCloud.Replace("keystone.test", "explicit.test"));
            var search = Search(tmp, tmp.Dir("cwd"));
            search.ExplicitFile = other;

            Assert.Equal("explicit.test", CloudsYamlLoader.Load("devcloud", search).AuthUrl.Host);
        }

        [Fact]
        public void AMissingExplicitFileIsNamed()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            var search = Search(tmp, tmp.Dir("cwd"));
            search.ExplicitFile = Path.Combine(tmp.Path, "nope.yaml");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", search));
            Assert.Equal(ConfigurationError.NoCloudsFile, e.Reason);
            Assert.Contains("nope.yaml", e.Message);
            Assert.Equal(search.ExplicitFile, e.Target);
        }

        [Fact]
        public void NoCloudsFileAnywhereListsWhereItLooked()
        {
            using var tmp = new TempDirectory();
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("a"), tmp.Dir("b"))));
            Assert.Equal(ConfigurationError.NoCloudsFile, e.Reason);
            Assert.Contains(Path.Combine(tmp.Path, "a", "clouds.yaml"), e.Message);
            Assert.Contains(Path.Combine(tmp.Path, "b", "clouds.yaml"), e.Message);
            Assert.Contains("OS_CLIENT_CONFIG_FILE", e.Message);
        }

        [Fact]
        public void SecureYamlIsMergedOverCloudsYamlKeyByKey()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            // secure.yaml from another searched directory, as openstacksdk allows.
            string secure = tmp.Write("home/secure.yaml", "clouds:\n  devcloud:\n    auth:\n      password: from-secure\n    region_name: RegionTwo\n");

            var p = CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"), tmp.Dir("home")));

            Assert.Equal("from-secure", p.Password.Reveal());
            Assert.Equal("RegionTwo", p.Region);
            Assert.Equal("admin", p.Username);      // kept from clouds.yaml: a deep merge, not a replacement of auth
            Assert.Equal("admin", p.ProjectName);
            Assert.EndsWith($" + secure.yaml {secure}", p.Source);
        }

        [Fact]
        public void SecureYamlAloneCanHoldThePassword()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  devcloud:\n    auth:\n      auth_url: http://keystone.test:5000/v3\n      username: admin\n      project_name: admin\n");
            tmp.Write("cwd/secure.yaml", "clouds:\n  devcloud:\n    auth:\n      password: only-here\n  secret-only:\n    auth:\n      auth_url: http://k.test/v3\n      username: u\n      password: p\n");
            var search = Search(tmp, tmp.Dir("cwd"));

            Assert.Equal("only-here", CloudsYamlLoader.Load("devcloud", search).Password.Reveal());
            Assert.Equal(new[] { "devcloud", "secret-only" }, CloudsYamlLoader.ListClouds(search));
        }

        [Fact]
        public void ListCloudsKeepsFileOrder()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            Assert.Equal(new[] { "devcloud", "lab" }, CloudsYamlLoader.ListClouds(Search(tmp, tmp.Dir("cwd"))));
        }

        [Fact]
        public void ReadsAnApplicationCredentialById()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", @"
clouds:
  app:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.test:5000/v3
      application_credential_id: 423f19a4ac1e4f48bbb4180756e6eb6c
      application_credential_secret: rEaqvJka48mpv
    region_name: RegionOne
");
            var p = CloudsYamlLoader.Load("app", Search(tmp, tmp.Dir("cwd")));
            Assert.Equal(AuthMethod.ApplicationCredential, p.Method);
            Assert.Equal("423f19a4ac1e4f48bbb4180756e6eb6c", p.ApplicationCredentialId);
            Assert.Equal("rEaqvJka48mpv", p.ApplicationCredentialSecret.Reveal());
            Assert.Null(p.Password);
        }

        [Fact]
        public void ReadsAnApplicationCredentialByNameAndUser()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  app:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: https://keystone.test:5000/v3\n" +
                "      application_credential_name: monitoring\n      application_credential_secret: s\n      username: monitor\n      user_domain_name: Ops\n");
            var p = CloudsYamlLoader.Load("app", Search(tmp, tmp.Dir("cwd")));
            Assert.Equal(AuthMethod.ApplicationCredential, p.Method);
            Assert.Equal("monitoring", p.ApplicationCredentialName);
            Assert.Equal("monitor", p.Username);
            Assert.Equal("Ops", p.UserDomainName);
        }

        [Fact]
        public void AnApplicationCredentialByNameNeedsItsUser()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  app:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: https://keystone.test:5000/v3\n" +
                "      application_credential_name: monitoring\n      application_credential_secret: s\n");
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("app", Search(tmp, tmp.Dir("cwd"))));
            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Contains("auth.username", e.Message);
        }

        [Theory]
        [InlineData("token")]
        [InlineData("v3token")]
        public void ReadsTokenAuthentication(string authType)
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", $"clouds:\n  tok:\n    auth_type: {authType}\n    auth:\n      auth_url: https://keystone.test:5000/v3\n      token: gAAAAABexample\n      project_name: admin\n      project_domain_id: default\n");
            var p = CloudsYamlLoader.Load("tok", Search(tmp, tmp.Dir("cwd")));
            Assert.Equal(AuthMethod.Token, p.Method);
            Assert.Equal("gAAAAABexample", p.Token.Reveal());
            Assert.Equal("admin", p.ProjectName);
            Assert.Equal("default", p.ProjectDomainId);
        }

        [Fact]
        public void WithoutAuthTypeAnApplicationCredentialIsRecognised()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  app:\n    auth:\n      auth_url: https://keystone.test:5000/v3\n      application_credential_id: abc\n      application_credential_secret: s\n");
            Assert.Equal(AuthMethod.ApplicationCredential, CloudsYamlLoader.Load("app", Search(tmp, tmp.Dir("cwd"))).Method);
        }

        [Fact]
        public void VerifyFalseSkipsCertificateChecks()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud.Replace("    identity_api_version: 3\n", "    identity_api_version: 3\n    verify: false\n"));
            var p = CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd")));
            Assert.True(p.SkipCertificateCheck);
            Assert.False(CloudsYamlLoader.Load("lab", Search(tmp, tmp.Dir("cwd"))).SkipCertificateCheck);
        }

        [Fact]
        public void CacertIsResolvedAgainstTheCurrentDirectory()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud.Replace("    identity_api_version: 3\n", "    identity_api_version: 3\n    cacert: certs/ca.pem\n")
                .Replace("  lab:\n", "  lab:\n    cacert: /etc/ssl/lab-ca.pem\n"));
            var search = Search(tmp, tmp.Dir("cwd"));
            search.CurrentDirectory = "/work/ops";

            Assert.Equal(Path.Combine("/work/ops", "certs/ca.pem"), CloudsYamlLoader.Load("devcloud", search).CACertificatePath);
            Assert.Equal("/etc/ssl/lab-ca.pem", CloudsYamlLoader.Load("lab", search).CACertificatePath);
            Assert.False(CloudsYamlLoader.Load("devcloud", search).SkipCertificateCheck);
        }

        [Fact]
        public void LegacySpellingsAreUnderstood()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", @"
clouds:
  old:
    auth:
      auth-url: http://keystone.test:5000/v3
      username: admin
      password: p
      tenant_name: admin
      domain_name: Default
    endpoint_type: internalURL
    regions:
      - name: RegionTwo
      - RegionOne
");
            var p = CloudsYamlLoader.Load("old", Search(tmp, tmp.Dir("cwd")));
            Assert.Equal("keystone.test", p.AuthUrl.Host);
            Assert.Equal("admin", p.ProjectName);
            Assert.Equal("Default", p.DomainName);
            Assert.Equal("internal", p.Interface);
            Assert.Equal("RegionTwo", p.Region);
            Assert.Contains("first of 2", p.Source);
        }

        [Fact]
        public void AnUnknownCloudListsTheCloudsThatExistAndTheFilesRead()
        {
            using var tmp = new TempDirectory();
            string clouds = tmp.Write("cwd/clouds.yaml", DevCloud);
            string secure = tmp.Write("cwd/secure.yaml", "clouds:\n  devcloud:\n    auth:\n      password: x\n");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("staging", Search(tmp, tmp.Dir("cwd"))));

            Assert.Equal(ConfigurationError.CloudNotFound, e.Reason);
            Assert.Equal("staging", e.Target);
            Assert.Contains("'staging'", e.Message);
            Assert.Contains("devcloud, lab", e.Message);
            Assert.Contains(clouds, e.Message);
            Assert.Contains(secure, e.Message);
        }

        [Fact]
        public void ACloudNameDifferingOnlyInCaseIsSuggested()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("DevCloud", Search(tmp, tmp.Dir("cwd"))));
            Assert.Contains("did you mean 'devcloud'", e.Message);
        }

        [Fact]
        public void InvalidYamlNamesTheFileAndLine()
        {
            using var tmp = new TempDirectory();
            string file = tmp.Write("cwd/clouds.yaml", "clouds:\n  devcloud:\n    auth:\n      auth_url: http://k/v3\n     username: [broken\n");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));

            Assert.Equal(ConfigurationError.InvalidFile, e.Reason);
            Assert.Equal(file, e.Target);
            Assert.Contains(file, e.Message);
            Assert.Contains("line 5", e.Message);
        }

        [Fact]
        public void InvalidSecureYamlNeverQuotesThePassword()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud);
            string secure = tmp.Write("cwd/secure.yaml", "clouds:\n  devcloud:\n    auth:\n      password: S3cr3t-p4ss-X: oops\n");
            string alias = tmp.Write("other/secure.yaml", "clouds:\n  devcloud:\n    auth:\n      password: *S3cr3t-p4ss-X\n");

            var e1 = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));
            var search = Search(tmp, tmp.Dir("cwd"));
            search.ExplicitSecureFile = alias;
            var e2 = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", search));

            Assert.Contains(secure + " is not valid YAML at line 4", e1.Message);
            Assert.True(e2.Message.StartsWith(alias + " is not valid YAML at line 4"), e2.Message);
            foreach (var e in new[] { e1, e2 })
            {
                Assert.DoesNotContain("S3cr3t", e.Message);
                Assert.DoesNotContain("S3cr3t", e.ToString());
            }
        }

        [Fact]
        public void ABadStructureNamesTheLine()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  devcloud:\n    auth:\n      auth_url: http://k/v3\n      username: [a, b]\n      password: p\n");
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));
            Assert.Equal(ConfigurationError.InvalidFile, e.Reason);
            Assert.Contains("clouds.devcloud.auth.username", e.Message);
            Assert.Contains("line 5", e.Message);
        }

        [Fact]
        public void AMissingAuthUrlSaysWhatToAddAndWhere()
        {
            using var tmp = new TempDirectory();
            string file = tmp.Write("cwd/clouds.yaml", "clouds:\n  devcloud:\n    auth:\n      username: admin\n      password: S3cr3t-p4ss-X\n");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));

            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Equal("devcloud", e.Target);
            Assert.Contains("auth_url", e.Message);
            Assert.Contains("clouds.devcloud.auth", e.Message);
            Assert.Contains(file, e.Message);
            Assert.DoesNotContain("S3cr3t-p4ss-X", e.Message);
        }

        [Fact]
        public void AMissingPasswordPointsAtSecureYaml()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  devcloud:\n    auth:\n      auth_url: http://k/v3\n      username: admin\n");
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));
            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Contains("auth.password", e.Message);
            Assert.Contains("secure.yaml", e.Message);
        }

        [Fact]
        public void AnUnsupportedAuthTypeListsTheSupportedOnes()
        {
            using var tmp = new TempDirectory();
            string file = tmp.Write("cwd/clouds.yaml", "clouds:\n  fed:\n    auth_type: v3oidcpassword\n    auth:\n      auth_url: http://k/v3\n");
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("fed", Search(tmp, tmp.Dir("cwd"))));
            Assert.Equal(ConfigurationError.UnsupportedAuthType, e.Reason);
            Assert.Contains("v3oidcpassword", e.Message);
            Assert.Contains("v3applicationcredential", e.Message);
            Assert.Contains(file + " line 3", e.Message);
        }

        [Fact]
        public void IdentityVersion2IsRefused()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", DevCloud.Replace("identity_api_version: 3", "identity_api_version: 2"));
            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("devcloud", Search(tmp, tmp.Dir("cwd"))));
            Assert.Equal(ConfigurationError.UnsupportedIdentityVersion, e.Reason);
            Assert.Contains("v3", e.Message);
        }

        [Fact]
        public void DefaultSearchFollowsOpenstacksdk()
        {
            var env = new Dictionary<string, string>
            {
                ["HOME"] = "/home/op",
                ["OS_CLIENT_CONFIG_FILE"] = "/srv/clouds.yaml",
            };
            var search = CloudsYamlSearch.Default(n => env.TryGetValue(n, out var v) ? v : null, "/work/ops");

            Assert.Equal("/srv/clouds.yaml", search.ExplicitFile);
            Assert.Null(search.ExplicitSecureFile);
            Assert.Equal("/work/ops", search.Directories[0]);
            Assert.Contains(Path.Combine("/home/op", ".config", "openstack"), search.Directories);
            Assert.Equal("/etc/openstack", search.Directories[search.Directories.Count - 1]);
            Assert.True(search.Directories.IndexOf("/work/ops") < search.Directories.IndexOf(Path.Combine("/home/op", ".config", "openstack")));
        }
    }
}
