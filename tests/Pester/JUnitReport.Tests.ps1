# The tier's JUnit XML (JUnitReport.ps1) stays whole when a failure message carries characters XML cannot hold,
# so tools/test.sh can always count and name a failed test. Pester runs here in a runspace of its own on a small file.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Packages.ps1')
    . (Join-Path $PSScriptRoot 'JUnitReport.ps1')

    function Invoke-InnerPester([string] $TestFileText) {
        $file = Join-Path $TestDrive "Inner$([guid]::NewGuid().ToString('N')).Tests.ps1"
        Set-Content -Path $file -Value $TestFileText
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($PesterManifest, $File)
                    Import-Module $PesterManifest
                    $c = New-PesterConfiguration
                    $c.Run.Path = $File
                    $c.Run.PassThru = $true
                    $c.Output.Verbosity = 'None'
                    $c.Filter.ExcludeTag = 'Devcloud'
                    Invoke-Pester -Configuration $c
                }).AddArgument((Join-Path (Get-PinnedPackagePath Pester) 'tools/Pester.psd1')).AddArgument($file)
            @($ps.Invoke())[-1]
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Export-TierJUnit' {
    It 'writes a readable file when a failure message holds a colour code and a control character' {
        $result = Invoke-InnerPester @'
Describe 'inner' {
    It 'fails in colour' { throw "nova said `e[31mno`e[0m and`a stopped" }
    It 'passes' { 1 | Should -Be 1 }
    It 'is skipped' -Skip { }
    It 'needs a cloud' -Tag Devcloud { throw 'must not run' }
}
'@
        $path = Join-Path $TestDrive 'tier.xml'
        Export-TierJUnit -Result $result -Path $path

        $cases = ([xml](Get-Content -Raw $path)).testsuites.testsuite.testcase
        $cases.name | Should -Be @('inner.fails in colour', 'inner.passes', 'inner.is skipped')
        $cases[0].failure.message | Should -Be 'nova said no and\x07 stopped'
        $cases[0].failure.'#text' | Should -Match 'nova said no'
        $cases[1].SelectSingleNode('failure') | Should -BeNullOrEmpty
        $cases[2].SelectSingleNode('skipped') | Should -Not -BeNullOrEmpty
    }

    It 'reports a file that failed before any test ran as a failed test case' {
        $result = Invoke-InnerPester @'
Describe 'inner' {
    BeforeAll { throw 'the cloud is not there' }
    It 'never runs' { }
}
'@
        $path = Join-Path $TestDrive 'broken.xml'
        Export-TierJUnit -Result $result -Path $path

        $failures = ([xml](Get-Content -Raw $path)).testsuites.testsuite.testcase | Where-Object { $_.SelectSingleNode('failure') }
        $failures | Should -Not -BeNullOrEmpty
        foreach ($f in $failures) { $f.failure.message | Should -Match 'the cloud is not there' }
    }
}
