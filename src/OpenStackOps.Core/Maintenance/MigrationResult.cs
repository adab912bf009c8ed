using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    /// <summary>
    /// How one server's move ended: exactly one per server given to a run. Carries the identity (cloud, region,
    /// server, project), where it was and went, nova's migration id and request id, and nova's own words on failure.
    /// Every value an operator filters on is text or a number (Status, Kind, ErrorKind, TimeoutActionTaken are the
    /// names of their values, Duration also in seconds), so a result means the same after Export-Clixml and
    /// Import-Clixml, ConvertTo-Json or Export-Csv: `Where-Object Status -eq Completed` works on what comes back.
    /// The engine works with the typed values (Outcome, MoveKind...).
    /// </summary>
    public sealed class MigrationResult
    {
        public string? Cloud { get; set; }
        public string? Region { get; set; }
        public string ServerId { get; set; } = null!;
        public string? ServerName { get; set; }
        public string? ProjectId { get; set; }
        internal MigrationKind MoveKind { get; set; }
        /// <summary>Live, Cold or Evacuation. Settable by name (a runbook test's data): `[OpenStackOps.Maintenance.MigrationResult]@{ Kind = 'Live' }`.</summary>
        public string Kind { get => MoveKind.ToString(); set => MoveKind = Common.EnumText.Parse<MigrationKind>(value, nameof(Kind)); }
        /// <summary>The host the server was on when the run started its move (the host a return trip goes back to).</summary>
        public string? SourceHost { get; set; }
        /// <summary>The destination asked for, or null when the scheduler chose.</summary>
        public string? RequestedDestination { get; set; }
        /// <summary>Where the server is now, as verified (null when not read).</summary>
        public string? FinalHost { get; set; }
        /// <summary>Where the server went or is going: <see cref="FinalHost"/> when verified, else <see cref="RequestedDestination"/>; null when the scheduler chose and the host was not read.</summary>
        public string? Destination => !string.IsNullOrEmpty(FinalHost) ? FinalHost : string.IsNullOrEmpty(RequestedDestination) ? null : RequestedDestination;
        internal MigrationOutcome Outcome { get; set; }
        /// <summary>How the move ended: the name of a <see cref="MigrationOutcome"/> (Completed, RolledBack, Failed, Planned...).</summary>
        /// <remarks>Settable by name, e.g. for a runbook test's data: `[OpenStackOps.Maintenance.MigrationResult]@{ ServerId = '...'; Status = 'Completed' }`.</remarks>
        public string Status { get => Outcome.ToString(); set => Outcome = Common.EnumText.Parse<MigrationOutcome>(value, nameof(Status)); }
        /// <summary>What happened, for a person: the skip reason, what was done on timeout, what is still running.</summary>
        public string? Message { get; set; }
        /// <summary>Nova's reason for a failure: the instance action's failed events, or the API's fault message.</summary>
        public string? Error { get; set; }
        /// <summary>For failures from an API call: the kind of error (Conflict for a 409...).</summary>
        internal ApiErrorKind? ApiError { get; set; }
        /// <summary>The name of the <see cref="ApiErrorKind"/>, or null.</summary>
        public string? ErrorKind => ApiError?.ToString();
        public int? HttpStatus { get; set; }
        /// <summary>True when the move was still in progress at its timeout.</summary>
        public bool TimedOut { get; set; }
        /// <summary>What the run did at the timeout (null when it did not time out).</summary>
        internal TimeoutAction? TimeoutTaken { get; set; }
        /// <summary>The name of the <see cref="TimeoutAction"/> taken (Abort, ForceComplete, Leave), or null.</summary>
        public string? TimeoutActionTaken => TimeoutTaken?.ToString();
        /// <summary>Nova's integer migration id (abort/force-complete/show take it).</summary>
        public long? MigrationId { get; set; }
        public string? MigrationUuid { get; set; }
        /// <summary>The migration record's last status seen (completed, error, cancelled, running...).</summary>
        public string? MigrationStatus { get; set; }
        /// <summary>The request id of the move action: `openstack server event show SERVER REQUEST_ID` explains it.</summary>
        public string? RequestId { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        /// <summary>The time taken as the engine measured it (from submission to the verified end; zero for skipped servers).</summary>
        internal TimeSpan Elapsed { get; set; }
        /// <summary>
        /// The time taken as text, [d.]hh:mm:ss to the second: the same in a table, in JSON and in CSV (`[TimeSpan]$r.Duration`
        /// gives the TimeSpan back). Settable, e.g. for a runbook test's data.
        /// </summary>
        public string Duration { get => Common.DurationText.Format(Elapsed); set => Elapsed = Common.DurationText.Parse(value); }
        /// <summary>The time taken in seconds (to the millisecond): a number in JSON and CSV, for sums and sorting.</summary>
        public double DurationSeconds => Math.Round(Elapsed.TotalSeconds, 3);
        /// <summary>Memory copied, when nova reported it and it was asked for.</summary>
        public long? MemoryProcessedBytes { get; set; }
        public long? MemoryTotalBytes { get; set; }
        /// <summary>Evacuation only: what became of the server's disk (a <see cref="Recovery.DataFate"/> name).</summary>
        public string? DataFate { get; set; }
        /// <summary>Evacuation only: the server's status before, which the evacuation restores (SHUTOFF stays SHUTOFF).</summary>
        public string? StatusBefore { get; set; }

        /// <summary>The server is verifiably on another host.</summary>
        public bool Succeeded => Outcome == MigrationOutcome.Completed || Outcome == MigrationOutcome.ColdMigrated;

        /// <summary>A result naming <paramref name="s"/> and where it is, for a plan to fill in.</summary>
        internal static MigrationResult About(Server s, string? cloud, string? region, string? requestedDestination) => new MigrationResult
        {
            Cloud = cloud, Region = region, ServerId = s.Id, ServerName = s.Name, ProjectId = s.ProjectId,
            SourceHost = s.Host, RequestedDestination = requestedDestination,
        };

        public override string ToString() => $"{ServerName ?? ServerId}: {Status} {SourceHost} -> {Destination ?? "(scheduler)"}";
    }
}
