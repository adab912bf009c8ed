using OpenStackOps.Http;

namespace OpenStackOps.Network.Ports
{
    /// <summary>
    /// Creates ports through a flaky API without ever making one twice. A create that meets a transient fault
    /// (502/503/504, 429, a dropped connection, no answer) may or may not have been carried out by neutron, so before
    /// sending it again neutron is asked: a port on the network with the request's name (and its address, when one
    /// was asked for) created since the first send is the one we asked for, and is returned. Only when there is none
    /// is the create sent again, after Retry-After or a short pause, at most <see cref="MaxAttempts"/> times.
    /// </summary>
    internal sealed class PortCreateSubmitter
    {
        internal const int MaxAttempts = 3;
        // Our clock and neutron's may differ, and neutron stamps created_at to the second.
        private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
        private static readonly TimeSpan[] Pauses = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3) };
        private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);
        private const int LookupRounds = 3;
        private static readonly TimeSpan LookupPause = TimeSpan.FromSeconds(2);

        private readonly PortsApi _ports;
        private readonly IApiLog _log;

        public PortCreateSubmitter(PortsApi ports, IApiLog? log)
        {
            _ports = ports;
            _log = log ?? NullApiLog.Instance;
        }

        /// <summary>How a pause is waited (tests replace it).</summary>
        internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (t, ct) => Task.Delay(t, ct);
        internal Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>One port: the one created, by this request or (after a lost answer) found in neutron.</summary>
        public Task<Port> CreateAsync(PortCreateRequest request, CancellationToken ct)
            => SubmitAsync($"port '{request.Name}'", c => _ports.CreateAsync(request, c), since => FindOneAsync(request, since, ct), ct);

        private async Task<T> SubmitAsync<T>(string what, Func<CancellationToken, Task<T>> send, Func<DateTimeOffset, Task<T?>> findCreated, CancellationToken ct)
            where T : class
        {
            var faults = new List<OpenStackApiException>();
            var firstSent = Now();
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    // Never cancelled mid-request: a create that neutron finished must be known.
                    return await send(CancellationToken.None).ConfigureAwait(false);
                }
                catch (OpenStackApiException e) when (IsTransient(e) || (faults.Count > 0 && e.Kind == ApiErrorKind.Conflict))
                {
                    if (e.Kind != ApiErrorKind.Conflict) faults.Add(e);
                    T? found = null;
                    for (int read = 1; ; read++)
                    {
                        try
                        {
                            found = await findCreated(firstSent).ConfigureAwait(false);
                            break;
                        }
                        catch (OpenStackApiException readError) when (!(readError is AmbiguousCreateException) && read < LookupRounds && IdempotentRetry.IsPassing(readError))
                        {
                            // ServiceClient already retried this read; the answer decides whether a port is created again, so it gets more rounds.
                            _log.Verbose($"Creating {what}: neutron's ports could not be listed ({readError.Kind}); listing them again in {LookupPause.TotalSeconds:0} s.");
                            await Delay(LookupPause, ct).ConfigureAwait(false);
                        }
                        catch (OpenStackApiException readError) when (!(readError is AmbiguousCreateException))
                        {
                            throw Failed(e, $"Neutron did not confirm {what}: {Describe(faults)}, and its ports could not be listed to see whether it was created ({readError.Kind}); it was not sent again. Look for it with Get-NetworkPort before creating it again.");
                        }
                    }
                    if (found != null)
                    {
                        _log.Verbose($"Creating {what}: {Describe(faults)}, but neutron had created it: using it, not sending the create again.");
                        return found;
                    }
                    if (e.Kind == ApiErrorKind.Conflict) throw;   // not ours after all: neutron's refusal stands
                    if (attempt >= MaxAttempts)
                        throw Failed(e, $"Neutron did not create {what}: {Describe(faults)}; it was not sent again (at most {MaxAttempts} tries).");
                    var pause = e.RetryAfter is TimeSpan ra && ra > TimeSpan.Zero ? (ra < MaxRetryAfter ? ra : MaxRetryAfter) : Pauses[Math.Min(attempt - 1, Pauses.Length - 1)];
                    _log.Verbose($"Creating {what}: {Describe(faults)}; neutron did not create it: sending it again in {pause.TotalSeconds:0.#} s.");
                    await Delay(pause, ct).ConfigureAwait(false);
                }
            }
        }

        /// <summary>The port this request made, or null; more than one candidate cannot be told apart and is not guessed.</summary>
        private async Task<Port?> FindOneAsync(PortCreateRequest request, DateTimeOffset since, CancellationToken ct)
        {
            var named = await _ports.ListAsync(new PortQuery { NetworkId = request.NetworkId, Name = request.Name, IpAddress = request.IpAddress }, ct).ConfigureAwait(false);
            var ours = named.Where(p => p.Name == request.Name &&
                                        (request.IpAddress != null ? p.HasAddress(request.IpAddress) : p.Created == null || p.Created >= since - ClockSkew)).ToList();
            if (ours.Count > 1)
                throw new AmbiguousCreateException(
                    $"The create of port '{request.Name}' met a fault, and {ours.Count} ports of that name were created since ({string.Join(", ", ours.Select(p => p.Id))}): " +
                    "which one it made cannot be told, so none is returned and none created. Keep one and delete the others.") { Service = "network" };
            return ours.FirstOrDefault();
        }

        /// <summary>Several ports could be the one a lost create made: none is picked, none created.</summary>
        internal sealed class AmbiguousCreateException : OpenStackApiException
        {
            public AmbiguousCreateException(string message) : base(ApiErrorKind.Conflict, message) => Service = "network";
        }

        // A 401 that survived ServiceClient's re-authentication: the create was not carried out, but it is looked up anyway.
        private static bool IsTransient(OpenStackApiException e) => IdempotentRetry.IsPassing(e);

        private static OpenStackApiException Failed(OpenStackApiException last, string message)
            => new OpenStackApiException(last.Kind, message, last)
            {
                StatusCode = last.StatusCode, Service = "network", Method = last.Method, Url = last.Url, RequestId = last.RequestId, RetryAfter = last.RetryAfter,
            };

        /// <summary>"neutron-server unavailable (503) 2 times, then the connection to neutron-server dropped".</summary>
        internal static string Describe(IReadOnlyList<OpenStackApiException> faults)
            => string.Join(", then ", faults.GroupBy(Word).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} {g.Count()} times"));

        private static string Word(OpenStackApiException e)
        {
            if (e.StatusCode == 429) return "neutron-server asked to slow down (429)";
            if (e.StatusCode == 401) return "neutron-server refused the token (401)";
            if (e.StatusCode != null) return $"neutron-server unavailable ({e.StatusCode})";
            return e.Kind == ApiErrorKind.Timeout ? "no answer from neutron-server" : "the connection to neutron-server dropped";
        }
    }
}
