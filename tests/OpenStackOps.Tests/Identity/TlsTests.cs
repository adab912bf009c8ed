using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Tests.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>Real TLS handshakes against a loopback server whose certificate a throw-away CA signed.</summary>
    public class TlsTests
    {
        private static CloudProfile Profile(TlsTestServer server)
        {
            var p = KeystoneFixtures.Password();
            p.AuthUrl = new System.Uri(server.AuthUrl);
            return p;
        }

        private static async Task<KeystoneToken> Connect(CloudProfile profile)
        {
            using var http = HttpClientFactory.Create(profile);
            return await KeystoneAuthenticator.AuthenticateAsync(http, profile, new RecordingLog(), new ApiCallCounter(), CancellationToken.None);
        }

        [Fact]
        public async Task WithoutTheCaTheCertificateIsRefused()
        {
            var ca = TestCertificates.CreateCa("OpenStackOps Test CA");
            using var server = new TlsTestServer(TestCertificates.CreateServer(ca), KeystoneFixtures.ProjectScopedToken);

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Connect(Profile(server)));

            Assert.Equal(ApiErrorKind.TlsFailure, e.Kind);
            Assert.Contains("-CACertificatePath", e.Message);
            Assert.Equal(0, server.Served);
        }

        [Fact]
        public async Task WithTheCaBundleTheConnectionSucceeds()
        {
            var ca = TestCertificates.CreateCa("OpenStackOps Test CA");
            var unrelated = TestCertificates.CreateCa("Some Other CA");
            using var server = new TlsTestServer(TestCertificates.CreateServer(ca), KeystoneFixtures.ProjectScopedToken);
            using var tmp = new TempDirectory();
            var p = Profile(server);
            p.CACertificatePath = tmp.Write("ca-bundle.pem", TestCertificates.Pem(unrelated, ca));

            var token = await Connect(p);

            Assert.Equal("tls-token", token.Value.Reveal());
            Assert.Equal(1, server.Served);
        }

        [Fact]
        public async Task SkipCertificateCheckAcceptsAnything()
        {
            var ca = TestCertificates.CreateCa("OpenStackOps Test CA");
            using var server = new TlsTestServer(TestCertificates.CreateServer(ca, "not-this-host.test"), KeystoneFixtures.ProjectScopedToken);
            var p = Profile(server);
            p.SkipCertificateCheck = true;

            var token = await Connect(p);

            Assert.Equal("tls-token", token.Value.Reveal());
        }

        [Fact]
        public async Task TheBundleDoesNotExcuseAWrongName()
        {
            var ca = TestCertificates.CreateCa("OpenStackOps Test CA");
            using var server = new TlsTestServer(TestCertificates.CreateServer(ca, "keystone.elsewhere.test"), KeystoneFixtures.ProjectScopedToken);
            using var tmp = new TempDirectory();
            var p = Profile(server);
            p.CACertificatePath = tmp.Write("ca.pem", TestCertificates.Pem(ca));

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Connect(p));

            Assert.Equal(ApiErrorKind.TlsFailure, e.Kind);
            Assert.Contains(p.CACertificatePath, e.Message);
            Assert.Equal(0, server.Served);
        }

        [Fact]
        public async Task ABundleWithoutTheServersCaIsRefused()
        {
            var ca = TestCertificates.CreateCa("OpenStackOps Test CA");
            var other = TestCertificates.CreateCa("OpenStackOps Test CA"); // same name, different key
            using var server = new TlsTestServer(TestCertificates.CreateServer(ca), KeystoneFixtures.ProjectScopedToken);
            using var tmp = new TempDirectory();
            var p = Profile(server);
            p.CACertificatePath = tmp.Write("ca.pem", TestCertificates.Pem(other));

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Connect(p));

            Assert.Equal(ApiErrorKind.TlsFailure, e.Kind);
        }

        [Fact]
        public void AChainEndingAtACaOutsideTheBundleIsRefused()
        {
            // A server may send a CA of its own along; the chain then builds to it with only "untrusted root",
            // which AllowUnknownCertificateAuthority lets through: only the bundle's thumbprints stop it.
            // (.NET servers never send a self-signed root, so this is checked on the callback itself.)
            var rogue = TestCertificates.CreateCa("Rogue CA");
            var trusted = TestCertificates.CreateCa("OpenStackOps Test CA");
            var server = TestCertificates.CreateServer(rogue);
            using var presented = new X509Chain();
            presented.ChainPolicy.ExtraStore.Add(rogue);
            presented.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            presented.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            presented.Build(server);
            Assert.Equal(2, presented.ChainElements.Count);
            using var tmp = new TempDirectory();

            var bundle = CaBundle.Load(tmp.Write("ca.pem", TestCertificates.Pem(trusted)));
            var rogueBundle = CaBundle.Load(tmp.Write("rogue.pem", TestCertificates.Pem(rogue)));

            Assert.False(bundle.Validate(server, presented, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.True(rogueBundle.Validate(server, presented, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(rogueBundle.Validate(server, presented, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        }

        [Fact]
        public void AMissingOrUnreadableBundleIsAConfigurationError()
        {
            using var tmp = new TempDirectory();
            var p = KeystoneFixtures.Password();

            p.CACertificatePath = System.IO.Path.Combine(tmp.Path, "missing.pem");
            var missing = Assert.Throws<ConfigurationException>(() => HttpClientFactory.Create(p));
            p.CACertificatePath = tmp.Write("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
            var garbage = Assert.Throws<ConfigurationException>(() => HttpClientFactory.Create(p));
            p.CACertificatePath = tmp.Write("empty.pem", "# no certificates here\n");
            var empty = Assert.Throws<ConfigurationException>(() => HttpClientFactory.Create(p));

            Assert.Equal(ConfigurationError.MissingSetting, missing.Reason);
            Assert.Contains("missing.pem", missing.Message);
            Assert.Equal(ConfigurationError.InvalidFile, garbage.Reason);
            Assert.Contains("garbage.pem", garbage.Message);
            Assert.Equal(ConfigurationError.InvalidFile, empty.Reason);
            Assert.Equal(p.CACertificatePath, empty.Target);
        }

        [Fact]
        public void TheClientHasNoOverallTimeout()
        {
            using var http = HttpClientFactory.Create(KeystoneFixtures.Password());
            Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
        }
    }
}
