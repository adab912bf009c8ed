using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>
    /// A Keystone that answers every request over TLS with a token, on 127.0.0.1 only. Each connection is
    /// bounded (10 s), and the server stops by itself after 60 s even if the test forgets to dispose it.
    /// </summary>
    public sealed class TlsTestServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        private readonly string _tokenBody;
        private int _served;

        /// <param name="certificate">The server certificate to present.</param>
        /// <param name="tokenBody">The Keystone token document every request is answered with.</param>
        public TlsTestServer(X509Certificate2 certificate, string tokenBody)
        {
            _certificate = certificate;
            _tokenBody = tokenBody;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptAsync);
        }

        public int Port { get; }
        public string AuthUrl => $"https://127.0.0.1:{Port}/v3";
        /// <summary>Requests answered after a completed handshake.</summary>
        public int Served => Volatile.Read(ref _served);

        private async Task AcceptAsync()
        {
            using (_stop.Token.Register(() => _listener.Stop()))
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                    catch (Exception) { return; }
                    _ = Task.Run(() => ServeAsync(client));
                }
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            limit.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, limit.Token);
                int contentLength = await ReadHeadersAsync(tls, limit.Token);
                var body = new byte[contentLength];
                int read = 0;
                while (read < contentLength)
                {
                    int n = await tls.ReadAsync(body.AsMemory(read), limit.Token);
                    if (n == 0) return;
                    read += n;
                }
                byte[] answer = Encoding.UTF8.GetBytes(_tokenBody);
                string head = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Subject-Token: tls-token\r\n" +
                              $"Content-Length: {answer.Length}\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(head), limit.Token);
                await tls.WriteAsync(answer, limit.Token);
                await tls.FlushAsync(limit.Token);
                Interlocked.Increment(ref _served);
            }
            catch (Exception)
            {
                // A client that refuses the certificate hangs up mid-handshake: that is the point of some tests.
            }
        }

        private static async Task<int> ReadHeadersAsync(Stream s, CancellationToken ct)
        {
            var text = new StringBuilder();
            var one = new byte[1];
            while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await s.ReadAsync(one, ct) == 0 || text.Length > 64 * 1024) throw new IOException("incomplete request");
                text.Append((char)one[0]);
            }
            foreach (var line in text.ToString().Split("\r\n"))
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    return int.Parse(line.Substring("Content-Length:".Length).Trim());
            return 0;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    /// <summary>Throw-away certificates, made in the test: a CA, and server certificates it signs.</summary>
    public static class TestCertificates
    {
        public static X509Certificate2 CreateCa(string name)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        }

        /// <summary>A server certificate for <paramref name="dnsName"/>, or for 127.0.0.1 when it is null.</summary>
        public static X509Certificate2 CreateServer(X509Certificate2 ca, string dnsName = null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={dnsName ?? "127.0.0.1"}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            if (dnsName == null) san.AddIpAddress(IPAddress.Loopback);
            else san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7f;
            // Inside the issuer's validity: "now + 1 day" taken a moment after the CA's could end a second after it
            // (certificates keep whole seconds), and Create refuses a certificate that outlives its issuer.
            var notAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime()).AddMinutes(-5);
            using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), notAfter, serial);
            using var withKey = signed.CopyWithPrivateKey(key);
            // Through PKCS#12 so that SslStream can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        public static string Pem(params X509Certificate2[] certificates)
        {
            var sb = new StringBuilder();
            foreach (var c in certificates) sb.Append(c.ExportCertificatePem()).Append('\n');
            return sb.ToString();
        }
    }
}
