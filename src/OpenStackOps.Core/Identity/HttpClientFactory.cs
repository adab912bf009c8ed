using System.Net;
using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>The one HttpClient of a session, with the profile's TLS trust (CA bundle or no check at all).</summary>
    public static class HttpClientFactory
    {
        /// <summary>
        /// A client with no overall timeout (each request has its own, see ServiceClient.RequestTimeout).
        /// <paramref name="innerForTests"/> replaces the network; the CA bundle is still read, so its errors show.
        /// </summary>
        /// <exception cref="ConfigurationException">The CA bundle is missing or unreadable.</exception>
        public static HttpClient Create(CloudProfile profile, HttpMessageHandler? innerForTests = null)
        {
            if (profile == null) throw new ArgumentNullException(nameof(profile));
            var bundle = !profile.SkipCertificateCheck && !string.IsNullOrEmpty(profile.CACertificatePath)
                ? CaBundle.Load(profile.CACertificatePath!)
                : null;

            HttpMessageHandler? handler = innerForTests;
            if (handler == null)
            {
                var h = new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    // Keystone and nova answer; a redirect means a misconfigured URL, better seen than followed with the token.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                };
                if (profile.SkipCertificateCheck)
                    h.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
                else if (bundle != null)
                    h.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => bundle.Validate(cert, chain, errors);
                handler = h;
            }
            return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }
    }
}
