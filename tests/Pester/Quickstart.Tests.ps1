# examples/quickstart.ps1, the README's first steps, run as a new user runs it: in a real child pwsh, through a
# clouds.yaml, here against the loopback fake cloud (its devcloud run is the test command's run step).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $quickstart = Join-Path $RepoRoot 'examples/quickstart.ps1'
    $cloud = New-FakeCloud
    $yaml = Join-Path $TestDrive 'clouds.yaml'
    @"
clouds:
  fake:
    auth:
      auth_url: $($cloud.AuthUrl)
      username: admin
      password: $([OpenStackOps.Testing.FakeCloud]::Password)
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
"@ | Set-Content -Path $yaml
}

AfterAll { $cloud.Dispose() }

Describe 'examples/quickstart.ps1 against the fake cloud' {
    BeforeAll {
        $run = Invoke-ChildPwsh "& '$quickstart' -Cloud fake -CloudsYamlPath '$yaml' -Node c01" @{}
        $changes = @(Get-FakeCloudRequest $cloud | Where-Object { $_ -match '^(PUT|POST|DELETE) ' -and $_ -notmatch '/identity/' })
    }

    It 'exits 0 with nothing on stderr' {
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr.Trim() | Should -BeNullOrEmpty
    }

    It 'shows every section with its table: the session, the nodes, c01''s servers, the plan and the change' {
        $sections = @($run.Stdout -split "`r?`n" | Where-Object { $_ -like '== *' })
        $sections | Should -Be @('== Compute nodes', '== Servers on c01, across all projects',
            '== What draining c01 would do (-WhatIf: nothing changes)', '== Disable, look, enable again')
        $run.Stdout | Should -Match 'fake'                            # the session's cloud
        $run.Stdout | Should -Match 'c02\.example\.com'               # every node listed
        $run.Stdout | Should -Match 'web-1' ; $run.Stdout | Should -Match 'web-2'
        $run.Stdout | Should -Not -Match 'db-1'                       # c02's server is not on c01
        $run.Stdout | Should -Match 'What if: .*c01\.example\.com'
        $run.Stdout | Should -Match 'quickstart: planned maintenance' # the disabled node's reason
        $run.Stdout | Should -Not -Match ([regex]::Escape([OpenStackOps.Testing.FakeCloud]::Password))
    }

    It 'disables c01 once and enables it again: the cloud is left as it was' {
        $changes.Count | Should -Be 2 -Because ($changes -join '; ')
        $changes | ForEach-Object { $_ | Should -Match '^PUT .*os-services' }
        $cloud.Services['c01.example.com']['status'].ToString() | Should -Be 'enabled'
    }
}
