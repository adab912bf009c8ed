using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenStackOps.Http
{
    /// <summary>
    /// Sends JSON requests to one OpenStack service endpoint with a token from <see cref="ITokenSource"/>.
    /// One place for the cross-cutting rules: the microversion header, a single re-authentication after 401,
    /// bounded retries of idempotent reads on 429/502/503/504 or a dropped connection, per-request timeouts, request ids,
    /// and errors turned into <see cref="OpenStackApiException"/> with the service's own fault message.
    /// </summary>
    public sealed class ServiceClient
    {
        // Four tries in 5.5 s: behind a flaky load balancer (issue #14's chaos tier: ~30% of requests faulted) three
        // faults in a row on one read happened often enough to fail one operation in twenty.
        private static readonly TimeSpan[] ReadRetryDelays = { TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) };
        private static readonly TimeSpan MaxReadRetryAfter = TimeSpan.FromSeconds(30);

        private readonly HttpClient _http;
        private readonly ITokenSource _tokens;
        private readonly IApiLog _log;
        private readonly ApiCallCounter _counter;

        public ServiceClient(string serviceType, Uri endpoint, HttpClient http, ITokenSource tokens,
            IApiLog log, ApiCallCounter counter, MicroversionHeader? microversionHeader = null)
        {
            ServiceType = serviceType;
            Endpoint = endpoint.AbsoluteUri.EndsWith("/") ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
            _http = http;
            _tokens = tokens;
            _log = log ?? NullApiLog.Instance;
            _counter = counter ?? new ApiCallCounter();
            Microversions = microversionHeader;
        }

        public string ServiceType { get; }
        public Uri Endpoint { get; }
        public MicroversionHeader? Microversions { get; }
        /// <summary>The session's request counter (every request this client sends is counted there).</summary>
        public ApiCallCounter Calls => _counter;

        /// <summary>How long one HTTP exchange may take before it counts as a timeout.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public Task<ApiResponse> GetAsync(string path, CancellationToken ct, string? microversion = null, params int[] expected)
            => SendAsync(HttpMethod.Get, path, null, ct, microversion, expected.Length == 0 ? new[] { 200 } : expected);

        public Task<ApiResponse> PostAsync(string path, JsonNode? body, CancellationToken ct, string? microversion = null, params int[] expected)
            => SendAsync(HttpMethod.Post, path, body, ct, microversion, expected.Length == 0 ? new[] { 200, 201, 202 } : expected);

        public Task<ApiResponse> PutAsync(string path, JsonNode? body, CancellationToken ct, string? microversion = null, params int[] expected)
            => SendAsync(HttpMethod.Put, path, body, ct, microversion, expected.Length == 0 ? new[] { 200 } : expected);

        public Task<ApiResponse> DeleteAsync(string path, CancellationToken ct, string? microversion = null, params int[] expected)
            => SendAsync(HttpMethod.Delete, path, null, ct, microversion, expected.Length == 0 ? new[] { 202, 204 } : expected);

        /// <summary>Resolves a path relative to the endpoint; absolute URLs (from Location headers) pass through.</summary>
        public Uri Resolve(string path)
        {
            if (Uri.TryCreate(path, UriKind.Absolute, out var abs) && (abs.Scheme == "http" || abs.Scheme == "https"))
                return abs;
            return new Uri(Endpoint, path.TrimStart('/'));
        }

        public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct,
            string? microversion, int[] expected)
        {
            var url = Resolve(path);
            bool idempotentRead = method == HttpMethod.Get;
            bool reauthenticated = false;
            int attempt = 0, sends = 0;
            while (true)
            {
                string token = await _tokens.GetTokenAsync(ct).ConfigureAwait(false);
                try
                {
                    sends++;
                    return await SendOnceAsync(method, url, body, token, microversion, expected, ct).ConfigureAwait(false);
                }
                catch (OpenStackApiException e) when (e.Kind == ApiErrorKind.Unauthorized && !reauthenticated)
                {
                    // The token expired or was revoked early: authenticate once more, then give up.
                    // Sending again is safe for a POST too (a live migration, an evacuation): the 401 comes from the
                    // auth_token middleware, which sits in front of the service's handler in its paste pipeline, so
                    // the request was refused before anything ran. Nova's own 401s (a neutron 401 under the user's
                    // token, resize's image check) come from other handlers: nova-api's live-migrate and evacuate call
                    // no other service before answering, so once past the middleware they cannot answer 401.
                    // See tools/devcloud/NOTES.md, "Tokens that expire mid-run".
                    _log.Verbose($"{ServiceType}: 401 from {method} {url.AbsolutePath}; authenticating again");
                    _tokens.Invalidate(token);
                    reauthenticated = true;
                }
                catch (OpenStackApiException e) when (idempotentRead && attempt < ReadRetryDelays.Length &&
                    (e.Kind == ApiErrorKind.ServiceUnavailable || e.Kind == ApiErrorKind.ConnectionFailed ||
                     e.StatusCode == 429 || e.StatusCode == 502 || e.StatusCode == 504))
                {
                    // A rate limit or a gateway's fault is as passing as a 503 for a read; Retry-After is honoured (within reason).
                    var delay = e.RetryAfter is TimeSpan ra && ra > TimeSpan.Zero && ra <= MaxReadRetryAfter ? ra : ReadRetryDelays[attempt];
                    attempt++;
                    _log.Verbose($"{ServiceType}: {e.Kind} on {method} {url.AbsolutePath}; retry {attempt} in {delay.TotalSeconds:0.#} s");
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OpenStackApiException e) when (sends > 1)
                {
                    e.Attempts = sends;
                    throw;
                }
            }
        }

        private async Task<ApiResponse> SendOnceAsync(HttpMethod method, Uri url, JsonNode? body, string token,
            string? microversion, int[] expected, CancellationToken ct)
        {
            using (var request = new HttpRequestMessage(method, url))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
                request.Headers.TryAddWithoutValidation("Accept", "application/json");
                request.Headers.TryAddWithoutValidation("User-Agent", "OpenStackOps/" + typeof(ServiceClient).Assembly.GetName().Version);
                if (microversion != null && Microversions != null)
                {
                    request.Headers.TryAddWithoutValidation("OpenStack-API-Version", Microversions.ServiceName + " " + microversion);
                    if (Microversions.LegacyHeader != null)
                        request.Headers.TryAddWithoutValidation(Microversions.LegacyHeader, microversion);
                }
                if (body != null)
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

                timeout.CancelAfter(RequestTimeout);
                _counter.Increment();
                var sw = Stopwatch.StartNew();
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw Decorate(new OpenStackApiException(ApiErrorKind.Timeout,
                        $"{ServiceType} did not answer {method} {url} within {RequestTimeout.TotalSeconds:0} s. " +
                        "Check that the service is running and reachable, or raise the timeout."), method, url);
                }
                catch (HttpRequestException e)
                {
                    throw Decorate(TransportFailure(e, method, url), method, url);
                }

                using (response)
                {
                    string text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    string? requestId = HeaderValue(response, "x-openstack-request-id") ?? HeaderValue(response, "x-compute-request-id");
                    int status = (int)response.StatusCode;
                    _log.Verbose($"{method} {url} ({(microversion == null ? ServiceType : ServiceType + " " + microversion)}) -> {status} in {sw.ElapsedMilliseconds} ms{(requestId == null ? "" : " [" + requestId + "]")}");
                    if (expected.Contains(status))
                        return new ApiResponse(status, ParseBody(text, method, url), requestId, response.Headers.Location?.ToString());
                    var error = FromErrorResponse(status, text, method, url, requestId);
                    error.RetryAfter = RetryAfterOf(response);
                    throw Decorate(error, method, url);
                }
            }
        }

        private OpenStackApiException Decorate(OpenStackApiException e, HttpMethod method, Uri url)
        {
            e.Service = ServiceType;
            e.Method = method.Method;
            e.Url = url.ToString();
            return e;
        }

        private OpenStackApiException TransportFailure(HttpRequestException e, HttpMethod method, Uri url)
        {
            for (Exception inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is AuthenticationException)
                    return new OpenStackApiException(ApiErrorKind.TlsFailure,
                        $"The TLS certificate of {url.Host} was not accepted ({inner.Message}). Pass the CA bundle " +
                        "(-CACertificatePath, 'cacert' in clouds.yaml, OS_CACERT), or -SkipCertificateCheck for a test cloud.", e);
            }
            return new OpenStackApiException(ApiErrorKind.ConnectionFailed,
                $"Could not reach {ServiceType} at {url.GetLeftPart(UriPartial.Authority)} for {method} {url.AbsolutePath}: " +
                $"{Innermost(e).Message}. Check the endpoint address and that the service is running.", e);
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private OpenStackApiException FromErrorResponse(int status, string text, HttpMethod method, Uri url, string? requestId)
        {
            var (fault, message) = ParseFault(text);
            var kind = OpenStackApiException.KindFromStatus(status);
            string detail = message ?? (string.IsNullOrWhiteSpace(text) ? ((HttpStatusCode)status).ToString() : Truncate(text, 300));
            var e = new OpenStackApiException(kind,
                $"{ServiceType} refused {method} {url.AbsolutePath} with {status}: {detail}" +
                (requestId == null ? "" : $" (request {requestId})"))
            {
                StatusCode = status,
                RequestId = requestId,
                FaultName = fault,
                ServerMessage = message,
            };
            return e;
        }

        /// <summary>
        /// Nova: <c>{"itemNotFound": {"code": 404, "message": "..."}}</c>; neutron: <c>{"NeutronError": {"type": ..., "message": ...}}</c>;
        /// keystone: <c>{"error": {"code", "title", "message"}}</c>; cinder like nova.
        /// </summary>
        internal static (string? fault, string? message) ParseFault(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return (null, null);
            try
            {
                var root = JsonNode.Parse(text) as JsonObject;
                if (root == null || root.Count == 0) return (null, null);
                var first = root.First();
                if (first.Value is JsonObject inner)
                {
                    string? message = inner["message"]?.GetValueKind() == JsonValueKind.String ? (string?)inner["message"] : null;
                    string? fault = first.Key;
                    if (fault == "NeutronError" && inner["type"]?.GetValueKind() == JsonValueKind.String) fault = (string?)inner["type"];
                    if (fault == "error" && inner["title"]?.GetValueKind() == JsonValueKind.String) fault = (string?)inner["title"];
                    return (fault, message);
                }
                if (first.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    return (first.Key, (string?)v);
            }
            catch (JsonException)
            {
            }
            return (null, null);
        }

        private static JsonNode? ParseBody(string text, HttpMethod method, Uri url)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new OpenStackApiException(ApiErrorKind.InvalidResponse,
                    $"{method} {url.AbsolutePath} answered with a body that is not JSON: {Truncate(text, 200)}", e);
            }
        }

        /// <summary>A 429's or 503's Retry-After, in seconds or as a date; null when absent.</summary>
        private static TimeSpan? RetryAfterOf(HttpResponseMessage r)
        {
            var retry = r.Headers.RetryAfter;
            if (retry?.Delta != null) return retry.Delta;
            if (retry?.Date != null) return retry.Date.Value - DateTimeOffset.UtcNow;
            return null;
        }

        private static string? HeaderValue(HttpResponseMessage r, string name)
            => r.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + "...";
    }
}
