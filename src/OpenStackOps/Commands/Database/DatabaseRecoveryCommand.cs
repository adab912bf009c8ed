using System.Management.Automation;
using OpenStackOps.Database;
using OpenStackOps.Infrastructure;

namespace OpenStackOps.Commands.Database
{
    /// <summary>
    /// Base of the database recovery cmdlets: where nova's and neutron's databases are (a server and a
    /// PSCredential, or a connection string) and their schema names. The password never reaches output,
    /// verbose lines or errors: targets show as user@server:port.
    /// </summary>
    public abstract class DatabaseRecoveryCommand : OpenStackCmdlet
    {
        protected const string CredentialSet = "Credential";
        protected const string ConnectionStringSet = "ConnectionString";

        /// <summary><para type="description">The MySQL/MariaDB server holding the nova and neutron databases.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNullOrEmpty]
        public string DatabaseServer { get; set; } = null!;

        /// <summary><para type="description">Its port (default 3306).</para></summary>
        [Parameter(ParameterSetName = CredentialSet)]
        [ValidateRange(1, 65535)]
        public int DatabasePort { get; set; } = 3306;

        /// <summary><para type="description">The database user and password (e.g. nova's and neutron's shared admin account).</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential DatabaseCredential { get; set; } = null!;

        /// <summary><para type="description">A MySqlConnector connection string instead of -DatabaseServer and -DatabaseCredential. Its Database key is ignored. Never echoed.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; } = null!;

        /// <summary><para type="description">The name of nova's cell database (default nova).</para></summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? NovaDatabase { get; set; }

        /// <summary><para type="description">The name of neutron's database (default neutron).</para></summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? NeutronDatabase { get; set; }

        protected DatabaseTarget BuildTarget(string? novaDefault = null, string? neutronDefault = null)
        {
            try
            {
                return ParameterSetName == ConnectionStringSet
                    ? DatabaseTarget.FromConnectionString(ConnectionString, NovaDatabase ?? novaDefault, NeutronDatabase ?? neutronDefault)
                    : DatabaseTarget.FromCredential(DatabaseServer, DatabasePort, DatabaseCredential.UserName,
                        DatabaseCredential.GetNetworkCredential().Password, NovaDatabase ?? novaDefault, NeutronDatabase ?? neutronDefault);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(ErrorRecords.Make(e.Message, "DatabaseRecoveryInvalidConnection", ErrorCategory.InvalidArgument,
                    ParameterSetName == ConnectionStringSet ? "ConnectionString" : DatabaseServer));
                return null!; // not reached: ThrowTerminatingError throws
            }
        }
    }
}
