<#
.SYNOPSIS
    Builds the OpenStackOps module folder (out/OpenStackOps) for people who have pwsh.
.DESCRIPTION
    A thin wrapper: `dotnet build` does the real work (see src/OpenStackOps/ModuleLayout.targets), so CI and
    machines without pwsh build exactly the same thing.
.EXAMPLE
    ./build.ps1; Import-Module ./out/OpenStackOps/OpenStackOps.psd1
.EXAMPLE
    ./build.ps1 -Test    # also runs the tests that need no devcloud (unit + PowerShell-level)
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
            dotnet test $project -c $Configuration --no-build --filter 'Tier!=Devcloud'
            if ($LASTEXITCODE) { throw "tests failed in $project" }
        }
    }
    Write-Host "Module: $(Join-Path $PSScriptRoot 'out/OpenStackOps/OpenStackOps.psd1')"
}
finally {
    Pop-Location
}
