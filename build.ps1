<#
.SYNOPSIS
    Builds the OpenStackOps module folder (out/OpenStackOps) from pwsh.
.DESCRIPTION
    A thin wrapper: `dotnet build` does the real work (see src/OpenStackOps/ModuleLayout.targets), so tools/test.sh
    and CI build exactly the same thing. The repository's pwsh: `dotnet tool restore; dotnet pwsh -File build.ps1`.
.EXAMPLE
    ./build.ps1; Import-Module ./out/OpenStackOps/OpenStackOps.psd1
.EXAMPLE
    ./build.ps1 -Test    # also runs the tests that need no devcloud (unit, PowerShell-level xunit, Pester)
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test
)
$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    dotnet build OpenStackOps.sln -c $Configuration -nologo
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
    if ($Test) {
        foreach ($project in 'tests/OpenStackOps.Tests', 'tests/OpenStackOps.Module.Tests') {
            dotnet test $project -c $Configuration --no-build --filter 'Tier!=Devcloud&Tier!=Chaos'
            if ($LASTEXITCODE) { throw "tests failed in $project" }
        }
        # In the repository's pinned pwsh, a child process: Pester and the test objects stay out of this session.
        dotnet tool restore
        dotnet pwsh -NoProfile -NonInteractive -File tests/Pester/Invoke-PesterTier.ps1 -Tier Unit
        if ($LASTEXITCODE) { throw 'Pester tests failed' }
    }
    Write-Host "Module: $(Join-Path $PSScriptRoot 'out/OpenStackOps/OpenStackOps.psd1')"
}
finally {
    Pop-Location
}
