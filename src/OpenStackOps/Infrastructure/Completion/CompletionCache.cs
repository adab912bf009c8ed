using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>
    /// Names fetched for completion, per session and kind, for <see cref="OpenStackArgumentCompleter.CacheLifetime"/>:
    /// repeated Tab presses reuse them instead of asking the cloud each time. Keyed by the session object, so a new
    /// Connect-OpenStack starts afresh and a dropped session takes its names with it.
    /// </summary>
    internal static class CompletionCache
    {
        private sealed class Entry
        {
            public DateTime Expires;
            public IReadOnlyList<string> Names = null!;
        }

        private static readonly ConditionalWeakTable<OpenStackSession, ConcurrentDictionary<string, Entry>> BySession =
            new ConditionalWeakTable<OpenStackSession, ConcurrentDictionary<string, Entry>>();

        /// <summary>A failed or timed-out fetch completes to nothing for this long, so a cloud that is down costs one wait, not one per key press.</summary>
        private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(10);

        /// <summary>The cached names, or <paramref name="fetch"/>'s (null: it failed or timed out).</summary>
        public static IReadOnlyList<string>? GetOrFetch(OpenStackSession session, string kind, Func<IReadOnlyList<string>?> fetch)
        {
            var entries = BySession.GetValue(session, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
            if (entries.TryGetValue(kind, out var hit) && DateTime.UtcNow < hit.Expires)
                return hit.Names;
            IReadOnlyList<string>? names = null;
            try { names = fetch(); }
            finally
            {
                entries[kind] = names != null
                    ? new Entry { Expires = DateTime.UtcNow + OpenStackArgumentCompleter.CacheLifetime, Names = names }
                    : new Entry { Expires = DateTime.UtcNow + FailureLifetime, Names = new string[0] };
            }
            return names;
        }
    }
}
