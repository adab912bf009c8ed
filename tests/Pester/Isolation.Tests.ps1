# The third-party assemblies stay private. A second module, a throwaway script module in TestDrive that ships its
# own YamlDotNet (RequiredAssemblies, as modules on the Gallery do), is imported before ours or after ours, each
# order in a fresh pwsh (the first copy loaded decides what the default context holds): both modules read YAML with
# their own copy, and ours connects through a clouds.yaml. The engine binds its copies at import
# (Common/DependencyBinding), so a module imported later, older or newer, changes nothing for it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Packages.ps1')
    $cloud = New-FakeCloud
    $yaml = Join-Path $TestDrive 'clouds.yaml'
    Set-Content -Path $yaml -Value @"
clouds:
  fake:
    auth:
      auth_url: $($cloud.AuthUrl)
      username: admin
      password: $([OpenStackOps.Testing.FakeCloud]::Password)
      project_name: admin
"@
    # The engine's own YamlDotNet, as the module ships it.
    $ownMajor = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $RepoRoot 'out/OpenStackOps/deps/YamlDotNet.dll')).Version.Major

    # A module "OtherYaml<version>" with its YamlDotNet next to it and one function that parses with it.
    function New-OtherYamlModule([string] $Version) {
        $dir = New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive "OtherYaml$Version")
        $lib = @('net8.0', 'net7.0', 'net6.0') | ForEach-Object { Join-Path (Get-PinnedPackagePath YamlDotNet -Version $Version) "lib/$_/YamlDotNet.dll" } |
            Where-Object { Test-Path $_ } | Select-Object -First 1
        Copy-Item $lib $dir
        Set-Content (Join-Path $dir "OtherYaml$Version.psd1") "@{ ModuleVersion = '1.0.0'; RootModule = 'OtherYaml$Version.psm1'; RequiredAssemblies = @('YamlDotNet.dll'); FunctionsToExport = @('Read-OtherYaml') }"
        Set-Content (Join-Path $dir "OtherYaml$Version.psm1") @'
function Read-OtherYaml([string] $Text) {
    $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
    $stream.Load([IO.StringReader]::new($Text))
    $value = $stream.Documents[0].RootNode.Children[[YamlDotNet.RepresentationModel.YamlScalarNode]::new('name')].Value
    '{0}|{1}' -f $value, [YamlDotNet.RepresentationModel.YamlStream].Assembly.GetName().Version.Major
}
'@
        Join-Path $dir "OtherYaml$Version.psd1"
    }

    # Imports both modules in the given order in a fresh pwsh, uses both, and lists every YamlDotNet and the engine
    # with the load context each is in: "name|major|context" lines.
    function Invoke-BothModules([string] $Other, [ValidateSet('OtherFirst', 'OursFirst')] [string] $Order) {
        $imports = if ($Order -eq 'OtherFirst') { "Import-Module '$Other'; Import-Module '$ModuleManifest'" } else { "Import-Module '$ModuleManifest'; Import-Module '$Other'" }
        $script = @"
`$ErrorActionPreference = 'Stop'
$imports
'other|' + (Read-OtherYaml 'name: theirs')
`$session = Connect-OpenStack -Cloud fake -CloudsYamlPath '$yaml' -PassThru
'ours|' + `$session.ProjectName + '|' + @(Get-ComputeNode).Count
'other-again|' + (Read-OtherYaml 'name: still-theirs')
# The YamlDotNet the engine itself is bound to (what its internal DependencyBinding sees).
`$bound = [OpenStackOps.Sessions.OpenStackSession].Assembly.GetType('OpenStackOps.Common.DependencyBinding').GetMethod('Bind', [Reflection.BindingFlags]'NonPublic,Static').Invoke(`$null, `$null)
'engine-yaml|' + [Reflection.AssemblyName]::new(`$bound[0]).Version.Major
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'OpenStackOps.Core' } |
    ForEach-Object { '{0}|{1}|{2}' -f `$_.GetName().Name, `$_.GetName().Version.Major, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).GetType().Name }
"@
        $run = Invoke-ChildPwsh $script @{} -NoImport
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        @($run.Stdout -split "`r?`n" | ForEach-Object Trim)
    }
    $older = New-OtherYamlModule '13.7.1'
    $newer = New-OtherYamlModule '18.1.0'
}

AfterAll { $cloud.Dispose() }

Describe 'Dependency isolation in real pwsh: a second module with another YamlDotNet' {
    It 'the pinned versions are really older and newer than the engine''s own' {
        $ownMajor | Should -BeGreaterThan 13
        $ownMajor | Should -BeLessThan 18
    }

    It 'an older copy (13) imported BEFORE ours: both work, each with its own copy' {
        $lines = Invoke-BothModules $older OtherFirst
        $lines | Should -Contain 'other|theirs|13'
        $lines | Should -Contain 'ours|admin|4'
        $lines | Should -Contain 'other-again|still-theirs|13'
        $lines | Should -Contain 'YamlDotNet|13|DefaultAssemblyLoadContext'
        $lines | Should -Contain "YamlDotNet|$ownMajor|DependencyLoadContext"
        $lines | Should -Contain "engine-yaml|$ownMajor"
        $lines | Should -Contain 'OpenStackOps.Core|0|DefaultAssemblyLoadContext'
    }

    It 'an older copy (13) imported AFTER ours: both work, each with its own copy' {
        $lines = Invoke-BothModules $older OursFirst
        $lines | Should -Contain 'other|theirs|13'
        $lines | Should -Contain 'ours|admin|4'
        $lines | Should -Contain 'other-again|still-theirs|13'
        $lines | Should -Contain 'YamlDotNet|13|DefaultAssemblyLoadContext'
        $lines | Should -Contain "YamlDotNet|$ownMajor|DependencyLoadContext"
        $lines | Should -Contain "engine-yaml|$ownMajor"
    }

    It 'a newer copy (18) imported AFTER ours: both work, each with its own copy' {
        $lines = Invoke-BothModules $newer OursFirst
        $lines | Should -Contain 'other|theirs|18'
        $lines | Should -Contain 'ours|admin|4'
        $lines | Should -Contain 'YamlDotNet|18|DefaultAssemblyLoadContext'
        $lines | Should -Contain "YamlDotNet|$ownMajor|DependencyLoadContext"
        $lines | Should -Contain "engine-yaml|$ownMajor" -Because 'the engine bound its own copy at import, before the other module came'
    }

    # The documented limit (README, "One limit"): the engine sits in the default context so that PowerShell can
    # name its types, and .NET binds its reference to a newer copy already there without asking anyone (no event
    # fires for a bind that succeeds). Both modules still work with YamlDotNet 18; this test pins that behaviour,
    # so a change (a fix, or a newer YamlDotNet that breaks the engine) shows here.
    It 'a newer copy (18) imported BEFORE ours: both work, and the engine uses the newer copy (pinned limit)' {
        $lines = Invoke-BothModules $newer OtherFirst
        $lines | Should -Contain 'other|theirs|18'
        $lines | Should -Contain 'ours|admin|4'
        $lines | Should -Contain 'other-again|still-theirs|18'
        @($lines | Where-Object { $_ -like 'YamlDotNet|*' }) | Should -Be @('YamlDotNet|18|DefaultAssemblyLoadContext')
        $lines | Should -Contain 'engine-yaml|18'
    }
}
