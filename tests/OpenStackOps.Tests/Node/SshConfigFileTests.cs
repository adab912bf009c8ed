using System.Collections.Generic;
using System.IO;
using System.Linq;
using OpenStackOps.Configuration;
using OpenStackOps.Node.Shell;
using OpenStackOps.Node.Ssh;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>~/.ssh/config read as OpenSSH reads it (ssh_config(5)), and applied to node connections (issue #13, item 9).</summary>
    public class SshConfigFileTests
    {
        private const string Home = "/home/op";

        private const string Config = @"
# the compute nodes
Host c01 c01.example.com
    HostName 10.0.0.11
    Port 2201
    IdentityFile ~/.ssh/nodes_ed25519

Host c0? *.example.com !bastion.example.com
    User osops
    Port 22
    IdentityFile ~/.ssh/id_nodes
    UserKnownHostsFile ~/.ssh/known_hosts.nodes ~/.ssh/known_hosts.other
    ProxyJump jump@bastion.example.com:2222

Host bastion.example.com
    HostName 192.0.2.1
    User ignored-here

Host *
    User root
    Port 2022
";

        private static SshHostSettings Resolve(string host, string text = Config) => SshConfigFile.Parse(text, Home).Resolve(host);

        [Fact]
        public void TheFirstValueOfEachKeywordWinsAndIdentityFilesAddUp()
        {
            var s = Resolve("c01");
            Assert.Equal("10.0.0.11", s.HostName);
            Assert.Equal(2201, s.Port);          // first block, not the later Port 22 or Port 2022
            Assert.Equal("osops", s.User);       // only the second block sets it before Host *
            Assert.Equal(new[] { "/home/op/.ssh/nodes_ed25519", "/home/op/.ssh/id_nodes" }, s.IdentityFiles);
            Assert.Equal(new[] { "/home/op/.ssh/known_hosts.nodes", "/home/op/.ssh/known_hosts.other" }, s.UserKnownHostsFiles);
            Assert.Equal("jump@bastion.example.com:2222", s.ProxyJump);
        }

        [Fact]
        public void PatternsUseStarAndQuestionMarkCaseInsensitively()
        {
            Assert.Equal("osops", Resolve("C02").User);                // c0?
            Assert.Equal("osops", Resolve("c17.Example.COM").User);    // *.example.com
            Assert.Equal("root", Resolve("c010").User);                // c0? is one character
            Assert.Equal(2022, Resolve("db1").Port);                   // only Host *
            Assert.Equal("db1", Resolve("db1").HostName);              // no HostName: the name itself
        }

        [Fact]
        public void ANegatedPatternExcludesTheBlock()
        {
            var s = Resolve("bastion.example.com");
            Assert.Equal("ignored-here", s.User);   // the *.example.com block is excluded by !bastion.example.com
            Assert.Equal("192.0.2.1", s.HostName);
            Assert.Null(s.ProxyJump);
        }

        [Theory]
        [InlineData("HOSTNAME=10.1.1.1\nPort=2200\nuser = bob\n")]
        [InlineData("hostname 10.1.1.1\nPORT   2200\n\tUser\tbob\n")]
        [InlineData("HostName \"10.1.1.1\"\nPort= 2200\nUser =bob # a comment\n")]
        public void KeywordsAreCaseInsensitiveInEitherForm(string body)
        {
            var s = Resolve("x", "Host x\n" + body);
            Assert.Equal("10.1.1.1", s.HostName);
            Assert.Equal(2200, s.Port);
            Assert.Equal("bob", s.User);
        }

        [Fact]
        public void TokensAndQuotedPathsAreExpanded()
        {
            var s = Resolve("c05", "Host c*\n  HostName %h.mgmt.example.com\n  IdentityFile \"~/keys/my key %h\"\n  IdentityFile %d/.ssh/%r@%n\n  User ops\n");
            Assert.Equal("c05.mgmt.example.com", s.HostName);
            Assert.Equal(new[] { "/home/op/keys/my key c05.mgmt.example.com", "/home/op/.ssh/ops@c05" }, s.IdentityFiles);
        }

        [Fact]
        public void IncludeIsReadInPlaceRelativeToDotSsh()
        {
            var files = new Dictionary<string, string>
            {
                ["/home/op/.ssh/config.d/nodes"] = "Host c01\n  User fromincluded\n  Port 2201\nHost other\n  User o\n",
            };
            var config = SshConfigFile.Parse("Include config.d/*\nHost c01\n  User later\n  HostName h\n", Home,
                p => files.TryGetValue(p, out var t) ? t : null,
                pattern => files.Keys.Where(k => SshConfigFile.Wildcard(pattern, k)));
            var s = config.Resolve("c01");
            Assert.Equal("fromincluded", s.User);
            Assert.Equal(2201, s.Port);
            Assert.Equal("h", s.HostName); // the included file's Host blocks end with it
        }

        [Fact]
        public void MatchBlocksAreSkippedAndSaidSo()
        {
            var s = Resolve("c01", "Match user root\n  Port 9\nHost c01\n  User u\n");
            Assert.Null(s.Port);
            Assert.Equal("u", s.User);
            Assert.Contains(s.Notes, n => n.Contains("Match user root"));
        }

        [Fact]
        public void NoneValuesClearWhatLaterBlocksWouldSet()
        {
            var s = Resolve("c01", "Host c01\n  ProxyJump none\n  UserKnownHostsFile none\nHost *\n  ProxyJump j\n  UserKnownHostsFile /k\n");
            Assert.Null(s.ProxyJump);
            Assert.Empty(s.UserKnownHostsFiles);
        }

        [Fact]
        public void LoadReadsTheFileAndAMissingFileSaysNothing()
        {
            string dir = Directory.CreateTempSubdirectory("osops-ssh").FullName;
            try
            {
                File.WriteAllText(Path.Combine(dir, "config"), "Host c01\n  Port 2201\n  Include extra\n");
                Directory.CreateDirectory(Path.Combine(dir, ".ssh"));
                File.WriteAllText(Path.Combine(dir, ".ssh", "extra"), "User inc\n");
                var s = SshConfigFile.Load(Path.Combine(dir, "config"), dir).Resolve("c01");
                Assert.Equal(2201, s.Port);
                Assert.Equal("inc", s.User); // an Include inside a Host block applies to that host
                Assert.Contains(s.MatchedBlocks, b => b.Contains("line 1"));
                Assert.False(SshConfigFile.Load(Path.Combine(dir, "nothing"), dir).Resolve("c01").HasSettings);
            }
            finally { Directory.Delete(dir, true); }
        }

        // ---- applied to a node's connection options ----

        private static readonly System.Func<string, bool> AllExist = _ => true;

        [Fact]
        public void TheConfigFillsWhatWasNotGivenAndTheJumpHostGetsItsOwnEntry()
        {
            var o = new NodeConnectionOptions { NodeName = "c01" };
            var taken = SshConnectionDefaults.Apply(o, SshConfigFile.Parse(Config, Home), SshSettingsGiven.None, AllExist);

            Assert.Equal("10.0.0.11", o.Address);
            Assert.Equal(2201, o.Port);
            Assert.Equal("osops", o.UserName);
            Assert.Equal(new[] { "/home/op/.ssh/nodes_ed25519", "/home/op/.ssh/id_nodes" }, o.KeyFiles);
            Assert.Equal("/home/op/.ssh/known_hosts.nodes", o.KnownHostsPath);
            Assert.Equal("jump", o.JumpHost.UserName);
            Assert.Equal("192.0.2.1", o.JumpHost.Address);   // the bastion's own HostName
            Assert.Equal(2222, o.JumpHost.Port);             // written in ProxyJump
            Assert.Equal(o.KeyFiles, o.JumpHost.KeyFiles);
            Assert.Equal("osops@10.0.0.11:2201 via jump@192.0.2.1:2222", o.Describe());
            Assert.Contains(taken, t => t.Contains("Host c01 c01.example.com"));
        }

        [Fact]
        public void ExplicitSettingsWin()
        {
            var o = new NodeConnectionOptions { NodeName = "c01", Address = "127.0.0.1", Port = 22, UserName = "me", KnownHostsPath = "/kh" };
            o.KeyFiles.Add("/mine");
            SshConnectionDefaults.Apply(o, SshConfigFile.Parse(Config, Home),
                SshSettingsGiven.Address | SshSettingsGiven.Port | SshSettingsGiven.User | SshSettingsGiven.KeyFiles | SshSettingsGiven.KnownHosts | SshSettingsGiven.JumpHost, AllExist);
            Assert.Equal("me@127.0.0.1:22", o.Describe());
            Assert.Equal(new[] { "/mine" }, o.KeyFiles);
            Assert.Equal("/kh", o.KnownHostsPath);
            Assert.Null(o.JumpHost);
        }

        [Fact]
        public void MissingIdentityFilesAreSkippedWithoutFallingBackToTheDefaultKeys()
        {
            var o = new NodeConnectionOptions { NodeName = "c09" };
            SshConnectionDefaults.Apply(o, SshConfigFile.Parse("Host c09\n  IdentityFile ~/.ssh/gone\n", Home), SshSettingsGiven.None, _ => false);
            Assert.Empty(o.KeyFiles);
            Assert.Empty(o.EffectiveKeyFiles());
        }

        [Fact]
        public void APasswordKeepsTheConfigsKeysOut()
        {
            var o = new NodeConnectionOptions { NodeName = "c01", Password = new Secret("pw") };
            SshConnectionDefaults.Apply(o, SshConfigFile.Parse(Config, Home), SshSettingsGiven.Password, AllExist);
            Assert.Empty(o.KeyFiles);
            Assert.Equal("osops", o.UserName);
        }

        [Fact]
        public void ProxyCommandAndSeveralJumpsAreRefusedRatherThanBypassed()
        {
            var cmd = Assert.Throws<NodeCommandException>(() => SshConnectionDefaults.Apply(new NodeConnectionOptions { NodeName = "c01" },
                SshConfigFile.Parse("Host c01\n  ProxyCommand ssh -W %h:%p bastion\n", Home), SshSettingsGiven.None, AllExist));
            Assert.Equal(NodeErrorKind.Unsupported, cmd.Kind);
            Assert.Contains("ProxyCommand", cmd.Message);

            var hops = Assert.Throws<NodeCommandException>(() => SshConnectionDefaults.Apply(new NodeConnectionOptions { NodeName = "c01" },
                SshConfigFile.Parse("Host c01\n  ProxyJump a,b\n", Home), SshSettingsGiven.None, AllExist));
            Assert.Contains("only one jump host", hops.Message);
        }

        [Fact]
        public void AcceptNewIsTakenButNoIsNot()
        {
            var o = new NodeConnectionOptions { NodeName = "a" };
            SshConnectionDefaults.Apply(o, SshConfigFile.Parse("Host a\n  StrictHostKeyChecking accept-new\n", Home), SshSettingsGiven.None, AllExist);
            Assert.Equal(HostKeyPolicy.AcceptNew, o.HostKeyPolicy);
            var n = new NodeConnectionOptions { NodeName = "a" };
            SshConnectionDefaults.Apply(n, SshConfigFile.Parse("Host a\n  StrictHostKeyChecking no\n  Port 1\n", Home), SshSettingsGiven.None, AllExist);
            Assert.Equal(HostKeyPolicy.Strict, n.HostKeyPolicy);
        }
    }
}
