using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;

namespace OpenStackOps.Sessions
{
    public sealed partial class OpenStackSession
    {
        private const string TestSource = "OpenStackSession.CreateForTests (reaches no cloud)";

        /// <summary>
        /// A session for testing scripts whose OpenStackOps cmdlets are mocked (Pester's Mock keeps a cmdlet's
        /// parameter types, so -Session takes only a real OpenStackSession, and connecting needs a Keystone). It names
        /// a cloud, project and user and reaches no cloud: a real cmdlet given it fails with a ConnectionError that
        /// says so, before sending anything.
        /// </summary>
        /// <example><c>$s = [OpenStackOps.Sessions.OpenStackSession]::CreateForTests('prod', 'admin', 'ops', $true)</c></example>
        public static OpenStackSession CreateForTests(string cloud = "test", string projectName = "test", string userName = "test",
            bool isAdmin = false)
        {
            var profile = new CloudProfile
            {
                Name = cloud, Source = TestSource, AuthUrl = new Uri("http://openstack.invalid/v3"),
                Method = Configuration.AuthMethod.Token, ProjectName = projectName, Username = userName,
            };
            // Never sent: every service client is refused first (CreateServiceClient) and a supplied token is not revoked.
            var token = new KeystoneToken(new Secret("test-session"), DateTimeOffset.UtcNow, DateTimeOffset.MaxValue, null,
                isAdmin ? new[] { "admin" } : new string[0])
            { ProjectName = projectName, UserName = userName };
            var log = new ForwardingApiLog();
            var tokens = new TokenManager(token, null, new SystemClock(), log);
            return new OpenStackSession(profile, new HttpClient(new NoNetwork()), tokens, log, new ApiCallCounter());
        }

        /// <summary>True for a session from <see cref="CreateForTests"/>.</summary>
        public bool IsForTests => Profile.Source == TestSource;

        private OpenStackApiException ReachesNoCloud(string serviceType) => new OpenStackApiException(ApiErrorKind.ConnectionFailed,
            $"The session '{Cloud}' was made by OpenStackSession.CreateForTests and reaches no cloud (asked for {serviceType}). " +
            "Mock the cmdlets your script calls (Pester's Mock), or connect with Connect-OpenStack.");

        /// <summary>The test session's HTTP handler: nothing leaves the process.</summary>
        private sealed class NoNetwork : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => throw new InvalidOperationException("A test session sends no request.");
        }
    }
}
