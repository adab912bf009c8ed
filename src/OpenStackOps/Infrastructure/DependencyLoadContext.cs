using System.Reflection;
using System.Runtime.Loader;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// The module's private load context (pwsh 7+), for the third-party assemblies in deps/ (YamlDotNet, SSH.NET,
    /// MySqlConnector and theirs) only. The engine, OpenStackOps.Core, goes into the default context: PowerShell
    /// resolves type names (<c>[OpenStackOps.Compute.Nodes.ComputeNode]</c>, <c>-is</c>, typed parameters) only
    /// against that context, and the engine exposes no third-party type. When the engine asks for a third-party
    /// assembly the default context cannot give it (not there, or another module loaded an older version), it
    /// comes from here. Assemblies the .NET runtime itself ships (System.Text.Json, System.Memory...) are never
    /// loaded here: their netstandard2.0 copies in deps/ are for Windows PowerShell only.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private const string EngineAssembly = "OpenStackOps.Core";
        private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        private static DependencyLoadContext? _instance;
        private readonly string _directory;

        private DependencyLoadContext(string directory) => _directory = directory;

        internal static void Register(string directory)
        {
            if (_instance == null) _instance = new DependencyLoadContext(directory);
            // Exactly once, also when the module is imported again after Remove-Module (OnRemove unregistered it).
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        internal static void Unregister()
        {
            // A load context holding loaded assemblies cannot be dropped; only stop answering for it.
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }

        /// <summary>
        /// Raised after the default context failed a bind. Answers only two askers: the cmdlet assembly's request
        /// for the engine, and the engine's requests for its own dependencies, so another module's failed bind is
        /// never handed our copy.
        /// </summary>
        private static Assembly? Resolve(object sender, ResolveEventArgs args)
        {
            var instance = _instance;
            if (instance == null) return null;
            var name = new AssemblyName(args.Name);
            if (name.Name == EngineAssembly)
            {
                string engine = Path.Combine(instance._directory, EngineAssembly + ".dll");
                return File.Exists(engine) ? Default.LoadFromAssemblyPath(engine) : null;
            }
            if (args.RequestingAssembly?.GetName().Name != EngineAssembly || instance.PrivatePath(name) == null) return null;
            return instance.LoadFromAssemblyName(name); // this context's cache first, then Load below
        }

        protected override Assembly? Load(AssemblyName name)
        {
            string? path = PrivatePath(name);
            return path == null ? null : LoadFromAssemblyPath(path);
        }

        /// <summary>deps/'s copy of a third-party assembly; null for the engine, runtime assemblies and the rest.</summary>
        private string? PrivatePath(AssemblyName name)
        {
            if (name.Name == EngineAssembly) return null; // one engine, in the default context
            if (File.Exists(Path.Combine(RuntimeDirectory, name.Name + ".dll"))) return null;
            string path = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(path) ? path : null;
        }
    }
}
