using OpenStackOps.Compute.Servers;

namespace OpenStackOps.Maintenance
{
    /// <summary>One server to move, as nova last showed it, and where to (null: the scheduler chooses).</summary>
    public sealed class MigrationRequest
    {
        public MigrationRequest(Server server, string? destination = null)
        {
            Server = server ?? throw new ArgumentNullException(nameof(server));
            Destination = string.IsNullOrWhiteSpace(destination) ? null : destination;
        }

        /// <summary>The server as listed (its state, host and lock decide whether and how it can move).</summary>
        public Server Server { get; }
        public string? Destination { get; }

        /// <summary>
        /// The request that takes a moved server back where a previous run found it: <paramref name="current"/>
        /// is the server as nova shows it now, the destination is the earlier result's source host. A server
        /// that is already there is skipped, so returning is idempotent.
        /// </summary>
        public static MigrationRequest ReturnTrip(MigrationResult earlier, Server current)
        {
            if (earlier == null) throw new ArgumentNullException(nameof(earlier));
            if (earlier.SourceHost == null) throw new ArgumentException("The earlier result has no source host to return to.", nameof(earlier));
            return new MigrationRequest(current, earlier.SourceHost);
        }
    }
}
