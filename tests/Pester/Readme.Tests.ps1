# The README's examples that are files: shown as they are, so the tested file and the documented one never drift.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $readme = (Get-Content -Raw (Join-Path $RepoRoot 'README.md')) -replace "`r`n", "`n"
}

Describe 'README' {
    It 'shows tests/Pester/Example.RunbookTest.Tests.ps1 verbatim in its Pester section' {
        $example = (Get-Content -Raw (Join-Path $PSScriptRoot 'Example.RunbookTest.Tests.ps1')) -replace "`r`n", "`n"
        $section = $readme.Substring($readme.IndexOf('### Testing your runbooks with Pester'))
        $section | Should -Not -BeNullOrEmpty
        $section.Contains("``````powershell`n$example``````") | Should -BeTrue
    }
}
