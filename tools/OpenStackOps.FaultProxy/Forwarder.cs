using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OpenStackOps.FaultProxy
{
    /// <summary>Forwards one request to its route's target, injecting the plan's fault, and copies the answer back.</summary>
    internal sealed class Forwarder
    {
        // Hop-by-hop headers (RFC 9110 7.6.1) and what Kestrel/HttpClient set themselves.
        private static readonly HashSet<string> Skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Host", "Content-Length" };

        private readonly IReadOnlyList<Route> _routes;
        private readonly FaultPlan _plan;
        private readonly FaultLog _log;
        private readonly HttpClient _http;

        public Forwarder(IReadOnlyList<Route> routes, FaultPlan plan, FaultLog log)
        {
            _routes = routes;
            _plan = plan;
            _log = log;
            // No system proxy (http_proxy must not send loopback traffic anywhere), no redirects, no cookies.
            _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
                { Timeout = TimeSpan.FromMinutes(5) };
        }

        public async Task HandleAsync(HttpContext ctx)
        {
            var route = _routes.First(r => r.ListenPort == ctx.Connection.LocalPort);
            string method = ctx.Request.Method;
            string path = ctx.Request.Path + ctx.Request.QueryString;
            byte[] body = await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
            _log.Request();

            var (fault, latency) = route.RewritesCatalog ? (Fault.None, 0) : _plan.Decide(route.Name, method, path);
            if (latency > 0)
            {
                _log.Injected(route, method, path, $"latency {latency}ms");
                await Task.Delay(latency).ConfigureAwait(false);
            }
            switch (fault)
            {
                case Fault.Unavailable503:
                    _log.Injected(route, method, path, "503 (not forwarded)");
                    await WriteAsync(ctx, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>").ConfigureAwait(false);
                    return;
                case Fault.Unauthorized401:
                    _log.Injected(route, method, path, "401 (not forwarded)");
                    await WriteAsync(ctx, 401, "application/json", "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", \"message\": \"The request you have made requires authentication.\"}}").ConfigureAwait(false);
                    return;
                case Fault.TooMany429:
                    _log.Injected(route, method, path, $"429 Retry-After {_plan.RetryAfterSeconds} (not forwarded)");
                    ctx.Response.Headers["Retry-After"] = _plan.RetryAfterSeconds.ToString();
                    await WriteAsync(ctx, 429, "application/json", "{\"overLimit\": {\"code\": 429, \"message\": \"Too many requests (injected).\"}}").ConfigureAwait(false);
                    return;
                case Fault.ResetBefore:
                    _log.Injected(route, method, path, "reset-before (not forwarded)");
                    ctx.Abort();
                    return;
            }

            using var request = BuildRequest(ctx, route, body);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
            {
                // The service itself is down or hung: say so as a gateway would.
                await WriteAsync(ctx, 502, "text/plain", "fault proxy: " + route.Name + " did not answer: " + e.GetType().Name).ConfigureAwait(false);
                return;
            }
            using (response)
            {
                byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (fault == Fault.ResetAfter)
                {
                    // The service did the work; the client never learns it.
                    _log.Injected(route, method, path, $"reset-after (forwarded, {(int)response.StatusCode} dropped)");
                    ctx.Abort();
                    return;
                }
                if (route.RewritesCatalog && IsJson(response))
                    answer = Encoding.UTF8.GetBytes(RewriteCatalog(Encoding.UTF8.GetString(answer)));
                ctx.Response.StatusCode = (int)response.StatusCode;
                foreach (var h in response.Headers.Concat(response.Content.Headers))
                {
                    if (Skipped.Contains(h.Key)) continue;
                    ctx.Response.Headers[h.Key] = h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)
                        ? h.Value.Select(v => v.Replace(route.TargetAuthority, route.ProxyAuthority)).ToArray()
                        : h.Value.ToArray();
                }
                ctx.Response.ContentLength = answer.Length;
                if (answer.Length > 0) await ctx.Response.Body.WriteAsync(answer).ConfigureAwait(false);
            }
        }

        /// <summary>Points the catalog's endpoints of every faulted route at the proxy, so the client goes through it.</summary>
        internal string RewriteCatalog(string json)
        {
            foreach (var r in _routes.Where(r => !r.RewritesCatalog))
                json = Regex.Replace(json, Regex.Escape(r.TargetAuthority) + "(?=[/\"])", r.ProxyAuthority);
            return json;
        }

        private static HttpRequestMessage BuildRequest(HttpContext ctx, Route route, byte[] body)
        {
            var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method),
                new Uri(route.Target, ctx.Request.Path.ToUriComponent() + ctx.Request.QueryString.ToUriComponent()));
            if (body.Length > 0 || ctx.Request.ContentLength == 0) request.Content = new ByteArrayContent(body);
            foreach (var h in ctx.Request.Headers)
            {
                if (Skipped.Contains(h.Key)) continue;
                if (!request.Headers.TryAddWithoutValidation(h.Key, h.Value.ToArray()) && request.Content != null)
                    request.Content.Headers.TryAddWithoutValidation(h.Key, h.Value.ToArray());
            }
            // The client's Host: nova and neutron build their links (pagination, Location) from it, so they point at the proxy.
            request.Headers.Host = ctx.Request.Host.Value;
            return request;
        }

        private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
            return buffer.ToArray();
        }

        private static bool IsJson(HttpResponseMessage r) => r.Content.Headers.ContentType?.MediaType?.Contains("json") == true;

        private static async Task WriteAsync(HttpContext ctx, int status, string contentType, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
        }
    }
}
