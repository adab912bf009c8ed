using System.Collections.Generic;
using System.IO;
using OpenStackOps.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Configuration
{
    /// <summary>
    /// -Credential over clouds.yaml/openrc, OS_PASSWORD when the files have no password, the prompt, and the
    /// missing-password message that names exactly the files read (issue #13, item 7).
    /// </summary>
    public class CredentialOverridesTests
    {
        private const string NoPassword = "clouds:\n  prod:\n    auth:\n      auth_url: http://k.test/v3\n      username: fromfile\n      user_id: 0123abcd\n      project_name: admin\n";

        private static CloudsYamlSearch Search(TempDirectory tmp, string explicitFile, params string[] dirs)
            => new CloudsYamlSearch { ExplicitFile = explicitFile, Directories = new List<string>(dirs), CurrentDirectory = tmp.Path, HomeDirectory = tmp.Path };

        [Fact]
        public void TheCredentialReplacesTheFilesUserAndPassword()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", NoPassword.Replace("project_name: admin", "project_name: admin\n      password: from-file"));
            var o = new CredentialOverrides { UserName = "alice", Password = new Secret("Cred-S3cret") };

            var p = CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd")), o);

            Assert.Equal("alice", p.Username);
            Assert.Null(p.UserId); // the credential names the user; the file's user id would name another
            Assert.Equal("Cred-S3cret", p.Password.Reveal());
            Assert.Equal("admin", p.ProjectName);
            Assert.Contains("user and password from -Credential", p.Source);
            Assert.DoesNotContain("Cred-S3cret", p.Source);
        }

        [Fact]
        public void TheCredentialMakesAProfileWithoutPasswordUsable()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", NoPassword);
            var p = CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd")), new CredentialOverrides { UserName = "alice", Password = new Secret("pw") });
            Assert.Equal(AuthMethod.Password, p.Method);
            Assert.Equal("pw", p.Password.Reveal());
        }

        [Fact]
        public void ACredentialForAnApplicationCredentialCloudIsRefused()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", "clouds:\n  app:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: http://k.test/v3\n      application_credential_id: id1\n      application_credential_secret: s\n");
            var e = Assert.Throws<ConfigurationException>(() =>
                CloudsYamlLoader.Load("app", Search(tmp, null, tmp.Dir("cwd")), new CredentialOverrides { UserName = "alice", Password = new Secret("Cred-S3cret") }));
            Assert.Equal(ConfigurationError.InvalidSetting, e.Reason);
            Assert.Contains("v3applicationcredential", e.Message);
            Assert.DoesNotContain("Cred-S3cret", e.Message);
        }

        [Fact]
        public void OsPasswordIsUsedOnlyWhenTheFilesHaveNone()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", NoPassword);
            tmp.Write("with/clouds.yaml", NoPassword.Replace("project_name: admin", "project_name: admin\n      password: from-file"));
            var o = new CredentialOverrides { FallbackPassword = new Secret("env-pw") };

            var filled = CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd")), o);
            var kept = CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("with")), new CredentialOverrides { FallbackPassword = new Secret("env-pw") });

            Assert.Equal("env-pw", filled.Password.Reveal());
            Assert.EndsWith("password from OS_PASSWORD", filled.Source);
            Assert.Equal("from-file", kept.Password.Reveal());
        }

        [Fact]
        public void AMissingPasswordIsPromptedForWithTheFilesUserName()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", NoPassword);
            var asked = new List<string>();
            var o = new CredentialOverrides { Prompt = (cloud, user) => { asked.Add(cloud + "/" + user); return new PromptedCredential(user, new Secret("typed")); } };

            var p = CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd")), o);

            Assert.Equal(new[] { "prod/fromfile" }, asked);
            Assert.Equal("typed", p.Password.Reveal());
            Assert.Equal("0123abcd", p.UserId); // the same user: the file's id stays
            Assert.Contains("password typed at the prompt", p.Source);
        }

        [Fact]
        public void NothingIsPromptedForWhenAPasswordIsKnown()
        {
            using var tmp = new TempDirectory();
            tmp.Write("cwd/clouds.yaml", NoPassword);
            bool asked = false;
            CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd")),
                new CredentialOverrides { FallbackPassword = new Secret("env"), Prompt = (c, u) => { asked = true; return null; } });
            Assert.False(asked);
        }

        [Fact]
        public void WithoutAPromptTheErrorSaysWhyAndWhatToDo()
        {
            using var tmp = new TempDirectory();
            string clouds = tmp.Write("cwd/clouds.yaml", NoPassword);
            var o = new CredentialOverrides { Prompt = (c, u) => null, NoPromptReason = "it was not prompted for: PowerShell runs non-interactively (-NonInteractive)" };

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd"), tmp.Dir("home")), o));

            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Equal("password", e.Setting);
            Assert.Contains("non-interactively", e.Message);
            Assert.Contains("-Credential", e.Message);
            Assert.Contains("OS_PASSWORD", e.Message);
            Assert.Contains(clouds, e.Message);
            // No secure.yaml was found: the message names where one would be read, as openstacksdk reads it.
            Assert.Contains("OS_CLIENT_SECURE_FILE", e.Message);
            Assert.Contains(tmp.Dir("cwd") + ", " + tmp.Dir("home"), e.Message);
            Assert.DoesNotContain("next to", e.Message);
        }

        [Fact]
        public void TheHintNamesTheSecureYamlThatWasRead()
        {
            using var tmp = new TempDirectory();
            string clouds = tmp.Write("cwd/clouds.yaml", NoPassword);
            string secure = tmp.Write("home/secure.yaml", "clouds:\n  other:\n    auth:\n      password: x\n");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("prod", Search(tmp, null, tmp.Dir("cwd"), tmp.Dir("home"))));

            Assert.Contains($"in {clouds} or in {secure} (the secure.yaml that was read)", e.Message);
        }

        [Fact]
        public void ASecureYamlNextToAnExplicitCloudsYamlIsSaidNotToBeRead()
        {
            using var tmp = new TempDirectory();
            string clouds = tmp.Write("elsewhere/clouds.yaml", NoPassword);
            tmp.Write("elsewhere/secure.yaml", "clouds:\n  prod:\n    auth:\n      password: next-to-it\n");

            var e = Assert.Throws<ConfigurationException>(() => CloudsYamlLoader.Load("prod", Search(tmp, clouds, tmp.Dir("cwd"))));

            Assert.Contains($"a secure.yaml next to {clouds} is not read", e.Message);
            Assert.Contains("OS_CLIENT_SECURE_FILE", e.Message);
            Assert.DoesNotContain("next-to-it", e.Message);
        }

        [Fact]
        public void OpenRcTakesTheCredentialAndPromptsForAMissingPassword()
        {
            var env = new Dictionary<string, string> { ["OS_AUTH_URL"] = "http://k.test/v3", ["OS_USERNAME"] = "envuser", ["OS_PASSWORD"] = "env-pw" };
            var p = OpenRcEnvironment.FromEnvironment(n => env.TryGetValue(n, out var v) ? v : null,
                new CredentialOverrides { UserName = "alice", Password = new Secret("cred") });
            Assert.Equal("alice", p.Username);
            Assert.Equal("cred", p.Password.Reveal());

            env.Remove("OS_PASSWORD");
            var typed = OpenRcEnvironment.FromEnvironment(n => env.TryGetValue(n, out var v) ? v : null,
                new CredentialOverrides { Prompt = (c, u) => new PromptedCredential(u, new Secret("typed")) });
            Assert.Equal("typed", typed.Password.Reveal());

            var e = Assert.Throws<ConfigurationException>(() => OpenRcEnvironment.FromEnvironment(n => env.TryGetValue(n, out var v) ? v : null,
                new CredentialOverrides { Prompt = (c, u) => null, NoPromptReason = "it was not prompted for: this PowerShell host has no user interface" }));
            Assert.Contains("OS_PASSWORD", e.Message);
            Assert.Contains("-Credential", e.Message);
            Assert.Contains("no user interface", e.Message);
        }
    }
}
