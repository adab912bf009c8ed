using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// Devcloud tests that run after the others, with nothing beside them: the database recovery's lock tests time a real
    /// lock cycle, which the other classes' load (their blocking waits hold the thread pool; their servers keep MariaDB
    /// busy) delayed past any bound in the full run while the same test passed alone.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class AloneCollection
    {
        public const string Name = "Devcloud tests that run alone";
    }
}
