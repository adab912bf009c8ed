namespace OpenStackOps.Node.Disks
{
    /// <summary>
    /// The steps done so far and how to undo each. On failure <see cref="RollbackAsync"/> undoes them newest first,
    /// every one even when an earlier undo fails, and never cancelled by Ctrl+C (a half-done rollback would leave an
    /// instance suspended or a device attached).
    /// </summary>
    internal sealed class UndoJournal
    {
        private readonly List<KeyValuePair<string, Func<CancellationToken, Task>>> _undo = new List<KeyValuePair<string, Func<CancellationToken, Task>>>();

        public int Count => _undo.Count;

        public void Push(string description, Func<CancellationToken, Task> undo)
            => _undo.Add(new KeyValuePair<string, Func<CancellationToken, Task>>(description, undo));

        /// <summary>Undoes every recorded step in reverse order; returns the undo steps that failed, with why.</summary>
        public async Task<IReadOnlyList<string>> RollbackAsync(Action<string> log)
        {
            var failures = new List<string>();
            for (int i = _undo.Count - 1; i >= 0; i--)
            {
                var step = _undo[i];
                log?.Invoke("Undoing: " + step.Key);
                try
                {
                    using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
                        await step.Value(limit.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failures.Add(step.Key + ": " + e.Message);
                }
            }
            _undo.Clear();
            return failures;
        }
    }
}
