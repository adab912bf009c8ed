namespace OpenStackOps.Node.Services
{
    /// <summary>How a node starts its services.</summary>
    public enum InitSystem
    {
        /// <summary>Find out on the node: systemd when systemctl knows the unit, else SysV/upstart `service`.</summary>
        Auto,
        Systemd,
        /// <summary>`service NAME start|stop` (SysV init scripts or upstart jobs).</summary>
        SysV,
    }
}
