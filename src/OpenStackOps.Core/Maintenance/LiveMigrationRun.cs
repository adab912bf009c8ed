using System.Collections.Concurrent;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// A run in progress (<see cref="LiveMigrationEngine.Start"/>), and its single loop: admit servers while the
    /// throttle allows, sleep until the earliest poll is due (or a new server arrives with a slot free), poll
    /// everything in flight at once, let the <see cref="MigrationJudge"/> settle what ended and act on timeouts.
    /// One loop, so API calls never overlap and their order is deterministic; the waiting is where the time goes,
    /// not the calls. Thread-safe for its callers: <see cref="Add"/> from the pipeline thread while the loop works
    /// on the thread pool. The throttle applies across everything added to one run.
    /// </summary>
    public sealed partial class LiveMigrationRun
    {
        private readonly ComputeClient _compute;
        private readonly MigrationOptions _options;
        private readonly IMigrationObserver? _observer;
        private readonly IWaitClock _clock;
        private readonly CancellationToken _ct;
        private readonly MigrationTracker _tracker;
        private readonly PollPlanner _planner;
        private readonly TickSpacing _spacing;
        private DateTimeOffset? _lastPollAt;
        private readonly ConcurrentQueue<MigrationRequest> _input = new ConcurrentQueue<MigrationRequest>();
        private readonly InputSignal _signal = new InputSignal();
        /// <summary>Servers taken from the input, not started yet. Touched by the loop only.</summary>
        private readonly WaitingLine _line = new WaitingLine();
        /// <summary>Moves being sent (their POSTs run concurrently). The list is touched by the loop only.</summary>
        private readonly List<Submission> _submissions = new List<Submission>();
        /// <summary>Sends that have ended, handed from their tasks to the loop.</summary>
        private readonly ConcurrentQueue<Submission> _answered = new ConcurrentQueue<Submission>();
        /// <summary>Slots held per source host (sends and flights), for the per-host throttle. Touched by the loop only.</summary>
        private readonly Dictionary<string, int> _busyPerHost = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Moves accepted and not yet ended. Touched by the loop only.</summary>
        private readonly List<Flight> _flights = new List<Flight>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Guards the results, the counters and the stopped flag against <see cref="Add"/> on the pipeline thread.</summary>
        private readonly object _gate = new object();
        /// <summary>Sends report their retries from their own tasks: observers are called one at a time.</summary>
        private readonly object _notifyGate = new object();
        private readonly List<MigrationResult> _results = new List<MigrationResult>();
        private volatile bool _inputComplete;
        private bool _stopped;
        private int _added;
        private int _succeeded, _skipped, _unsuccessful;
        private int _sequence;
        /// <summary>Settles each flight whose record ended and handles its deadline.</summary>
        private readonly MigrationJudge _judge;
        private OpenStackApiException? _startupError;

        private LiveMigrationRun(ComputeClient compute, MigrationOptions options, IMigrationObserver? observer, IWaitClock clock, CancellationToken ct)
        {
            _compute = compute;
            _options = options;
            _observer = observer;
            _clock = clock;
            _ct = ct;
            _tracker = new MigrationTracker(compute);
            _planner = new PollPlanner(options);
            _spacing = new TickSpacing(options);
            _judge = new MigrationJudge(compute, options, clock, _planner, Finish, Message, ct);
        }

        /// <summary>Starts the loop on the thread pool; it takes servers until <see cref="Complete"/>.</summary>
        internal static LiveMigrationRun Start(ComputeClient compute, MigrationOptions options, IMigrationObserver? observer, IWaitClock clock, CancellationToken ct)
        {
            var run = new LiveMigrationRun(compute, options, observer, clock, ct);
            run.Completion = Task.Run(() => run.RunAsync());
            return run;
        }

        /// <summary>Every result of the run, in the order they ended; also sent to the observer as they happen.</summary>
        public Task<IReadOnlyList<MigrationResult>> Completion { get; private set; } = null!;

        /// <summary>The results known so far.</summary>
        public IReadOnlyList<MigrationResult> Results => ResultsSnapshot();

        /// <summary>Queues one more server. After the run was stopped it is reported as Cancelled at once.</summary>
        public void Add(MigrationRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            lock (_gate)
            {
                if (_inputComplete) throw new InvalidOperationException("Complete() was called: no more servers can be added to this run.");
                _added++;
                if (_stopped)
                {
                    // The run was stopped (Ctrl+C): every server still gets its one result.
                    Emit(NewResult(request, Interlocked.Increment(ref _sequence), MigrationKind.None, MigrationOutcome.Cancelled,
                        "not started: the run was stopped"));
                    return;
                }
                _input.Enqueue(request);
            }
            _signal.Set();
        }

        /// <summary>No more servers will be added: the run ends when the last one has its result.</summary>
        public void Complete()
        {
            _inputComplete = true;
            _signal.Set();
        }

        private IReadOnlyList<MigrationResult> ResultsSnapshot()
        {
            lock (_gate) return _results.ToList();
        }

        private async Task<IReadOnlyList<MigrationResult>> RunAsync()
        {
            try
            {
                await StartAsync().ConfigureAwait(false);
                while (true)
                {
                    _ct.ThrowIfCancellationRequested();
                    CollectAnswers();
                    await AdmitAsync().ConfigureAwait(false);
                    CollectAnswers(); // answered at once: followed from this schedule on
                    _ct.ThrowIfCancellationRequested();
                    if (_flights.Count == 0)
                    {
                        bool nothingWaiting = _input.IsEmpty && _line.Count == 0;
                        if (_submissions.Count == 0 && nothingWaiting && _inputComplete) break;
                        // An answer to a send, or a new server: either may start something.
                        if (_submissions.Count > 0 || nothingWaiting) await WaitForInputAsync().ConfigureAwait(false);
                        continue;
                    }
                    var wait = NextPollAt() - _clock.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        bool wake = _submissions.Count > 0 || (Busy < _options.ThrottleLimit && !_inputComplete);
                        if (await SleepAsync(wait, wakeOnInput: wake).ConfigureAwait(false))
                            continue; // an answer, or a server with a slot free: take it in, then back to the schedule
                    }
                    await TickAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_ct.IsCancellationRequested)
            {
                Message("Stopped: no new migrations will be started.");
                await AwaitSentAsync().ConfigureAwait(false);
            }
            catch (Identity.TokenRenewalException e)
            {
                // Only the operator can get a new token (Connect-OpenStack): say so in every unfinished result.
                Stop(e.Problem == Identity.TokenProblem.RenewalFailed
                    ? "the session's token could not be renewed"
                    : "the session's token " + (e.Problem == Identity.TokenProblem.Expired ? "expired" : "was refused") + " and cannot be renewed");
                throw;
            }
            catch (Exception e)
            {
                // A bug must not strand the moves in flight unreported: report them, then fail the run.
                await AwaitSentAsync().ConfigureAwait(false);
                Stop("the migration run failed (" + e.Message + ")");
                throw;
            }
            Stop(null);
            return ResultsSnapshot();
        }

        /// <summary>
        /// The earliest flight's poll time; with several moves in flight, no sooner after the last poll than
        /// <see cref="TickSpacing"/> allows (one listing sees them all), and never past a deadline. A flight whose
        /// timeout is being handled, or a progress display, is not held back.
        /// </summary>
        private DateTimeOffset NextPollAt()
        {
            var due = _flights.Min(f => f.NextPollAt);
            if (_lastPollAt == null || _flights.Count < 2 || _options.ReportMemoryProgress ||
                _flights.Any(f => f.IsOvertime))
                return due;
            var spaced = _lastPollAt.Value + _spacing.Gap;
            return spaced <= due ? due : Earliest(spaced, _flights.Min(f => f.Deadline));
        }

        private async Task StartAsync()
        {
            try
            {
                var range = await _compute.GetVersionRangeAsync(_ct).ConfigureAwait(false);
                _judge.Microversion = Microversion.Min(range.Maximum, ComputeClient.NewestUnderstood);
            }
            catch (OpenStackApiException e)
            {
                // Every server will fail with this; each still gets its result.
                _startupError = e;
                Message("Could not read nova's API version: " + e.Message);
            }
        }

        private async Task WaitForInputAsync()
        {
            var input = _signal.WaitAsync();
            if (input.IsCompleted) return;
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (_ct.Register(() => cancelled.TrySetCanceled()))
                await Task.WhenAny(input, cancelled.Task).ConfigureAwait(false);
            _ct.ThrowIfCancellationRequested();
        }

        /// <summary>Sleeps until the next poll; true when woken early by new input.</summary>
        private async Task<bool> SleepAsync(TimeSpan wait, bool wakeOnInput)
        {
            var delay = _clock.DelayAsync(wait, _ct);
            if (!wakeOnInput)
            {
                await delay.ConfigureAwait(false);
                return false;
            }
            var first = await Task.WhenAny(delay, _signal.WaitAsync()).ConfigureAwait(false);
            if (first == delay)
            {
                await delay.ConfigureAwait(false); // surfaces cancellation
                return false;
            }
            return true; // possibly spurious: the loop re-checks its queue and sleeps again
        }

        /// <summary>
        /// Ends the run: what is still in flight is reported as still running (nova carries on; nothing is
        /// abandoned silently), what never started as cancelled. No API call: Ctrl+C must be quick.
        /// </summary>
        private void Stop(string? failure)
        {
            lock (_gate)
            {
                if (_stopped) return;
                _stopped = true;
                foreach (var f in _flights.ToList())
                    FinishInterrupted(f, failure);
                while (_input.TryDequeue(out var arrived)) _line.Add(arrived);
                foreach (var r in _line.TakeAll())
                    Emit(NewResult(r, Interlocked.Increment(ref _sequence), MigrationKind.None, MigrationOutcome.Cancelled,
                        failure == null ? "not started: the run was stopped" : "not started: " + failure));
            }
        }
    }
}
