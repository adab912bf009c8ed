using System;
using System.IO;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>Where the build put the module folder, found from the test assembly upwards.</summary>
    public static class ModulePaths
    {
        public static string RepositoryRoot { get; } = FindRoot();

        public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "OpenStackOps");
        public static string Manifest => Path.Combine(ModuleFolder, "OpenStackOps.psd1");
        public static string FormatFile => Path.Combine(ModuleFolder, "OpenStackOps.Format.ps1xml");

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "OpenStackOps.sln"))) return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (OpenStackOps.sln) above " + AppContext.BaseDirectory);
        }
    }
}
