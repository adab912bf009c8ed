using OpenStackOps.Compute.Servers;
using OpenStackOps.Http;

namespace OpenStackOps.Maintenance
{
    /// <summary>The one result of a server's move, from the request and, once it flew, from its flight.</summary>
    internal static class FlightResults
    {
        internal static MigrationResult New(MigrationRequest request, MigrationKind kind, MigrationOutcome status, string message)
        {
            var s = request.Server;
            return new MigrationResult
            {
                Cloud = s.Cloud,
                Region = s.Region,
                ServerId = s.Id,
                ServerName = s.Name,
                ProjectId = s.ProjectId,
                MoveKind = kind,
                SourceHost = s.Host,
                RequestedDestination = request.Destination,
                Outcome = status,
                Message = message,
            };
        }

        internal static MigrationResult Of(Flight f, MigrationOutcome status, string message, DateTimeOffset now)
        {
            var result = New(f.Request, f.Kind, status, message);
            result.RequestId = f.RequestId;
            result.MigrationId = f.Record?.Id;
            result.MigrationUuid = f.Record?.Uuid;
            result.MigrationStatus = f.Record?.Status;
            result.StartedAt = f.SubmittedAt;
            result.FinishedAt = now;
            result.Elapsed = now - f.SubmittedAt;
            result.TimedOut = f.IsOvertime;
            result.TimeoutTaken = result.TimedOut ? f.Overtime.ActionTaken : null;
            result.MemoryProcessedBytes = f.Memory?.MemoryProcessedBytes;
            result.MemoryTotalBytes = f.Memory?.MemoryTotalBytes;
            return result;
        }

        internal static MigrationResult WithServer(MigrationResult result, Server? server)
        {
            result.FinalHost = server?.Host;
            return result;
        }

        /// <summary>Adds an API failure's details: nova's own message (not our decoration), its kind, status and request id.</summary>
        internal static MigrationResult Failure(MigrationResult result, OpenStackApiException e)
        {
            result.Error = e.ServerMessage ?? e.Message;
            result.ApiError = e.Kind;
            result.HttpStatus = e.StatusCode;
            if (result.RequestId == null) result.RequestId = e.RequestId;
            return result;
        }

        /// <summary>A server as messages name it: its name and id, or its id.</summary>
        internal static string Describe(Server s) => s.Name == null ? s.Id : $"{s.Name} ({s.Id})";

        /// <summary>Where to look at the migration in nova, for a message; empty before nova showed its record.</summary>
        internal static string Hint(Flight f)
            => f.Record == null ? "" : $" (migration {f.Record.Id}: openstack server migration show {f.ServerId} {f.Record.Id})";
    }
}
