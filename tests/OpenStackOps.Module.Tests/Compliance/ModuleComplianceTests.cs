using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Compliance
{
    /// <summary>Module-wide rules every cmdlet must keep, checked on the built module as pwsh loads it.</summary>
    public class ModuleComplianceTests : IDisposable
    {
        private static readonly string[] ReadOnlyVerbs = { "Get", "Test", "Wait", "Find" };
        // Connecting and disconnecting a session changes only this PowerShell session (a token, an SSH connection);
        // Connect-/Disconnect-NetworkPort change the cloud and must honour -WhatIf like every other mutation.
        private static readonly string[] SessionOnlyCmdlets = { "Connect-OpenStack", "Disconnect-OpenStack", "Connect-ComputeNode", "Disconnect-ComputeNode" };
        private readonly PowerShellHost _host = new PowerShellHost();

        private CmdletInfo[] ExportedCmdlets() => _host.Run("(Get-Module OpenStackOps).ExportedCmdlets.Values")
            .Output.Select(o => (CmdletInfo)o.BaseObject).ToArray();

        [Fact]
        public void TheManifestIsValid()
        {
            var r = _host.Run($"Test-ModuleManifest -Path '{ModulePaths.Manifest}'");
            r.ThrowOnErrors();
            var info = (PSModuleInfo)Assert.Single(r.Output).BaseObject;
            Assert.Equal("OpenStackOps", info.Name);
            Assert.Contains(info.CompatiblePSEditions, e => e == "Desktop");
            Assert.Contains(info.CompatiblePSEditions, e => e == "Core");
        }

        [Fact]
        public void ExportedCmdletsAreExactlyTheAssemblysCmdlets()
        {
            var exported = ExportedCmdlets();
            var assembly = exported.First().ImplementingType.Assembly;
            var declared = assembly.GetTypes()
                .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null)
                .Select(t => { var a = t.GetCustomAttribute<CmdletAttribute>(); return a.VerbName + "-" + a.NounName; })
                .OrderBy(n => n).ToArray();
            Assert.Equal(declared, exported.Select(c => c.Name).OrderBy(n => n).ToArray());
            Assert.True(declared.Length >= 7);
        }

        [Fact]
        public void EveryMutatingCmdletSupportsShouldProcess()
        {
            var checkedNames = new List<string>();
            foreach (var cmdlet in ExportedCmdlets().Where(c => !ReadOnlyVerbs.Contains(c.Verb) && !SessionOnlyCmdlets.Contains(c.Name)))
            {
                var attribute = cmdlet.ImplementingType.GetCustomAttribute<CmdletAttribute>();
                Assert.True(attribute.SupportsShouldProcess, cmdlet.Name + " changes things but does not support -WhatIf/-Confirm");
                Assert.True(cmdlet.Parameters.ContainsKey("WhatIf"), cmdlet.Name);
                checkedNames.Add(cmdlet.Name);
            }
            Assert.Contains("Connect-NetworkPort", checkedNames);
            Assert.Contains("Disconnect-NetworkPort", checkedNames);
        }

        [Fact]
        public void OnlyCmdletsThatTalkToACloudTakeASession()
        {
            // SSH only: a -Session would be accepted and ignored. Connect-OpenStack makes sessions; Get-OpenStackSession reads the default.
            string[] withoutSession = { "Connect-ComputeNode", "Disconnect-ComputeNode", "Get-ComputeNodeConnection", "Copy-InstanceDirectory", "Copy-InstanceDiskItem", "Find-RequestTrace", "Get-ServiceLog", "Repair-SwiftDisk",
                "Connect-OpenStack", "Get-OpenStackSession", "Get-SwiftRing", "Remove-SwiftStorageNode", "Restore-SwiftStorageNode" };
            foreach (var cmdlet in ExportedCmdlets())
                Assert.True(cmdlet.Parameters.ContainsKey("Session") != withoutSession.Contains(cmdlet.Name),
                    cmdlet.Name + (withoutSession.Contains(cmdlet.Name) ? " does not use a cloud session but takes -Session" : " talks to a cloud but takes no -Session"));
        }

        [Fact]
        public void EveryCmdletHasHelpWithASynopsisAndAnExample()
        {
            foreach (var cmdlet in ExportedCmdlets())
            {
                var r = _host.Run($"$h = Get-Help {cmdlet.Name}; $h.Synopsis; @($h.examples.example).Count; @($h.parameters.parameter | Where-Object {{ $_ -and $_.description }}).Count; @($h.parameters.parameter | Where-Object {{ $_ }}).Count");
                r.ThrowOnErrors();
                string synopsis = r.Output[0]?.ToString() ?? "";
                Assert.False(string.IsNullOrWhiteSpace(synopsis), cmdlet.Name + " has no synopsis");
                Assert.DoesNotContain("[<CommonParameters>]", synopsis); // the auto-generated stub, not real help
                Assert.True((int)r.Output[1].BaseObject >= 1, cmdlet.Name + " has no example");
                Assert.True((int)r.Output[3].BaseObject == (int)r.Output[2].BaseObject, cmdlet.Name + " has parameters without a description");
            }
        }

        [Fact]
        public void EveryOutputTypeHasAView()
        {
            var views = XDocument.Load(ModulePaths.FormatFile).Descendants("TypeName").Select(e => e.Value.Trim()).ToHashSet();
            foreach (var cmdlet in ExportedCmdlets())
            foreach (var output in cmdlet.OutputType)
            {
                if (output.Type == typeof(void) || output.Type == null) continue;
                if (output.Type == typeof(bool)) continue;   // a -Quiet answer, printed as True/False
                Assert.True(views.Contains(output.Type.FullName), $"{cmdlet.Name} writes {output.Type.FullName}, which has no view in OpenStackOps.Format.ps1xml");
            }
        }

        [Fact]
        public void ThirdPartyAssembliesLoadIntoTheModulesOwnContext()
        {
            // Reading a clouds.yaml loads YamlDotNet; the failed connect is beside the point.
            string yaml = System.IO.Path.Combine(System.IO.Directory.CreateTempSubdirectory("osops-alc").FullName, "clouds.yaml");
            System.IO.File.WriteAllText(yaml, "clouds:\n  x:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: a\n      password: b\n      project_name: c\n");
            var r = _host.Run($"Connect-OpenStack -Cloud x -CloudsYamlPath '{yaml}' -ErrorAction SilentlyContinue; " +
                "[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'OpenStackOps.Core','YamlDotNet','System.Text.Json' } | " +
                "ForEach-Object { '{0}|{1}' -f $_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name }");
            var lines = r.Output.Select(o => o.ToString()).ToArray();
            Assert.Contains("OpenStackOps.Core|DefaultAssemblyLoadContext", lines);
            Assert.Contains("YamlDotNet|DependencyLoadContext", lines);
            // The runtime's own System.Text.Json serves the engine; no second copy is loaded.
            Assert.DoesNotContain("System.Text.Json|DependencyLoadContext", lines);
        }

        public void Dispose() => _host.Dispose();
    }
}
