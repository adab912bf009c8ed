using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenStackOps.Configuration;
using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// Gets a Keystone v3 token for a profile: password, application credential, or an existing token
    /// (rescoped to the profile's project, or validated as it is when no scope is given).
    /// One request, no retry: a second try with a wrong password only brings the account closer to a lockout.
    /// Secrets go into the request body and nowhere else: not the log, not an exception message.
    /// </summary>
    public static class KeystoneAuthenticator
    {
        private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        /// <summary>Authenticates and returns the token with its catalog.</summary>
        /// <exception cref="OpenStackApiException">Refused (Unauthorized...), unreachable, TLS, timeout or a malformed answer.</exception>
        /// <exception cref="ConfigurationException">The profile cannot be used (a v2 auth URL, a missing secret).</exception>
        public static Task<KeystoneToken> AuthenticateAsync(HttpClient http, CloudProfile profile, IApiLog log, ApiCallCounter counter,
            CancellationToken ct)
            => AuthenticateAsync(http, profile, log, counter, DefaultTimeout, ct);

        internal static async Task<KeystoneToken> AuthenticateAsync(HttpClient http, CloudProfile profile, IApiLog log,
            ApiCallCounter counter, TimeSpan timeout, CancellationToken ct)
        {
            if (http == null) throw new ArgumentNullException(nameof(http));
            if (profile == null) throw new ArgumentNullException(nameof(profile));
            log = log ?? NullApiLog.Instance;
            Validate(profile);

            var url = KeystoneUrl.Tokens(profile.AuthUrl!);
            // A bare token with no scope asked for keeps its own: validate it (GET) instead of rescoping (POST).
            bool validateOnly = profile.Method == AuthMethod.Token && !AuthRequest.HasScope(profile);
            var method = validateOnly ? HttpMethod.Get : HttpMethod.Post;

            using (var request = new HttpRequestMessage(method, url))
            {
                request.Headers.TryAddWithoutValidation("Accept", "application/json");
                request.Headers.TryAddWithoutValidation("User-Agent", "OpenStackOps/" + typeof(KeystoneAuthenticator).Assembly.GetName().Version);
                if (validateOnly)
                {
                    request.Headers.TryAddWithoutValidation("X-Auth-Token", profile.Token!.Reveal());
                    request.Headers.TryAddWithoutValidation("X-Subject-Token", profile.Token.Reveal());
                }
                else
                {
                    request.Content = new StringContent(AuthRequest.Body(profile).ToJsonString(), Encoding.UTF8, "application/json");
                }

                var response = await SendAsync(http, request, timeout, log, counter, e => TransportFailure(e, url, profile), ct).ConfigureAwait(false);
                using (response)
                {
                    string text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    string? requestId = Header(response, "x-openstack-request-id");
                    // Keystone answers a POST with 201; a proxy in front may turn it into 200.
                    if (status != 200 && !(status == 201 && !validateOnly))
                        throw Decorate(Refused(status, text, url, requestId, response.Headers.Location, profile), method, url);
                    return Accepted(response, text, url, requestId, method);
                }
            }
        }

        /// <summary>
        /// Sends one request to Keystone within <paramref name="timeout"/>, counted and described in the log: no answer in
        /// time is a Timeout and a transport failure is what <paramref name="transportFailure"/> makes of it, both marked
        /// as identity errors.
        /// </summary>
        internal static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, IApiLog log,
            ApiCallCounter counter, Func<HttpRequestException, OpenStackApiException> transportFailure, CancellationToken ct)
        {
            var method = request.Method;
            var url = request.RequestUri;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                deadline.CancelAfter(timeout);
                counter?.Increment();
                var sw = Stopwatch.StartNew();
                try
                {
                    var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
                    string? requestId = Header(response, "x-openstack-request-id");
                    log?.Verbose($"{method} {url} (identity) -> {(int)response.StatusCode} in {sw.ElapsedMilliseconds} ms{(requestId == null ? "" : " [" + requestId + "]")}");
                    return response;
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    log?.Verbose($"{method} {url} (identity) -> no answer in {sw.ElapsedMilliseconds} ms");
                    throw Decorate(new OpenStackApiException(ApiErrorKind.Timeout,
                        $"Keystone did not answer {method} {url} within {timeout.TotalSeconds:0.#} s. Check that Keystone is running and reachable.", e), method, url);
                }
                catch (HttpRequestException e)
                {
                    log?.Verbose($"{method} {url} (identity) -> failed after {sw.ElapsedMilliseconds} ms");
                    throw Decorate(transportFailure(e), method, url);
                }
            }
        }

        private static void Validate(CloudProfile p)
        {
            if (p.AuthUrl == null)
                throw new ConfigurationException(ConfigurationError.MissingSetting,
                    $"Cloud '{p.Name}' ({p.Source}) has no auth URL: set auth_url, OS_AUTH_URL or -AuthUrl.", p.Name);
            string? missing = SettingValues.FirstMissing(p);
            if (missing != null)
                throw new ConfigurationException(ConfigurationError.MissingSetting,
                    $"Cloud '{p.Name}' ({p.Source}) has no {missing.Replace('_', ' ')}, which {SettingValues.MethodDescription(p.Method)} needs.", p.Name);
        }

        private static KeystoneToken Accepted(HttpResponseMessage response, string text, Uri url, string? requestId, HttpMethod method)
        {
            string? subject = Header(response, "X-Subject-Token");
            JsonNode? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Reported below as a token without a body.
            }
            var token = string.IsNullOrEmpty(subject) ? null : TokenResponse.Parse(subject!, body);
            if (token != null) return token;
            throw Decorate(new OpenStackApiException(ApiErrorKind.InvalidResponse,
                $"Keystone at {url} accepted the credentials but its answer has no " +
                (string.IsNullOrEmpty(subject) ? "X-Subject-Token header" : "token with expires_at") +
                ". Is the auth URL Keystone's? A proxy in between may strip headers.")
            { StatusCode = (int)response.StatusCode, RequestId = requestId }, method, url);
        }

        private static OpenStackApiException Refused(int status, string text, Uri url, string? requestId, Uri? location, CloudProfile p)
        {
            var (fault, serverMessage) = ServiceClient.ParseFault(text);
            // Keystone's validation messages may quote the input; what is sent is known, so blank it out.
            serverMessage = Redact(serverMessage, p);
            string said = serverMessage ?? (string.IsNullOrWhiteSpace(text) ? "no explanation" : "HTTP " + status);
            string who = AuthRequest.Describe(p);
            string rid = requestId == null ? "" : $" (request {requestId})";
            string message;
            var kind = OpenStackApiException.KindFromStatus(status);
            switch (status)
            {
                case 401:
                    message = $"Keystone refused the credentials of {who} at {url}: {said}{rid}. {Advice(p)}";
                    break;
                case 400:
                    message = $"Keystone rejected the authentication request for {who} at {url} as malformed: {said}{rid}. " +
                              "Check the domain and project settings (a user or project given by name needs its domain).";
                    break;
                case 403:
                    message = $"Keystone does not allow {who} at {url}: {said}{rid}. Check that the user has a role on that project or domain.";
                    break;
                case 404 when p.Method == AuthMethod.Token:
                    // Keystone's answer to a token it cannot decrypt ("Could not recognize Fernet token").
                    kind = ApiErrorKind.Unauthorized;
                    message = $"Keystone does not recognise {who} at {url}: {said}{rid}. It may have expired or been revoked, " +
                              "or come from another cloud: get a new one and connect again.";
                    break;
                case 404:
                    message = $"Keystone answered 404 to {url}: {said}{rid}. Check the auth URL: it should be Keystone's, " +
                              "e.g. https://keystone.example.com:5000/v3, or name a project or domain that exists.";
                    break;
                case 300:
                case 301:
                case 302:
                case 303:
                case 307:
                case 308:
                    // Redirects are not followed: they would carry the credentials or the token to wherever they point.
                    message = $"Keystone at {url} redirects to {location?.ToString() ?? "another address"} ({status}). " +
                              "Use the address it redirects to as the auth URL (https:// rather than http://?).";
                    break;
                default:
                    message = $"Keystone answered {status} when authenticating {who} at {url}: {said}{rid}.";
                    break;
            }
            return new OpenStackApiException(kind, message)
            {
                StatusCode = status,
                RequestId = requestId,
                FaultName = fault,
                ServerMessage = serverMessage,
            };
        }

        private static string Advice(CloudProfile p)
        {
            switch (p.Method)
            {
                case AuthMethod.ApplicationCredential:
                    return "Check the application credential's id (or name and user) and secret, and that it has not expired or been deleted.";
                case AuthMethod.Token:
                    return "The token may have expired or been revoked: get a new one and connect again.";
                default:
                    // Keystone also answers 401 when the user has no role on the scope asked for.
                    if (p.ProjectName != null || p.ProjectId != null)
                        return "Check the user name, password and project (the user needs a role on it).";
                    if (p.DomainName != null || p.DomainId != null)
                        return "Check the user name, password and domain (the user needs a role on it).";
                    return "Check the user name and password.";
            }
        }

        private static OpenStackApiException TransportFailure(HttpRequestException e, Uri url, CloudProfile p)
        {
            for (Exception inner = e; inner != null; inner = inner.InnerException)
                if (inner is AuthenticationException)
                    return new OpenStackApiException(ApiErrorKind.TlsFailure,
                        $"The TLS certificate of Keystone at {url.GetLeftPart(UriPartial.Authority)} was not accepted ({inner.Message}). " +
                        (p.CACertificatePath != null
                            ? $"It is not signed by a CA in {p.CACertificatePath}, or its name is not {url.Host}."
                            : "Pass the CA bundle (-CACertificatePath, 'cacert' in clouds.yaml, OS_CACERT), or -SkipCertificateCheck for a test cloud."), e);
            Exception last = e;
            while (last.InnerException != null) last = last.InnerException;
            return new OpenStackApiException(ApiErrorKind.ConnectionFailed,
                $"Could not reach Keystone at {url.GetLeftPart(UriPartial.Authority)} ({url}): {last.Message}. " +
                "Check the auth URL and that Keystone is running.", e);
        }

        private static OpenStackApiException Decorate(OpenStackApiException e, HttpMethod method, Uri url)
        {
            e.Service = "identity";
            e.Method = method.Method;
            e.Url = url.ToString();
            return e;
        }

        [return: NotNullIfNotNull("text")]
        internal static string? Redact(string? text, CloudProfile p)
        {
            if (string.IsNullOrEmpty(text)) return text;
            foreach (var secret in new[] { p.Password, p.ApplicationCredentialSecret, p.Token })
                if (secret != null && secret.Reveal().Length > 0)
                    text = text!.Replace(secret.Reveal(), secret.ToString());
            return text;
        }

        private static string? Header(HttpResponseMessage r, string name)
            => r.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }
}
