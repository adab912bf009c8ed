using System.Management.Automation;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Commands.Compute
{
    /// <summary>
    /// What an operator can name a server by: an id, a name, a Server from Get-NodeServer, or a result of an
    /// earlier move (live, or read back with Import-Clixml), which also remembers where the server came from.
    /// PowerShell converts any of these to a ServerTarget through the constructors.
    /// </summary>
    public sealed class ServerTarget
    {
        public ServerTarget(string idOrName)
        {
            if (string.IsNullOrWhiteSpace(idOrName)) throw new ArgumentException("A server id or name cannot be empty.", nameof(idOrName));
            Text = idOrName.Trim();
        }

        public ServerTarget(Guid id) : this(id.ToString()) { }

        public ServerTarget(Server server)
        {
            Server = server ?? throw new ArgumentNullException(nameof(server));
            Text = server.Id;
        }

        public ServerTarget(MigrationResult earlier)
        {
            if (earlier == null) throw new ArgumentNullException(nameof(earlier));
            Text = earlier.ServerId;
            OriginalHost = earlier.SourceHost;
        }

        /// <summary>A deserialized result (Import-Clixml) or any object with a ServerId/Id property.</summary>
        public ServerTarget(PSObject value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            switch (value.BaseObject)
            {
                case Server s: Server = s; Text = s.Id; return;
                case MigrationResult r: Text = r.ServerId; OriginalHost = r.SourceHost; return;
                case string str: Text = str.Trim(); return;
            }
            Text = (value.Properties["ServerId"]?.Value ?? value.Properties["Id"]?.Value)?.ToString()!; // null: the next line throws
            if (string.IsNullOrWhiteSpace(Text))
                throw new ArgumentException("The object has no ServerId or Id property to name a server by.", nameof(value));
            OriginalHost = value.Properties["SourceHost"]?.Value?.ToString();
        }

        /// <summary>The id or name as given.</summary>
        public string Text { get; }
        /// <summary>The server object, when one was piped (fresh from Get-NodeServer: no need to look it up).</summary>
        public Server? Server { get; }
        /// <summary>The host an earlier move took the server from: where a return trip goes.</summary>
        public string? OriginalHost { get; }

        public bool IsId => Guid.TryParse(Text, out _);

        public override string ToString() => Server?.Name ?? Text;
    }
}
