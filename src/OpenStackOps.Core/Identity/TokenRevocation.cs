using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// Ends a token's life at Keystone (DELETE /v3/auth/tokens, the token authorising its own revocation), so a
    /// closed session leaves no token that still works for up to its remaining lifetime.
    /// </summary>
    internal static class TokenRevocation
    {
        /// <returns>
        /// True when Keystone revoked it; false when it was already expired or revoked: 401 (the token authorises its own
        /// revocation, so Keystone refuses it as a credential first) or 404.
        /// </returns>
        /// <exception cref="OpenStackApiException">Keystone refused, did not answer in time, or could not be reached.</exception>
        internal static async Task<bool> RevokeAsync(HttpClient http, Uri authUrl, string token, IApiLog log, ApiCallCounter counter,
            TimeSpan timeout, CancellationToken ct)
        {
            var url = KeystoneUrl.Tokens(authUrl);
            using (var request = new HttpRequestMessage(HttpMethod.Delete, url))
            {
                request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
                request.Headers.TryAddWithoutValidation("X-Subject-Token", token);
                var response = await KeystoneAuthenticator.SendAsync(http, request, timeout, log, counter,
                    e => new OpenStackApiException(ApiErrorKind.ConnectionFailed, $"Could not reach Keystone at {url}: {e.Message}", e), ct).ConfigureAwait(false);
                using (response)
                {
                    int status = (int)response.StatusCode;
                    if (status == 204 || status == 200) return true;
                    if (status == 401 || status == 404) return false;
                    string text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var (_, said) = ServiceClient.ParseFault(text);
                    throw new OpenStackApiException(OpenStackApiException.KindFromStatus(status),
                        $"Keystone refused to revoke the token: {said?.TrimEnd('.') ?? "HTTP " + status}.") { Service = "identity", StatusCode = status };
                }
            }
        }
    }
}
