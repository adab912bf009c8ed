using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Sessions;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>The engine against the devcloud's real keystone and nova (OpenStack Zed).</summary>
    [Trait("Tier", "Devcloud")]
    public class KeystoneAndNovaDevcloudTests
    {
        private sealed class MovableClock : IClock
        {
            public TimeSpan Offset { get; set; }
            public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + Offset;
        }

        [Fact]
        public async Task ConnectsFromCloudsYamlAndNegotiatesZedsMicroversions()
        {
            using var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), NullApiLog.Instance, CancellationToken.None);
            Assert.True(session.IsAdmin);
            Assert.Equal("admin", session.ProjectName);
            var range = await session.Compute.GetVersionRangeAsync(CancellationToken.None);
            Assert.Equal("2.1", range.Minimum.ToString());
            Assert.Equal("2.93", range.Maximum.ToString()); // nova 26 (Zed)
            var services = await session.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None);
            Assert.Equal(4, services.Count); // c01-c03 and the spare c04 (disabled at rest)
            Assert.All(services, s => Assert.True(s.IdIsUuid));
        }

        [Fact]
        public async Task AMemberIsNotAdmin()
        {
            using var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud-demo"), NullApiLog.Instance, CancellationToken.None);
            Assert.False(session.IsAdmin);
            Assert.Equal("demo", session.ProjectName);
        }

        [Fact]
        public async Task RenewsTheTokenWithTheRealKeystoneBeforeItExpires()
        {
            var clock = new MovableClock();
            using var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), NullApiLog.Instance, CancellationToken.None, clock: clock);
            await session.Compute.Services.ListAsync(null, null, CancellationToken.None);
            var firstExpiry = session.TokenExpiresAt;
            long calls = session.ApiCalls;

            clock.Offset = firstExpiry - DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1); // a minute before expiry
            await Task.Delay(1100); // keystone's expiry has one-second resolution
            await session.Compute.Services.ListAsync(null, null, CancellationToken.None);

            Assert.Equal(calls + 2, session.ApiCalls); // one authentication + the listing
            Assert.True(session.TokenExpiresAt > firstExpiry);
        }

        [Fact]
        public async Task AuthenticatesWithARealApplicationCredential()
        {
            var admin = DevcloudProfiles.Load("devcloud");
            using var http = new HttpClient();
            var token = await KeystoneAuthenticator.AuthenticateAsync(http, admin, NullApiLog.Instance, new ApiCallCounter(), CancellationToken.None);
            string keystone = admin.AuthUrl.AbsoluteUri.TrimEnd('/');
            string name = "osops-test-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            var create = new HttpRequestMessage(HttpMethod.Post, $"{keystone}/users/{token.UserId}/application_credentials")
            {
                // The role named: with none, keystone takes the token's roles, and once (a CI run) it listed one the
                // admin does not hold there ("Could not find role assignment with role: <service's id>").
                Content = new StringContent("{\"application_credential\": {\"name\": \"" + name + "\", \"roles\": [{\"name\": \"admin\"}]}}", Encoding.UTF8, "application/json"),
            };
            create.Headers.Add("X-Auth-Token", token.Value.Reveal());
            var answer = await http.SendAsync(create);
            string body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, $"keystone refused to create the application credential: {(int)answer.StatusCode} {body}");
            var created = JsonNode.Parse(body)["application_credential"];
            string id = (string)created["id"];
            try
            {
                var profile = new CloudProfile
                {
                    Name = "devcloud-appcred", AuthUrl = admin.AuthUrl, Method = AuthMethod.ApplicationCredential,
                    ApplicationCredentialId = id, ApplicationCredentialSecret = new Secret((string)created["secret"]), Region = admin.Region,
                };
                using var session = await OpenStackSession.ConnectAsync(profile, NullApiLog.Instance, CancellationToken.None);
                Assert.Equal("admin", session.ProjectName);
                var services = await session.Compute.Services.ListAsync(null, "nova-compute", CancellationToken.None);
                Assert.Equal(4, services.Count); // c01-c03 and the spare c04 (disabled at rest)
            }
            finally
            {
                var delete = new HttpRequestMessage(HttpMethod.Delete, $"{keystone}/users/{token.UserId}/application_credentials/{id}");
                delete.Headers.Add("X-Auth-Token", token.Value.Reveal());
                await http.SendAsync(delete);
            }
        }

        [Fact]
        public async Task ARealKeystoneRefusalNamesTheUserButNotThePassword()
        {
            var profile = DevcloudProfiles.Load("devcloud");
            profile.Password = new Secret("Wr0ng-pass-K7");
            var e = await Assert.ThrowsAnyAsync<OpenStackApiException>(
                () => OpenStackSession.ConnectAsync(profile, NullApiLog.Instance, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
            Assert.Contains("admin", e.Message);
            Assert.DoesNotContain("Wr0ng-pass-K7", e.ToString());
        }

        [Fact]
        public async Task ClosingRevokesTheTokenAtTheRealKeystone()
        {
            using var witness = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), NullApiLog.Instance, CancellationToken.None);
            var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), NullApiLog.Instance, CancellationToken.None);
            string token = session.CurrentToken.Value.Reveal();
            Assert.Equal(200, await ValidateAsync(witness, token));

            Assert.Equal(TokenRevocationOutcome.Revoked, await session.RevokeTokenAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal(404, await ValidateAsync(witness, token)); // keystone: "Could not find token"
            Assert.Equal(TokenRevocationOutcome.AlreadyInvalid, await session.RevokeTokenAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
            session.Dispose();
        }

        /// <summary>GET /v3/auth/tokens: what keystone says of <paramref name="subject"/>, asked with the witness's own token.</summary>
        private static async Task<int> ValidateAsync(OpenStackSession witness, string subject)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, witness.AuthUrl.ToString().TrimEnd('/') + "/auth/tokens");
            request.Headers.Add("X-Auth-Token", witness.CurrentToken.Value.Reveal());
            request.Headers.Add("X-Subject-Token", subject);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
    }
}
