namespace OpenStackOps.Compute.Migrations
{
    /// <summary>Whether a live migration copies the disks too (block migration) or relies on shared storage.</summary>
    public enum BlockMigration
    {
        /// <summary>
        /// Let nova decide from the storage layout (<c>"auto"</c>, 2.25+). Below 2.25 there is no "auto": this
        /// sends <c>false</c>, as novaclient and openstackclient do, which assumes shared storage.
        /// </summary>
        Auto,
        /// <summary>Copy the local disks to the destination (<c>block_migration: true</c>).</summary>
        On,
        /// <summary>Shared storage or volume-backed: copy memory only (<c>block_migration: false</c>).</summary>
        Off,
    }
}
