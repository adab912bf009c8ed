using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace OpenStackOps.Tests.Fakes
{
    /// <summary>
    /// An ordered script of expected HTTP exchanges. Each request must match the next expectation
    /// (method and path+query); the test then asserts on what was recorded. <see cref="AssertAllUsed"/>
    /// fails the test when an expected call never happened.
    /// </summary>
    public sealed class FakeHttpHandler : HttpMessageHandler
    {
        private readonly List<Expectation> _expected = new List<Expectation>();
        private readonly object _gate = new object();
        public List<RecordedRequest> Requests { get; } = new List<RecordedRequest>();

        /// <summary>
        /// Requests sent side by side arrive in any order: each then meets the first expectation with its method and
        /// path instead of the next one (the order of different requests is no longer checked).
        /// </summary>
        public bool InAnyOrder { get; set; }

        public Expectation Expect(string method, string pathAndQuery)
        {
            var e = new Expectation(method, pathAndQuery);
            lock (_gate) _expected.Add(e);
            return e;
        }

        public void AssertAllUsed()
        {
            lock (_gate)
                Assert.True(_expected.Count == 0,
                    "Expected calls never made: " + string.Join(", ", _expected.Select(e => e.Method + " " + e.PathAndQuery)));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            string body = request.Content == null ? null : await request.Content.ReadAsStringAsync(ct);
            var recorded = new RecordedRequest(request, body);
            Expectation e;
            lock (_gate)
            {
                Requests.Add(recorded);
                Assert.True(_expected.Count > 0, $"Unexpected request {recorded.Method} {recorded.PathAndQuery}");
                e = InAnyOrder ? _expected.FirstOrDefault(x => x.Method == recorded.Method && x.PathAndQuery == recorded.PathAndQuery) ?? _expected[0] : _expected[0];
                _expected.Remove(e);
            }
            Assert.Equal(e.Method, recorded.Method);
            Assert.Equal(e.PathAndQuery, recorded.PathAndQuery);
            e.Request = recorded;
            if (e.Throw != null) throw e.Throw();
            if (e.Delay > TimeSpan.Zero) await Task.Delay(e.Delay, ct);
            var response = new HttpResponseMessage((HttpStatusCode)e.Status)
            {
                Content = new StringContent(e.Body ?? "", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            foreach (var h in e.Headers) response.Headers.TryAddWithoutValidation(h.Key, h.Value);
            return response;
        }

        public sealed class Expectation
        {
            internal Expectation(string method, string pathAndQuery)
            {
                Method = method;
                PathAndQuery = pathAndQuery;
            }

            public string Method { get; }
            public string PathAndQuery { get; }
            internal int Status { get; private set; } = 200;
            internal string Body { get; private set; }
            internal Dictionary<string, string> Headers { get; } = new Dictionary<string, string>();
            internal Func<Exception> Throw { get; private set; }
            internal TimeSpan Delay { get; private set; }
            /// <summary>The request that met this expectation, once it has.</summary>
            public RecordedRequest Request { get; internal set; }

            public Expectation Respond(int status, string body = null, string requestId = "req-fake-0001")
            {
                Status = status;
                Body = body;
                if (requestId != null) Headers["x-openstack-request-id"] = requestId;
                return this;
            }

            public Expectation WithHeader(string name, string value)
            {
                Headers[name] = value;
                return this;
            }

            public Expectation Fail(Func<Exception> exception)
            {
                Throw = exception;
                return this;
            }

            public Expectation After(TimeSpan delay)
            {
                Delay = delay;
                return this;
            }
        }
    }

    public sealed class RecordedRequest
    {
        public RecordedRequest(HttpRequestMessage r, string body)
        {
            Method = r.Method.Method;
            Uri = r.RequestUri;
            PathAndQuery = r.RequestUri.PathAndQuery;
            Body = body;
            Headers = r.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            if (r.Content != null)
                foreach (var h in r.Content.Headers) Headers[h.Key] = string.Join(",", h.Value);
        }

        public string Method { get; }
        public Uri Uri { get; }
        /// <summary>When the request arrived, on the fake's clock (set by fakes that keep one).</summary>
        public DateTimeOffset At { get; set; }
        public string PathAndQuery { get; }
        public string Body { get; }
        public Dictionary<string, string> Headers { get; }

        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }
}
