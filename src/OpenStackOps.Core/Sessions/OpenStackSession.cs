using OpenStackOps.Compute;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Identity;

namespace OpenStackOps.Sessions
{
    /// <summary>
    /// A connection to one cloud: the profile it came from, a token that renews itself, the service catalog,
    /// and the service clients, created on first use. What PowerShell shows of it carries no secret.
    /// </summary>
    public sealed partial class OpenStackSession : IDisposable
    {
        private readonly HttpClient _http;
        private readonly TokenManager _tokens;
        private readonly ForwardingApiLog _log;
        private readonly ApiCallCounter _calls;
        private readonly object _gate = new object();
        private ComputeClient? _compute;
        private ServiceClient? _network;
        private ServiceClient? _volume;
        private OpenStackOps.Placement.PlacementClient? _placement;
        private OpenStackOps.Network.NetworkClient? _neutron;

        private OpenStackSession(CloudProfile profile, HttpClient http, TokenManager tokens, ForwardingApiLog log, ApiCallCounter calls)
        {
            Profile = profile;
            _http = http;
            _tokens = tokens;
            _log = log;
            _calls = calls;
            ConnectedAt = DateTimeOffset.UtcNow;
        }

        /// <summary>Authenticates with <paramref name="profile"/> and returns a session ready for API calls.</summary>
        public static async Task<OpenStackSession> ConnectAsync(CloudProfile profile, IApiLog log, CancellationToken ct,
            HttpMessageHandler? handlerForTests = null, IClock? clock = null)
        {
            var forwarding = new ForwardingApiLog { Target = log };
            var calls = new ApiCallCounter();
            var http = HttpClientFactory.Create(profile, handlerForTests);
            try
            {
                var token = await KeystoneAuthenticator.AuthenticateAsync(http, profile, forwarding, calls, ct).ConfigureAwait(false);
                Func<CancellationToken, Task<KeystoneToken>>? renew = null;
                if (profile.Method != Configuration.AuthMethod.Token)
                    renew = c => KeystoneAuthenticator.AuthenticateAsync(http, profile, forwarding, calls, c);
                var tokens = new TokenManager(token, renew, clock ?? new SystemClock(), forwarding);
                return new OpenStackSession(profile, http, tokens, forwarding, calls);
            }
            catch
            {
                http.Dispose();
                throw;
            }
        }

        internal CloudProfile Profile { get; }

        public string Cloud => Profile.Name;
        public string? Region => Profile.Region;
        // Never null: ConnectAsync authenticated with it (KeystoneAuthenticator refuses a profile without one), CreateForTests sets it.
        public Uri AuthUrl => Profile.AuthUrl!;
        public string Interface => Profile.Interface;
        /// <summary>Password, ApplicationCredential or Token (the name of the <see cref="Configuration.AuthMethod"/>).</summary>
        public string AuthMethod => Profile.Method.ToString();
        public string? UserName => _tokens.Current.UserName;
        public string? UserId => _tokens.Current.UserId;
        public string? ProjectName => _tokens.Current.ProjectName;
        public string? ProjectId => _tokens.Current.ProjectId;
        public bool IsAdmin => _tokens.Current.IsAdmin;
        public DateTimeOffset TokenExpiresAt => _tokens.Current.ExpiresAt;
        public DateTimeOffset ConnectedAt { get; }
        /// <summary>HTTP requests sent on this session so far, authentication included.</summary>
        public long ApiCalls => _calls.Count;
        /// <summary>The compute API range nova offered, once it has been asked (first compute call).</summary>
        public string? ComputeMicroversions => _compute?.VersionRange == null
            ? null
            : _compute.VersionRange.Minimum + "-" + _compute.VersionRange.Maximum;
        public string Source => Profile.Source;

        internal ServiceCatalog Catalog => _tokens.Current.Catalog;

        /// <summary>The token in use: for tests that check what Keystone thinks of it. Never shown.</summary>
        internal KeystoneToken CurrentToken => _tokens.Current;

        /// <summary>How often the token was renewed since Connect: for tests that check a long run really outlived one.</summary>
        internal int TokenRenewals => _tokens.Renewals;

        /// <summary>Where this session's verbose lines go while a cmdlet uses it.</summary>
        [System.Diagnostics.CodeAnalysis.AllowNull]
        internal IApiLog LogTarget
        {
            get => _log.Target;
            set => _log.Target = value;
        }

        internal ComputeClient Compute
        {
            get
            {
                lock (_gate)
                    return _compute ?? (_compute = new ComputeClient(CreateServiceClient("compute", MicroversionHeader.Compute)));
            }
        }

        internal ServiceClient Network
        {
            get
            {
                lock (_gate)
                    return _network ?? (_network = CreateServiceClient("network", null));
            }
        }

        /// <summary>Neutron's typed clients, over <see cref="Network"/>.</summary>
        internal OpenStackOps.Network.NetworkClient Neutron
        {
            get
            {
                var http = Network;
                lock (_gate)
                    return _neutron ?? (_neutron = new OpenStackOps.Network.NetworkClient(http));
            }
        }

        internal ServiceClient Volume
        {
            get
            {
                lock (_gate)
                    return _volume ?? (_volume = CreateServiceClient("volumev3", MicroversionHeader.Volume));
            }
        }

        /// <summary>Placement (read side, for the checks). Throws EndpointNotFoundException when the catalog has none.</summary>
        internal OpenStackOps.Placement.PlacementClient Placement
        {
            get
            {
                lock (_gate)
                    return _placement ?? (_placement = new OpenStackOps.Placement.PlacementClient(CreateServiceClient("placement", MicroversionHeader.Placement)));
            }
        }

        /// <summary>A new client of its own (its timeout may be changed) for a catalog service type, or null when the catalog has none.</summary>
        internal ServiceClient? NewServiceClientOrNull(string serviceType)
        {
            try
            {
                return CreateServiceClient(serviceType, serviceType == "compute" ? MicroversionHeader.Compute : null);
            }
            catch (EndpointNotFoundException)
            {
                return null;
            }
        }

        private ServiceClient CreateServiceClient(string serviceType, MicroversionHeader? microversions)
        {
            if (IsForTests) throw ReachesNoCloud(serviceType);
            var endpoint = Catalog.FindEndpoint(serviceType, Profile.Interface, Profile.Region);
            return new ServiceClient(serviceType, endpoint, _http, _tokens, _log, _calls, microversions);
        }

        /// <summary>
        /// Revokes the session's token at Keystone when the session obtained it itself (password or application
        /// credential). A token the operator supplied is theirs: it may serve other tools, so it is left valid.
        /// </summary>
        /// <returns>Revoked, AlreadyInvalid, or NotOurs (a supplied token).</returns>
        /// <exception cref="OpenStackApiException">Keystone refused or could not be reached; the token stays valid until it expires.</exception>
        public async Task<TokenRevocationOutcome> RevokeTokenAsync(TimeSpan timeout, CancellationToken ct)
        {
            if (Profile.Method == Configuration.AuthMethod.Token) return TokenRevocationOutcome.NotOurs;
            bool revoked = await TokenRevocation.RevokeAsync(_http, Profile.AuthUrl!, _tokens.Current.Value.Reveal(), _log, _calls, timeout, ct)
                .ConfigureAwait(false);
            return revoked ? TokenRevocationOutcome.Revoked : TokenRevocationOutcome.AlreadyInvalid;
        }

        public override string ToString() => $"{Cloud} ({ProjectName} @ {AuthUrl})";

        public void Dispose() => _http.Dispose();
    }
}
