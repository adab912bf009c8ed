using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// The module's private load context (pwsh 7+). What deps/ holds is loaded here, except assemblies the
    /// .NET runtime itself ships (System.Text.Json, System.Memory...): their netstandard2.0 copies in deps/ are
    /// only for Windows PowerShell, and the runtime's own, newer ones serve every context. Anything else
    /// (System.Management.Automation) falls through to the default context.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private const string EngineAssembly = "OpenStackOps.Core";
        private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        private static DependencyLoadContext _instance;
        private readonly string _directory;

        private DependencyLoadContext(string directory) => _directory = directory;

        internal static void Register(string directory)
        {
            if (_instance != null) return;
            _instance = new DependencyLoadContext(directory);
            Default.Resolving += ResolveEngine;
        }

        internal static void Unregister()
        {
            // A load context holding loaded assemblies cannot be dropped; only stop answering for it.
            Default.Resolving -= ResolveEngine;
        }

        /// <summary>The cmdlet assembly lives in the default context and asks for the engine by name.</summary>
        private static Assembly ResolveEngine(AssemblyLoadContext context, AssemblyName name)
            => name.Name == EngineAssembly ? _instance?.LoadFromAssemblyName(name) : null;

        protected override Assembly Load(AssemblyName name)
        {
            if (File.Exists(Path.Combine(RuntimeDirectory, name.Name + ".dll"))) return null;
            string path = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
