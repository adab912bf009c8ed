using System.Runtime.CompilerServices;

namespace OpenStackOps.Common
{
    /// <summary>
    /// Binds the engine's third-party references (YamlDotNet, SSH.NET, MySqlConnector) at once, when the module is
    /// imported, rather than at their first use. The engine lives in the default load context; a bind there is made
    /// once and kept. Made at import, while no other copy is loaded, it fails in the default context and the module's
    /// own load context answers with the copies in deps/ (Infrastructure/DependencyLoadContext), so a module imported
    /// later with another version (newer or older) does not change what the engine uses. A newer copy loaded
    /// BEFORE the import is bound to by .NET itself (a successful bind asks no one): the README's documented limit.
    /// </summary>
    internal static class DependencyBinding
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static string[] Bind() => new[]
        {
            typeof(YamlDotNet.RepresentationModel.YamlStream).Assembly.FullName,
            typeof(Renci.SshNet.SshClient).Assembly.FullName,
            typeof(MySqlConnector.MySqlConnection).Assembly.FullName,
        };
    }
}
