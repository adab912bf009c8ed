using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OpenStackOps.Shell
{
    /// <summary>
    /// osops-shell -File script.ps1 [args]   |   osops-shell -Command "Get-ComputeNode"
    /// Imports the module from OSOPS_MODULE_PATH (default: the repository's out/OpenStackOps) first.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length < 2 || (args[0] != "-File" && args[0] != "-Command"))
            {
                Console.Error.WriteLine("usage: osops-shell -File <script.ps1> [arguments] | -Command <text>");
                return 2;
            }
            string module = Environment.GetEnvironmentVariable("OSOPS_MODULE_PATH") ?? FindModule();
            var host = new ConsoleHost();
            var iss = InitialSessionState.CreateDefault2();
            using var runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript($"$ErrorActionPreference = 'Stop'; Import-Module '{module}'").Invoke();

            ps.Commands.Clear();

            if (args[0] == "-File")
            {
                ps.AddCommand(Path.GetFullPath(args[1]));
                foreach (string a in args.Skip(2)) ps.AddArgument(a);
            }
            else
            {
                ps.AddScript(string.Join(" ", args.Skip(1)));
            }
            // Errors and warnings go through Out-Default too, formatted as pwsh would show them.
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
            ps.AddCommand("Out-Default");
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                Console.Error.WriteLine($"{e.ErrorRecord.FullyQualifiedErrorId}: {e.Message}");
                return 1;
            }
            return ps.HadErrors || ps.Streams.Error.Count > 0 ? 1 : host.ExitCode;
        }

        private static string FindModule()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string manifest = Path.Combine(dir.FullName, "out", "OpenStackOps", "OpenStackOps.psd1");
                if (File.Exists(manifest)) return manifest;
            }
            throw new InvalidOperationException("Build the module first (dotnet build OpenStackOps.sln), or set OSOPS_MODULE_PATH.");
        }
    }
}
