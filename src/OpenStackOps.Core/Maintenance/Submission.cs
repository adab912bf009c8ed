using OpenStackOps.Compute.Migrations;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// One move being sent to nova, on its own task so that one slow POST does not hold the others. It only sends
    /// and records what came back; the run's loop reads it once it has ended and does everything else
    /// (results, flights, progress), so the loop's state stays single-threaded.
    /// </summary>
    internal sealed class Submission
    {
        internal Submission(Flight flight) => Flight = flight;

        internal Flight Flight { get; }
        internal string Host => WaitingLine.HostOf(Flight.Request);

        /// <summary>Set when nova accepted the move (or had taken it before a lost answer).</summary>
        internal ServerActionResult? Accepted { get; set; }
        /// <summary>Set when nova refused it or faults kept it from getting through.</summary>
        internal SubmissionFailedException? Refused { get; set; }
        /// <summary>The run was stopped before nova's answer was known.</summary>
        internal bool Interrupted { get; set; }
        /// <summary>How many times the move was sent: none means nova never saw it.</summary>
        internal int Sends { get; set; }
        /// <summary>Anything else: a bug, rethrown by the loop so the run fails as it would have before.</summary>
        internal Exception? Crash { get; set; }
    }
}
