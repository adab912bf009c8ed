namespace OpenStackOps.Http
{
    /// <summary>
    /// Retries a request its caller knows is safe to send twice (a port's delete, where 404 means done; an update
    /// that sets fields to given values: a port's name, a compute service's status or forced_down) when it meets a
    /// transient fault (502/503/504, 429 after its Retry-After, a dropped connection, no answer). ServiceClient
    /// retries only reads by itself: whether a write may be repeated is the caller's decision.
    /// </summary>
    internal static class IdempotentRetry
    {
        internal const int MaxAttempts = 3;
        private static readonly TimeSpan[] Pauses = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5) };

        public static async Task<T> RunAsync<T>(Func<Task<T>> send, Func<TimeSpan, CancellationToken, Task>? delay = null, int attempts = MaxAttempts)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await send().ConfigureAwait(false);
                }
                catch (OpenStackApiException e) when (attempt < attempts && IsPassing(e))
                {
                    var pause = e.RetryAfter is TimeSpan ra && ra > TimeSpan.Zero && ra < TimeSpan.FromSeconds(60) ? ra : Pauses[Math.Min(attempt - 1, Pauses.Length - 1)];
                    await (delay ?? ((t, c) => Task.Delay(t, c)))(pause, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Transient, or a 401 that survived ServiceClient's re-authentication (the request was not carried out).</summary>
        internal static bool IsPassing(OpenStackApiException e) => IsTransient(e) || e.Kind == ApiErrorKind.Unauthorized;

        internal static bool IsTransient(OpenStackApiException e)
            => e.Kind == ApiErrorKind.ServiceUnavailable || e.Kind == ApiErrorKind.ConnectionFailed || e.Kind == ApiErrorKind.Timeout
               || e.StatusCode == 429 || e.StatusCode == 502 || e.StatusCode == 504;
    }
}
