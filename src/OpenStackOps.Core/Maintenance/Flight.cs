using OpenStackOps.Compute;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance
{
    /// <summary>Where a flight is in the handling of its timeout.</summary>
    internal enum TimeoutStage
    {
        /// <summary>Not timed out.</summary>
        None,
        /// <summary>Timed out; the abort/force-complete waits until nova's status allows it (or the grace ends).</summary>
        ActionPending,
        /// <summary>The abort/force-complete was accepted; waiting for the record to end within the grace period.</summary>
        ActionSent,
    }

    /// <summary>One server's move in progress: what was asked, what nova last said, when to look again.</summary>
    internal sealed class Flight
    {
        internal Flight(MigrationRequest request, int sequence, MigrationKind kind)
        {
            Request = request;
            Sequence = sequence;
            Kind = kind;
        }

        internal MigrationRequest Request { get; }
        internal Server Server => Request.Server;
        internal string ServerId => Request.Server.Id;
        internal string Source => Request.Server.Host!; // a server is moved only from the host it was listed on
        internal int Sequence { get; }
        internal MigrationKind Kind { get; }

        internal DateTimeOffset SubmittedAt { get; set; }
        internal DateTimeOffset Deadline { get; set; }
        internal TimeSpan Timeout { get; set; }
        internal DateTimeOffset NextPollAt { get; set; }
        internal string? RequestId { get; set; }
        internal Microversion Microversion { get; set; }

        /// <summary>Nova's record of this move, once seen.</summary>
        internal MigrationRecord? Record { get; set; }
        internal string? Status => Record?.Status;

        /// <summary>The last poll that saw this move still in progress (our clock).</summary>
        internal DateTimeOffset? LastSeenInProgressAt { get; set; }
        /// <summary>When a poll first saw it past accepted/queued: nova serializes moves per source host (1 by default), so the clock of a queued move starts here.</summary>
        internal DateTimeOffset? StartedAt { get; set; }
        /// <summary>Whether it waited in nova's queue before it started (its record times then include the wait).</summary>
        internal bool WaitedInQueue { get; set; }
        internal DateTimeOffset ClockStart => StartedAt ?? SubmittedAt;

        /// <summary>Cold: confirmResize was accepted.</summary>
        internal bool ConfirmSent { get; set; }
        /// <summary>Polls at which the record had ended but the server did not show the end state yet.</summary>
        internal int VerifyAttempts { get; set; }

        /// <summary>What its deadline brought, once passed: the <see cref="MigrationJudge"/>'s to keep.</summary>
        internal Overtime Overtime { get; } = new Overtime();
        internal bool IsOvertime => Overtime.Stage != TimeoutStage.None;

        /// <summary>nova's last in-progress record (memory figures), when a display asked for them.</summary>
        internal MigrationRecord? Memory { get; set; }
    }

    /// <summary>A flight past its deadline: the action taken (abort, force-complete, leave) and how it went.</summary>
    internal sealed class Overtime
    {
        internal TimeoutStage Stage { get; set; }
        internal DateTimeOffset GraceDeadline { get; set; }
        internal TimeoutAction? ActionTaken { get; set; }
        internal string? Note { get; set; }
        internal int Refusals { get; set; }
    }
}
