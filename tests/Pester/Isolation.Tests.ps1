# The third-party assemblies stay private: with another YamlDotNet already loaded in the session (as another
# module would), the module still imports, reads a clouds.yaml with its own and connects. Runs in a fresh pwsh
# process (Start-Job), since the other copy must be there before the module.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Packages.ps1')
    $cloud = New-FakeCloud
    $dir = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "osops-alc-$([guid]::NewGuid())")
    $yaml = Join-Path $dir 'clouds.yaml'
    Set-Content -Path $yaml -Value @"
clouds:
  fake:
    auth:
      auth_url: $($cloud.AuthUrl)
      username: admin
      password: $([OpenStackOps.Testing.FakeCloud]::Password)
      project_name: admin
"@
    $otherYaml = Join-Path (Get-PinnedPackagePath YamlDotNet) 'lib/net7.0/YamlDotNet.dll'
    $lines = Start-Job -ArgumentList $otherYaml, $ModuleManifest, $yaml -ScriptBlock {
        param($OtherYaml, $Manifest, $Yaml)
        $ErrorActionPreference = 'Stop'
        Add-Type -Path $OtherYaml
        Import-Module $Manifest
        $session = Connect-OpenStack -Cloud fake -CloudsYamlPath $Yaml -PassThru
        "connected|$($session.ProjectName)|$(@(Get-ComputeNode).Count)"
        [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'YamlDotNet', 'OpenStackOps.Core' } |
            ForEach-Object { '{0}|{1}|{2}' -f $_.GetName().Name, $_.GetName().Version.Major, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name }
    } | Receive-Job -Wait -AutoRemoveJob
}

AfterAll {
    $cloud.Dispose()
    Remove-Item -Recurse -Force $dir
}

Describe 'Dependency isolation in real pwsh' {
    It 'connects through clouds.yaml with YamlDotNet 13 already loaded' {
        $lines | Should -Contain 'connected|admin|4'
    }

    It 'leaves the other YamlDotNet in the default context and reads with its own, privately' {
        $lines | Should -Contain 'YamlDotNet|13|DefaultAssemblyLoadContext'
        $lines | Should -Contain 'YamlDotNet|16|DependencyLoadContext'
    }

    It 'loads the engine into the default context, where PowerShell resolves type names' {
        $lines | Should -Contain 'OpenStackOps.Core|0|DefaultAssemblyLoadContext'
    }
}
