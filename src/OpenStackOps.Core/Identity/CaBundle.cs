using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// The CAs of a PEM bundle (cacert, OS_CACERT, -CACertificatePath), and the check that a server's chain ends
    /// at one of them. netstandard2.0 has no custom trust store, so the chain is built with the bundle as extra
    /// certificates, an unknown root allowed, and then the root must be one of the bundle's by thumbprint.
    /// </summary>
    internal sealed class CaBundle
    {
        private const string Begin = "-----BEGIN CERTIFICATE-----";
        private const string End = "-----END CERTIFICATE-----";

        private readonly X509Certificate2[] _certificates;
        private readonly HashSet<string> _thumbprints;

        private CaBundle(string path, X509Certificate2[] certificates)
        {
            Path = path;
            _certificates = certificates;
            _thumbprints = new HashSet<string>(certificates.Select(c => c.Thumbprint), StringComparer.OrdinalIgnoreCase);
        }

        public string Path { get; }
        public IReadOnlyList<X509Certificate2> Certificates => _certificates;

        /// <exception cref="ConfigurationException">The file is missing (MissingSetting) or holds no certificate (InvalidFile).</exception>
        public static CaBundle Load(string path)
        {
            if (!File.Exists(path))
                throw new ConfigurationException(ConfigurationError.MissingSetting,
                    $"The CA bundle {path} (cacert, OS_CACERT or -CACertificatePath) does not exist. Give the path of a PEM file with the cloud's CA certificates.", path);
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ConfigurationException(ConfigurationError.InvalidFile, $"Cannot read the CA bundle {path}: {e.Message}.", path, e);
            }

            var certificates = new List<X509Certificate2>();
            try
            {
                string text = System.Text.Encoding.ASCII.GetString(bytes);
                int at = 0;
                while ((at = text.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
                {
                    int end = text.IndexOf(End, at, StringComparison.Ordinal);
                    if (end < 0) throw new FormatException("a certificate has no END line");
                    string base64 = text.Substring(at + Begin.Length, end - at - Begin.Length);
                    certificates.Add(new X509Certificate2(Convert.FromBase64String(base64)));
                    at = end + End.Length;
                }
                // Not PEM at all: maybe a single DER certificate.
                if (certificates.Count == 0 && bytes.Length > 0 && bytes[0] == 0x30)
                    certificates.Add(new X509Certificate2(bytes));
            }
            catch (Exception e) when (e is FormatException || e is CryptographicException)
            {
                throw new ConfigurationException(ConfigurationError.InvalidFile,
                    $"The CA bundle {path} is not a readable PEM file ({e.Message}). It should hold one or more '{Begin}' blocks.", path, e);
            }
            if (certificates.Count == 0)
                throw new ConfigurationException(ConfigurationError.InvalidFile,
                    $"The CA bundle {path} holds no certificate. It should hold one or more '{Begin}' blocks.", path);
            return new CaBundle(path, certificates.ToArray());
        }

        /// <summary>The server certificate validation callback: the right name, a sound chain, and a root from this bundle.</summary>
        public bool Validate(X509Certificate2 certificate, X509Chain presented, SslPolicyErrors errors)
        {
            if (certificate == null) return false;
            // The name check is the platform's; a bundle must never excuse a certificate issued for another host.
            if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                return false;

            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.AddRange(_certificates);
                // Intermediates the server sent, which the bundle may not contain.
                if (presented != null)
                    foreach (var element in presented.ChainElements)
                        if (element.Certificate.Thumbprint != certificate.Thumbprint)
                            chain.ChainPolicy.ExtraStore.Add(element.Certificate);

                chain.Build(certificate);
                if (chain.ChainElements.Count == 0) return false;
                var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                if (!_thumbprints.Contains(root.Thumbprint)) return false;
                return chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.NoError || s.Status == X509ChainStatusFlags.UntrustedRoot);
            }
        }
    }
}
