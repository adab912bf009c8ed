<#
.SYNOPSIS
    Runs the Pester tier in this pwsh: the tests with no cloud (-Tier Unit) or the Devcloud-tagged ones.
.EXAMPLE
    dotnet pwsh -NoProfile -NonInteractive -File tests/Pester/Invoke-PesterTier.ps1 -Tier Unit -ResultPath out/pester.xml
#>
param(
    [ValidateSet('Unit', 'Devcloud')]
    [string] $Tier = 'Unit',
    # JUnit XML for tools/test.sh, which adds its counts to the closing line.
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Packages.ps1')
. (Join-Path $PSScriptRoot 'JUnitReport.ps1')
Import-Module (Join-Path (Get-PinnedPackagePath Pester) 'tools/Pester.psd1')

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
if ($Tier -eq 'Devcloud') { $config.Filter.Tag = 'Devcloud' } else { $config.Filter.ExcludeTag = 'Devcloud' }
$config.Output.Verbosity = 'Normal'
# No colour codes in logs (tools/test.sh, CI).
$config.Output.RenderMode = if ([Console]::IsOutputRedirected) { 'Plaintext' } else { 'Auto' }
$result = Invoke-Pester -Configuration $config
if ($ResultPath) { Export-TierJUnit -Result $result -Path $ResultPath }
# A container that failed outside any test (a broken BeforeAll, a parse error) fails the run too.
exit ([int]($result.Result -ne 'Passed'))
