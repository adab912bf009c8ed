using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Runs on Import-Module. The engine (OpenStackOps.Core) and every third-party assembly live in deps/.
    /// On pwsh 7 the third-party ones load into the module's own AssemblyLoadContext, so a different MySqlConnector,
    /// SSH.NET or YamlDotNet loaded by another module (or PowerShell itself) never collides with ours; the engine
    /// loads into the default context, so its types can be named in the user's session, and it exposes none of theirs.
    /// Windows PowerShell 5.1 has no load contexts: there deps/ is searched when the CLR asks.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static readonly string DepsDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            if (IsNetFramework)
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDeps;
            else
            {
                RegisterLoadContext();
                BindEngineDependencies();
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsNetFramework)
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDeps;
            else
                UnregisterLoadContext();
        }

        // Separate methods so that the AssemblyLoadContext type is never touched on .NET Framework.
        private static void RegisterLoadContext() => DependencyLoadContext.Register(DepsDirectory);
        private static void UnregisterLoadContext() => DependencyLoadContext.Unregister();

        // After RegisterLoadContext, in a method of its own: touching the engine loads it, through the handler just registered.
        // A failure here is not the import's: the cmdlet that needs the assembly reports it.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void BindEngineDependencies()
        {
            try { OpenStackOps.Common.DependencyBinding.Bind(); }
            catch (Exception) { }
        }

        private static Assembly? ResolveFromDeps(object sender, ResolveEventArgs args)
        {
            string path = Path.Combine(DepsDirectory, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
