using System.Management.Automation;
using OpenStackOps.Network.Ports;
using OpenStackOps.Network.Recovery;

namespace OpenStackOps.Commands.Network
{
    /// <summary>
    /// What an operator can name a port by: an id, a name, a Port from Get-NetworkPort or New-ReusablePort, or a
    /// Restore-PortAddress result. PowerShell converts any of these through the constructors.
    /// </summary>
    public sealed class PortTarget
    {
        public PortTarget(string idOrName)
        {
            if (string.IsNullOrWhiteSpace(idOrName)) throw new ArgumentException("A port id or name cannot be empty.", nameof(idOrName));
            Text = idOrName.Trim();
        }

        public PortTarget(Guid id) : this(id.ToString()) { }

        public PortTarget(Port port)
        {
            Port = port ?? throw new ArgumentNullException(nameof(port));
            Text = port.Id;
        }

        public PortTarget(AddressRecoveryResult result)
        {
            if (result?.Port == null) throw new ArgumentException("The result holds no port (a -WhatIf plan?).", nameof(result));
            Port = result.Port;
            Text = result.Port.Id;
        }

        /// <summary>A deserialized port or result (Import-Clixml), or any object with a PortId or Id property.</summary>
        public PortTarget(PSObject value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            switch (value.BaseObject)
            {
                case Port p: Port = p; Text = p.Id; return;
                case AddressRecoveryResult r when r.Port != null: Port = r.Port; Text = r.Port.Id; return;
                case string s: Text = s.Trim(); return;
            }
            Text = (value.Properties["PortId"]?.Value ?? value.Properties["Id"]?.Value)?.ToString()!; // null: the next line throws
            if (string.IsNullOrWhiteSpace(Text))
                throw new ArgumentException("The object has no PortId or Id property to name a port by.", nameof(value));
        }

        public string Text { get; }
        /// <summary>The port as piped (its attachment may have changed since: cmdlets that change it read it again).</summary>
        public Port? Port { get; }
        public bool IsId => Guid.TryParse(Text, out _);

        public override string ToString() => Port?.ToString() ?? Text;
    }
}
