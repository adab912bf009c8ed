using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class ServiceClientFaultTests
    {
        [Fact]
        public async Task A401IsAnsweredWithOneNewTokenAndTheCallIsRepeated()
        {
            var nova = new NovaFixture("expired-token", "fresh-token");
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(401, "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", \"message\": \"The request you have made requires authentication.\"}}");
            var retry = nova.Handler.Expect("GET", "/v2.1/os-services").Respond(200, "{\"services\": []}");

            await nova.Http.GetAsync("os-services", CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal(new[] { "expired-token" }, nova.Tokens.Invalidated);
            Assert.Equal("fresh-token", retry.Request.Header("X-Auth-Token"));
            Assert.Equal(2, nova.Calls.Count);
        }

        [Fact]
        public async Task ASecond401GivesUp()
        {
            var nova = new NovaFixture("a", "b");
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(401, "{}");
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(401, "{}");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.Http.GetAsync("os-services", CancellationToken.None));
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Equal(2, e.Attempts); // the send after re-authenticating counts too
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task ReadsAreRetriedOn503()
        {
            var nova = new NovaFixture();
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(503, "<html>Service Unavailable</html>");
            nova.Handler.Expect("GET", "/v2.1/os-services").Respond(200, "{\"services\": []}");
            var response = await nova.Http.GetAsync("os-services", CancellationToken.None);
            Assert.Equal(200, response.StatusCode);
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task ReadsGiveUpAfterBoundedRetries()
        {
            var nova = new NovaFixture();
            for (int i = 0; i < 4; i++)
                nova.Handler.Expect("GET", "/v2.1/os-services").Respond(503, "");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.Http.GetAsync("os-services", CancellationToken.None));
            Assert.Equal(ApiErrorKind.ServiceUnavailable, e.Kind);
            Assert.Equal(4, e.Attempts);
            Assert.EndsWith("(sent 4 times)", e.Message);
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task AReadThatFailsOtherwiseAfterARetrySaysHowOftenItWasSent()
        {
            var nova = new NovaFixture();
            nova.Handler.Expect("GET", "/v2.1/servers/x").Fail(() => new HttpRequestException("Connection reset by peer"));
            nova.Handler.Expect("GET", "/v2.1/servers/x").Respond(404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance x could not be found.\"}}");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.Http.GetAsync("servers/x", CancellationToken.None));
            Assert.Equal(ApiErrorKind.NotFound, e.Kind);
            Assert.Equal(2, e.Attempts);
            Assert.Contains("Instance x could not be found.", e.Message);
            Assert.EndsWith("(sent 2 times)", e.Message);
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task WritesAreNotRetriedOn503()
        {
            // A PUT that reached nova may have been applied: repeating it is the caller's decision.
            var nova = new NovaFixture();
            nova.Handler.Expect("PUT", "/v2.1/os-services/x").Respond(503, "");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(
                () => nova.Http.PutAsync("os-services/x", new System.Text.Json.Nodes.JsonObject(), CancellationToken.None));
            Assert.Equal(ApiErrorKind.ServiceUnavailable, e.Kind);
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task ADroppedConnectionIsAConnectionFailureNamingTheEndpoint()
        {
            var nova = new NovaFixture();
            nova.Handler.Expect("POST", "/v2.1/servers/x/action").Fail(() => new HttpRequestException("Connection reset by peer"));
            var e = await Assert.ThrowsAsync<OpenStackApiException>(
                () => nova.Http.PostAsync("servers/x/action", new System.Text.Json.Nodes.JsonObject(), CancellationToken.None));
            Assert.Equal(ApiErrorKind.ConnectionFailed, e.Kind);
            Assert.Contains("nova.test:8774", e.Message);
            Assert.Contains("Connection reset by peer", e.Message);
            Assert.Equal(1, e.Attempts);
            Assert.DoesNotContain("sent", e.Message);
        }

        [Fact]
        public async Task ASlowAnswerIsATimeout()
        {
            var nova = new NovaFixture();
            nova.Http.RequestTimeout = TimeSpan.FromMilliseconds(200);
            nova.Handler.Expect("POST", "/v2.1/servers/x/action").After(TimeSpan.FromSeconds(10)).Respond(202);
            var e = await Assert.ThrowsAsync<OpenStackApiException>(
                () => nova.Http.PostAsync("servers/x/action", new System.Text.Json.Nodes.JsonObject(), CancellationToken.None));
            Assert.Equal(ApiErrorKind.Timeout, e.Kind);
        }

        [Fact]
        public async Task TokensNeverAppearInErrors()
        {
            var nova = new NovaFixture("tok-S3cr3t-X");
            nova.Handler.Expect("GET", "/v2.1/servers/missing").Respond(404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance missing could not be found.\"}}");
            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => nova.Http.GetAsync("servers/missing", CancellationToken.None));
            Assert.Equal(ApiErrorKind.NotFound, e.Kind);
            Assert.Contains("Instance missing could not be found.", e.Message);
            Assert.DoesNotContain("S3cr3t", e.ToString());
        }
    }
}
