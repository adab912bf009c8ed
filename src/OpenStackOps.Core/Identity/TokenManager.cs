using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// The session's token: handed to every request, renewed shortly before it expires or after the cloud
    /// refused it. However many requests find it stale at once, Keystone sees one authentication.
    /// A token is only ever checked when a request starts: a request in flight when it lapses was already
    /// accepted (keystonemiddleware validates on arrival), and a long drain renews between its polls.
    /// </summary>
    public sealed class TokenManager : ITokenSource
    {
        private readonly Func<CancellationToken, Task<KeystoneToken>>? _reauthenticate;
        private readonly IClock _clock;
        private readonly IApiLog _log;
        private readonly object _gate = new object();
        private KeystoneToken _current;
        /// <summary>When the current token lapses by our clock: see <see cref="LocalExpiry"/>.</summary>
        private DateTimeOffset _expiresLocally;
        private bool _invalidated;
        private int _renewals;
        private Task<KeystoneToken>? _renewal;

        /// <param name="initial">The token Connect obtained.</param>
        /// <param name="reauthenticate">Gets a new token; null when there is no way to (the profile held only a token).</param>
        /// <param name="clock">What decides that the token is about to expire.</param>
        /// <param name="log">Where renewals are mentioned (never with the token).</param>
        public TokenManager(KeystoneToken initial, Func<CancellationToken, Task<KeystoneToken>>? reauthenticate, IClock clock, IApiLog log)
        {
            _current = initial ?? throw new ArgumentNullException(nameof(initial));
            _reauthenticate = reauthenticate;
            _clock = clock ?? new SystemClock();
            _log = log ?? NullApiLog.Instance;
            _expiresLocally = LocalExpiry(initial, _clock.UtcNow);
        }

        /// <summary>How many times the token was renewed since Connect (tests, and the verbose log, say it happened).</summary>
        public int Renewals
        {
            get { lock (_gate) return _renewals; }
        }

        /// <summary>The token in use (for the session's user, project and expiry).</summary>
        public KeystoneToken Current
        {
            get { lock (_gate) return _current; }
        }

        /// <summary>How long before expiry a token is renewed, so a request never starts with one about to lapse.</summary>
        public TimeSpan RenewBefore { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>The current token's value, after renewing it first if it is due or was refused.</summary>
        /// <exception cref="TokenRenewalException">Renewal failed, or (token-only profile) the token expired or was refused.</exception>
        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            Task<KeystoneToken> renewal;
            lock (_gate)
            {
                if (!_invalidated && !IsDue(_current)) return _current.Value.Reveal();
                if (_reauthenticate == null) return NoRenewal(_current, _invalidated);
                // Single flight: the first caller starts the renewal, the others wait for the same one.
                renewal = _renewal ?? (_renewal = RenewAsync(_current));
            }
            var token = await WaitAsync(renewal, cancellationToken).ConfigureAwait(false);
            return token.Value.Reveal();
        }

        /// <summary>The cloud refused <paramref name="token"/>: renew on the next call, unless it was already replaced.</summary>
        public void Invalidate(string token)
        {
            lock (_gate)
            {
                // A 401 for a token already replaced says nothing about the new one.
                if (token != null && token == _current.Value.Reveal())
                    _invalidated = true;
            }
        }

        /// <summary>
        /// Renew within <see cref="RenewBefore"/> of expiry, but never for more than half a token's lifetime:
        /// a cloud issuing 5-minute tokens must not make every request authenticate.
        /// </summary>
        private bool IsDue(KeystoneToken token)
        {
            var margin = RenewBefore;
            if (token.IssuedAt > DateTimeOffset.MinValue && token.ExpiresAt > token.IssuedAt)
            {
                var half = TimeSpan.FromTicks((token.ExpiresAt - token.IssuedAt).Ticks / 2);
                if (half < margin) margin = half;
            }
            return _clock.UtcNow >= _expiresLocally - margin;
        }

        /// <summary>
        /// The expiry on our clock. Keystone's expires_at is on Keystone's clock: a machine running behind it would
        /// renew late and meet 401s. A token just received lapses its lifetime (expires_at - issued_at, both Keystone's)
        /// from now; a supplied token may be older than that, so the earlier of the two counts.
        /// </summary>
        private static DateTimeOffset LocalExpiry(KeystoneToken token, DateTimeOffset receivedAt)
        {
            if (token.IssuedAt <= DateTimeOffset.MinValue || token.ExpiresAt <= token.IssuedAt) return token.ExpiresAt;
            var lifetime = token.ExpiresAt - token.IssuedAt;
            if (lifetime > DateTimeOffset.MaxValue - receivedAt) return token.ExpiresAt;    // a never-expiring test token
            var byLifetime = receivedAt + lifetime;
            return byLifetime < token.ExpiresAt ? byLifetime : token.ExpiresAt;
        }

        /// <summary>A token-only session: use the token while it lasts, then tell the operator to connect again.</summary>
        private string NoRenewal(KeystoneToken token, bool refused)
        {
            if (refused)
                throw new TokenRenewalException(TokenProblem.Refused, ApiErrorKind.Unauthorized,
                    $"The cloud refused the token this session was given (valid until {token.ExpiresAt:u}); it may have been revoked. " +
                    "A supplied token cannot be renewed: run Connect-OpenStack again with a new token, or with a password or " +
                    "application credential, which OpenStackOps renews by itself.");
            if (_clock.UtcNow >= _expiresLocally)
                throw new TokenRenewalException(TokenProblem.Expired, ApiErrorKind.Unauthorized,
                    $"The token expired at {token.ExpiresAt:u}; a supplied token cannot be renewed: run Connect-OpenStack again " +
                    "(with a new token, or a password or application credential, which OpenStackOps renews by itself).");
            return token.Value.Reveal();
        }

        private async Task<KeystoneToken> RenewAsync(KeystoneToken old)
        {
            // Yield first so that the caller leaves the lock before authentication starts.
            await Task.Yield();
            bool refused;
            lock (_gate) refused = _invalidated;
            try
            {
                _log.Verbose(refused
                    ? "The cloud refused the token; authenticating again"
                    : $"Token expires at {old.ExpiresAt:u}; authenticating again");
                // Not the first caller's token: its cancellation must not fail the others waiting on the same renewal.
                // Only started by GetTokenAsync, after it found _reauthenticate set.
                var fresh = await _reauthenticate!(CancellationToken.None).ConfigureAwait(false);
                if (fresh == null) throw new InvalidOperationException("Re-authentication returned no token.");
                var receivedAt = _clock.UtcNow;
                lock (_gate)
                {
                    _current = fresh;
                    _expiresLocally = LocalExpiry(fresh, receivedAt);
                    _invalidated = false;
                    _renewal = null;
                    _renewals++;
                }
                _log.Verbose($"New token valid until {fresh.ExpiresAt:u}");
                return fresh;
            }
            catch (Exception e)
            {
                // Let the next request try again rather than replaying this failure forever.
                lock (_gate) _renewal = null;
                throw RenewalFailed(old, refused, e);
            }
        }

        /// <summary>What the operator reads when a renewal fails: why a new token was needed, Keystone's answer, what to do.</summary>
        private TokenRenewalException RenewalFailed(KeystoneToken old, bool refused, Exception e)
        {
            var api = e as OpenStackApiException;
            var kind = api?.Kind ?? ApiErrorKind.Other;
            string why = refused
                ? "The cloud refused the session's token"
                : $"The session's token expires at {old.ExpiresAt:u}";
            string todo = TokenRenewalException.Transient(kind)
                ? "OpenStackOps tries again at the next request; if Keystone stays unreachable, run Connect-OpenStack again once it is back."
                : "Run Connect-OpenStack again (the password or application credential may have changed or expired).";
            // The request that needed the token was not sent; moves already accepted by nova carry on without us.
            return new TokenRenewalException(TokenProblem.RenewalFailed, kind,
                $"{why} and getting a new one failed: {e.Message} The request that needed it was not sent. {todo}", e)
            {
                StatusCode = api?.StatusCode,
                RequestId = api?.RequestId,
                Method = api?.Method,
                Url = api?.Url,
            };
        }

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken ct)
        {
            if (!ct.CanBeCanceled || task.IsCompleted) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    throw new OperationCanceledException(ct);
            }
            return await task.ConfigureAwait(false);
        }
    }
}
