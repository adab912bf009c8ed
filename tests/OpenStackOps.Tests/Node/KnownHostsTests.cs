using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using OpenStackOps.Node.Ssh;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>known_hosts parsing and verification, OpenSSH's rules.</summary>
    public class KnownHostsTests
    {
        internal static byte[] Key(string type, int seed)
        {
            var typeBytes = Encoding.ASCII.GetBytes(type);
            var body = new byte[32];
            new Random(seed).NextBytes(body);
            var blob = new byte[4 + typeBytes.Length + 4 + body.Length];
            blob[3] = (byte)typeBytes.Length;
            typeBytes.CopyTo(blob, 4);
            blob[4 + typeBytes.Length + 3] = 32;
            body.CopyTo(blob, 8 + typeBytes.Length);
            return blob;
        }

        private static string B64(byte[] b) => Convert.ToBase64String(b);
        private static readonly byte[] Ed1 = Key("ssh-ed25519", 1);
        private static readonly byte[] Ed2 = Key("ssh-ed25519", 2);
        private static readonly byte[] Rsa1 = Key("ssh-rsa", 3);

        [Fact]
        public void KeyTypeAndFingerprintComeFromTheBlob()
        {
            Assert.Equal("ssh-ed25519", KnownHostsFile.KeyTypeOf(Ed1));
            var expected = "SHA256:" + Convert.ToBase64String(SHA256.HashData(Ed1)).TrimEnd('=');
            Assert.Equal(expected, KnownHostsFile.Fingerprint(Ed1));
        }

        [Fact]
        public void PortOtherThan22IsLookedUpInBrackets()
        {
            var k = KnownHostsFile.FromLines(new[] { $"[127.0.0.1]:2201 ssh-ed25519 {B64(Ed1)}", $"node1 ssh-ed25519 {B64(Ed2)}" });
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("127.0.0.1", 2201, Ed1));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("127.0.0.1", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("127.0.0.1", 2202, Ed1));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("node1", 22, Ed2));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("node1", 2201, Ed2));
        }

        [Fact]
        public void ADifferentKeyForAKnownHostIsChangedAlsoOfAnotherType()
        {
            var k = KnownHostsFile.FromLines(new[] { $"[127.0.0.1]:2201 ssh-ed25519 {B64(Ed1)}" });
            Assert.Equal(HostKeyVerdict.Changed, k.Verify("127.0.0.1", 2201, Ed2));
            Assert.Equal(HostKeyVerdict.Changed, k.Verify("127.0.0.1", 2201, Rsa1));
            Assert.Equal(new[] { "ssh-ed25519" }, k.KnownKeyTypes("127.0.0.1", 2201));
        }

        [Fact]
        public void PatternsListsWildcardsAndNegations()
        {
            var k = KnownHostsFile.FromLines(new[]
            {
                "# comment",
                "",
                $"c01.example.com,c01,10.0.0.1 ssh-ed25519 {B64(Ed1)} comment here",
                $"*.example.net,!bad.example.net ssh-ed25519 {B64(Ed2)}",
                $"[node?.lab]:2222 ssh-rsa {B64(Rsa1)}",
            });
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("c01", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("10.0.0.1", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("C01.EXAMPLE.COM", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("x.example.net", 22, Ed2));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("bad.example.net", 22, Ed2));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("node7.lab", 2222, Rsa1));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("node17.lab", 2222, Rsa1));
        }

        [Fact]
        public void RevokedKeysAreRefusedAndCertAuthorityLinesIgnored()
        {
            var k = KnownHostsFile.FromLines(new[]
            {
                $"@revoked * ssh-ed25519 {B64(Ed1)}",
                $"c01 ssh-ed25519 {B64(Ed1)}",
                $"@cert-authority *.example.com ssh-ed25519 {B64(Ed2)}",
                "garbage line",
                "c02 ssh-ed25519 not-base64!!",
            });
            Assert.Equal(HostKeyVerdict.Revoked, k.Verify("c01", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("c03.example.com", 22, Ed2));
        }

        [Fact]
        public void HashedEntriesMatchTheHmacOfTheLookupName()
        {
            var salt = new byte[20];
            new Random(9).NextBytes(salt);
            string Hash(string name) { using var h = new HMACSHA1(salt); return "|1|" + B64(salt) + "|" + B64(h.ComputeHash(Encoding.UTF8.GetBytes(name))); }
            var k = KnownHostsFile.FromLines(new[] { $"{Hash("[127.0.0.1]:2201")} ssh-ed25519 {B64(Ed1)}", $"{Hash("c01")} ssh-ed25519 {B64(Ed2)}" });
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("127.0.0.1", 2201, Ed1));
            Assert.Equal(HostKeyVerdict.Changed, k.Verify("127.0.0.1", 2201, Ed2));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("c01", 22, Ed2));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("c02", 22, Ed2));
        }

        [Fact]
        public void EntriesHashedByTheRealSshKeygenAreUnderstood()
        {
            if (!File.Exists("/usr/bin/ssh-keygen")) return; // OpenSSH client not installed: the HMAC test above still runs
            string dir = Directory.CreateTempSubdirectory("osops-kh").FullName;
            string file = Path.Combine(dir, "known_hosts");
            File.WriteAllLines(file, new[] { $"[127.0.0.1]:2201 ssh-ed25519 {B64(Ed1)}", $"c01.example.com ssh-ed25519 {B64(Ed2)}" });
            using (var p = Process.Start(new ProcessStartInfo("/usr/bin/ssh-keygen", $"-H -f {file}") { RedirectStandardOutput = true, RedirectStandardError = true }))
                p.WaitForExit();
            Assert.All(File.ReadAllLines(file).Where(l => l.Length > 0), l => Assert.StartsWith("|1|", l));
            var k = KnownHostsFile.Load(file);
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("127.0.0.1", 2201, Ed1));
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("c01.example.com", 22, Ed2));
            Assert.Equal(HostKeyVerdict.Changed, k.Verify("c01.example.com", 22, Ed1));
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("127.0.0.1", 2202, Ed1));
        }

        [Fact]
        public void AddAppendsAnOpenSshLineThatReadsBack()
        {
            string dir = Directory.CreateTempSubdirectory("osops-kh").FullName;
            string file = Path.Combine(dir, "sub", "known_hosts");
            var k = KnownHostsFile.Load(file);
            Assert.Equal(0, k.Count);
            Assert.Equal(HostKeyVerdict.Unknown, k.Verify("127.0.0.1", 2201, Ed1));
            k.Add("127.0.0.1", 2201, Ed1);
            Assert.Equal(HostKeyVerdict.Trusted, k.Verify("127.0.0.1", 2201, Ed1));
            Assert.Equal($"[127.0.0.1]:2201 ssh-ed25519 {B64(Ed1)}", File.ReadAllText(file).Trim());
            Assert.Equal(HostKeyVerdict.Trusted, KnownHostsFile.Load(file).Verify("127.0.0.1", 2201, Ed1));
        }
    }
}
