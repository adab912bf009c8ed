using System.Text.RegularExpressions;
using MySqlConnector;

namespace OpenStackOps.Database
{
    /// <summary>
    /// Where nova's and neutron's databases live: one MySQL/MariaDB server and the two schema names
    /// (default <c>nova</c> and <c>neutron</c>). Holds the password but never shows it: <see cref="ToString"/>
    /// and <see cref="Display"/> name only user, server and port.
    /// </summary>
    public sealed class DatabaseTarget
    {
        private static readonly Regex Identifier = new Regex("^[A-Za-z0-9_]{1,64}$");
        private readonly string _connectionString;

        private DatabaseTarget(string connectionString, string? novaDatabase, string? neutronDatabase)
        {
            NovaDatabase = CheckIdentifier(novaDatabase ?? "nova", nameof(novaDatabase));
            NeutronDatabase = CheckIdentifier(neutronDatabase ?? "neutron", nameof(neutronDatabase));
            var b = new MySqlConnectionStringBuilder(connectionString);
            b.Database = "";
            b.UseAffectedRows = false;      // row counts are rows matched: what the plan is checked against
            b.AllowUserVariables = false;
            b.PersistSecurityInfo = false;
            if (b.ConnectionTimeout == 15) b.ConnectionTimeout = 10;
            _connectionString = b.ConnectionString;
            Server = b.Server;
            Port = (int)b.Port;
            User = b.UserID;
        }

        /// <summary>From a server, port, user and password.</summary>
        public static DatabaseTarget FromCredential(string server, int port, string? user, string? password,
            string? novaDatabase = null, string? neutronDatabase = null)
        {
            if (string.IsNullOrWhiteSpace(server)) throw new ArgumentException("A database server is required.", nameof(server));
            var b = new MySqlConnectionStringBuilder { Server = server, Port = (uint)port, UserID = user ?? "", Password = password ?? "" };
            return new DatabaseTarget(b.ConnectionString, novaDatabase, neutronDatabase);
        }

        /// <summary>From a MySqlConnector connection string (its Database key is ignored).</summary>
        public static DatabaseTarget FromConnectionString(string connectionString, string? novaDatabase = null, string? neutronDatabase = null)
        {
            try
            {
                return new DatabaseTarget(connectionString, novaDatabase, neutronDatabase);
            }
            catch (ArgumentException)
            {
                // The builder's message may quote the string, and with it the password.
                throw new ArgumentException("The database connection string is not valid (its text is not shown: it may hold a password).");
            }
        }

        public string Server { get; }
        public int Port { get; }
        public string User { get; }
        public string NovaDatabase { get; }
        public string NeutronDatabase { get; }

        /// <summary>user@server:port, never the password.</summary>
        public string Display => $"{User}@{Server}:{Port}";

        public override string ToString() => Display;

        internal MySqlConnection Open() => new MySqlConnection(_connectionString);

        /// <summary>A schema name as a quoted identifier; schema names cannot be parameters, so they are checked instead.</summary>
        internal static string Quote(string identifier) => "`" + CheckIdentifier(identifier, "database") + "`";

        private static string CheckIdentifier(string name, string what)
        {
            if (name == null || !Identifier.IsMatch(name))
                throw new ArgumentException($"'{name}' is not a plain database name (letters, digits and _ only).", what);
            return name;
        }
    }
}
