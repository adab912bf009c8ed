using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure.Completion
{
    /// <summary>
    /// Base of the module's argument completers. A Tab press must never prompt, throw or hang, so every failure
    /// completes to nothing; names from the cloud come from the runspace's default session (no session: nothing),
    /// are asked for at most once per <see cref="CacheLifetime"/> per session and kind, and a request that takes
    /// longer than <see cref="Timeout"/> is cancelled.
    /// </summary>
    public abstract class OpenStackArgumentCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
        internal static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(45);

        /// <summary>What the names fetched are cached under, per session: completers that fetch the same names share it.</summary>
        protected virtual string CacheKey => GetType().FullName;

        /// <summary>Every name to offer, read from the cloud; filtered by the typed prefix afterwards.</summary>
        protected virtual Task<IEnumerable<string>> FetchAsync(OpenStackSession session, CancellationToken ct)
            => Task.FromResult(Enumerable.Empty<string>());

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                string typed = Unquote(wordToComplete ?? "");
                return (Candidates(fakeBoundParameters) ?? Enumerable.Empty<string>())
                    .Where(n => !string.IsNullOrEmpty(n))
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                    .Select(n => ToResult(n, typed))
                    .Where(r => r != null)
                    .ToList()!; // the nulls are filtered out
            }
            catch
            {
                // Whatever went wrong, the operator pressed Tab: no error, no completion.
                return Enumerable.Empty<CompletionResult>();
            }
        }

        /// <summary>The names before filtering. By default: from the cloud, cached, within the timeout.</summary>
        protected virtual IEnumerable<string>? Candidates(IDictionary fakeBoundParameters)
        {
            var session = SessionStore.GetDefault();
            if (session == null) return null;
            return CompletionCache.GetOrFetch(session, CacheKey, () =>
            {
                using (var cts = new CancellationTokenSource(Timeout))
                {
                    var task = FetchAsync(session, cts.Token);
                    // The engine honours the token; the wait is bounded too, for any call that does not.
                    return task.Wait(Timeout + TimeSpan.FromMilliseconds(200)) ? task.Result.ToList() : null;
                }
            });
        }

        /// <summary>The completion a candidate gives for the typed prefix, or null when it does not match. By default: the name, quoted when needed.</summary>
        protected virtual CompletionResult? ToResult(string candidate, string typed)
            => candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                ? new CompletionResult(Quote(candidate), candidate, CompletionResultType.ParameterValue, candidate) : null;

        private static string Unquote(string word)
        {
            word = word.Trim();
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"')) word = word.Substring(1);
            if (word.Length > 0 && (word[word.Length - 1] == '\'' || word[word.Length - 1] == '"')) word = word.Substring(0, word.Length - 1);
            return word;
        }

        /// <summary>Names with spaces or PowerShell's special characters are single-quoted.</summary>
        private static string Quote(string name)
            => name.IndexOfAny(" \t'\"`$&@(){};,|<>#".ToCharArray()) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }
}
