using OpenStackOps.Compute.InstanceActions;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// Sends a server action that must happen once (a live migration, a migration, an evacuation) through a flaky
    /// API. When the send meets a transient fault (502/503/504, 429, a reset, no answer), nova's own journal of the
    /// server's actions says whether the request got through before the fault: nova-api records the action before it
    /// answers 202. Only when it did not is the action sent again, after Retry-After or a growing pause, at most
    /// <see cref="MaxAttempts"/> times. A 409 after an earlier fault is checked the same way: it is usually our own
    /// first request, still running.
    /// Five tries over about 40 s, not three over 7 s: a resend is safe (nova said it did not take the action), and a
    /// server given up stays on a node being drained, or down on a dead one. With three, the chaos tier's evacuation
    /// (about one fault in four requests) gave up on 2 of 8 servers in one clean-clone run.
    /// </summary>
    internal sealed class ServerActionSubmitter
    {
        internal const int MaxAttempts = 5;
        // Our clock and nova-api's may differ: an action this much older than our send still counts as ours.
        private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
        private static readonly TimeSpan[] Pauses = { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20) };
        // Rounds of the (already retried) instance-actions read before the outcome counts as unknown.
        private const int LookupRounds = 3;
        private static readonly TimeSpan LookupPause = TimeSpan.FromSeconds(2);

        private readonly InstanceActionsApi _actions;
        private readonly IWaitClock _clock;
        private readonly Action<string> _log;

        public ServerActionSubmitter(InstanceActionsApi actions, IWaitClock clock, Action<string>? log)
        {
            _actions = actions;
            _clock = clock;
            _log = log ?? (_ => { });
        }

        /// <summary>
        /// Sends <paramref name="send"/> for <paramref name="serverId"/>; <paramref name="action"/> is nova's name of the
        /// instance action it records (live-migration, migrate, evacuate). Throws <see cref="SubmissionFailedException"/>
        /// when nova refused it or every attempt met a fault without nova taking it.
        /// </summary>
        public async Task<ServerActionResult> SubmitAsync(string serverId, string action, Func<Task<ServerActionResult>> send, CancellationToken ct)
        {
            var faults = new List<OpenStackApiException>();
            var firstSent = _clock.UtcNow;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await send().ConfigureAwait(false);
                }
                // A 401 here came after ServiceClient had already authenticated again: passing, like a 503, not a verdict on the move.
                catch (OpenStackApiException e) when (IsTransient(e) || e.Kind == ApiErrorKind.Unauthorized || (faults.Count > 0 && e.Kind == ApiErrorKind.Conflict))
                {
                    if (e.Kind != ApiErrorKind.Conflict) faults.Add(e);
                    var taken = await FindTakenAsync(serverId, action, firstSent, faults, e, ct).ConfigureAwait(false);
                    if (taken != null)
                    {
                        _log($"{serverId}: {Describe(faults)}, but nova had taken the {action} (request {taken.RequestId}): following it, not sending it again.");
                        return new ServerActionResult(taken.RequestId, default(Compute.Microversion));   // the answer was lost: its microversion with it
                    }
                    if (e.Kind == ApiErrorKind.Conflict || attempt >= MaxAttempts)
                        throw new SubmissionFailedException(e.Kind == ApiErrorKind.Conflict ? e : faults.Last(), faults,
                            e.Kind == ApiErrorKind.Conflict ? null : $"{Describe(faults)}; nova did not take the {action}, so it was not sent again");
                    var pause = e.RetryAfter ?? Pauses[Math.Min(attempt - 1, Pauses.Length - 1)];
                    _log($"{serverId}: {Describe(faults)}; nova did not take the {action}: sending it again in {pause.TotalSeconds:0.#} s.");
                    await _clock.DelayAsync(pause, ct).ConfigureAwait(false);
                }
                catch (Identity.TokenRenewalException e)
                {
                    // Raised before the send (after a 401, which means the last send did not run): nothing was sent.
                    throw new SubmissionFailedException(e, faults,
                        $"the session has no valid token, so the {action} was not sent ({(e.MayRecover ? "Keystone could not be reached" : "connect again")})");
                }
                catch (OpenStackApiException e)
                {
                    throw new SubmissionFailedException(e, faults, null);
                }
            }
        }

        /// <summary>The action nova recorded for this server since we first sent, or null. Cannot tell: throws, never resends.</summary>
        private async Task<InstanceAction?> FindTakenAsync(string serverId, string action, DateTimeOffset firstSent,
            List<OpenStackApiException> faults, OpenStackApiException current, CancellationToken ct)
        {
            for (int read = 1; ; read++)
            {
                try
                {
                    var actions = await _actions.ListAsync(serverId, ct).ConfigureAwait(false);
                    return actions.FirstOrDefault(a => string.Equals(a.Action, action, StringComparison.OrdinalIgnoreCase) &&
                                                       a.StartTime != null && a.StartTime >= firstSent - ClockSkew);
                }
                catch (OpenStackApiException readError) when (read < LookupRounds && (IsTransient(readError) || readError.Kind == ApiErrorKind.Unauthorized))
                {
                    // The API is flaky right now (ServiceClient already retried this read): the answer decides whether a
                    // move is sent again, so it is worth another round rather than giving the server up.
                    _log($"{serverId}: nova's record of the server's actions could not be read ({readError.Kind}); reading it again in {LookupPause.TotalSeconds:0} s.");
                    await _clock.DelayAsync(LookupPause, ct).ConfigureAwait(false);
                }
                catch (OpenStackApiException readError)
                {
                    throw new SubmissionFailedException(current, faults,
                        $"{Describe(faults)}, and nova's record of the server's actions could not be read ({readError.Kind}): nova may or may not have started the {action}, so it was not sent again");
                }
            }
        }

        private static bool IsTransient(OpenStackApiException e)
            => !(e is Identity.TokenRenewalException) && (e.Kind == ApiErrorKind.ServiceUnavailable || e.Kind == ApiErrorKind.ConnectionFailed || e.Kind == ApiErrorKind.Timeout
               || e.StatusCode == 429 || e.StatusCode == 502 || e.StatusCode == 504);

        /// <summary>"nova-api unavailable (503) 3 times", "no answer from nova-api, then nova-api unavailable (503)".</summary>
        internal static string Describe(IReadOnlyList<OpenStackApiException> faults)
            => string.Join(", then ", faults.GroupBy(Word).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} {g.Count()} times"));

        private static string Word(OpenStackApiException e)
        {
            if (e.StatusCode == 429) return "nova-api asked to slow down (429)";
            if (e.StatusCode == 401) return "nova-api refused the token (401)";
            if (e.StatusCode != null) return $"nova-api unavailable ({e.StatusCode})";
            return e.Kind == ApiErrorKind.Timeout ? "no answer from nova-api" : "the connection to nova-api dropped";
        }
    }

    /// <summary>A submission that did not happen: nova's refusal, or the faults that kept it from getting through.</summary>
    internal sealed class SubmissionFailedException : Exception
    {
        public SubmissionFailedException(OpenStackApiException last, IReadOnlyList<OpenStackApiException> faults, string? operatorMessage)
            : base(operatorMessage ?? last.Message, last)
        {
            Last = last;
            Faults = faults;
            OperatorMessage = operatorMessage;
        }

        /// <summary>The error that ended it (nova's refusal, or the last fault).</summary>
        public OpenStackApiException Last { get; }
        public IReadOnlyList<OpenStackApiException> Faults { get; }
        /// <summary>What to tell the operator when faults, not nova, ended it; null for a plain refusal.</summary>
        public string? OperatorMessage { get; }
    }
}
