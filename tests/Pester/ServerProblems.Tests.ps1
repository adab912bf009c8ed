# Find-ServerProblem against the in-process fake cloud: what the daily check returns, what it costs in calls (pages and
# hosts, never servers), and how a scheduled script uses it. The real cases (a real NoValidHost, a stopped compute,
# placement edited for real) are in ServerProblems.Devcloud.Tests.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function New-CheckedCloud([int] $Healthy) {
        $cloud = New-FakeCloud
        for ($i = 0; $i -lt $Healthy; $i++) { $cloud.AddServer("app-$i", 'c02.example.com', 'ACTIVE', 'p3') }
        $cloud.AllocateServersWhereTheyRun()
        $cloud
    }
}

Describe 'Find-ServerProblem' {
    AfterEach { Disconnect-OpenStack -ErrorAction SilentlyContinue; if ($cloud) { $cloud.Dispose() } }

    It 'finds nothing on a healthy cloud, and says so with no output' {
        $cloud = New-CheckedCloud 3
        Connect-FakeCloud $cloud
        @(Find-ServerProblem) | Should -HaveCount 0
    }

    It 'names an ERROR server with nova''s fault, a server on a down host, and an allocation no server owns' {
        $cloud = New-CheckedCloud 2
        $web1 = $cloud.Servers | Where-Object { [string]$_['name'] -eq 'web-1' }
        $web1['status'] = 'ERROR'
        $web1['fault'] = [System.Text.Json.Nodes.JsonNode]::Parse('{"code": 500, "message": "No valid host was found. ", "created": "2026-12-06T10:00:00Z"}')
        $cloud.Services['c02.example.com']['state'] = 'down'
        $cloud.AddAllocation('0f0f0f0f-0000-4000-8000-000000000001', 'c01.example.com', 2)
        Connect-FakeCloud $cloud

        $problems = @(Find-ServerProblem)

        $problems | ForEach-Object { "$($_.Kind) $(if ($_.ServerName) { $_.ServerName } else { $_.ServerId })" } | Should -Be @(
            'Error web-1', 'OnDownHost app-0', 'OnDownHost app-1', 'OnDownHost db-1', 'OrphanAllocation 0f0f0f0f-0000-4000-8000-000000000001')
        $problems[0].Reason | Should -Be "nova's fault: No valid host was found.  (code 500)"
        $problems[0].NextStep | Should -Match 'capacity'
        $problems[0].Cloud | Should -Not -BeNullOrEmpty
        $problems[1].NextStep | Should -Match "Invoke-NodeEvacuation -ComputeNode 'c02.example.com'"
        $problems[4].Host | Should -Be 'c01.example.com'
        @(Find-ServerProblem -Kind OrphanAllocation) | Should -HaveCount 1
        @(Find-ServerProblem -SkipPlacement) | Where-Object Kind -like '*Allocation*' | Should -BeNullOrEmpty
    }

    It 'costs the same calls for 5 servers and for 60: pages and hosts, not servers' {
        $calls = foreach ($n in 2, 57) {
            $cloud = New-CheckedCloud $n
            $session = Connect-FakeCloud $cloud -PassThru
            $before = $session.ApiCalls
            $null = Find-ServerProblem
            $session.ApiCalls - $before
            Disconnect-OpenStack; $cloud.Dispose(); $cloud = $null
        }
        $calls[1] | Should -Be $calls[0]
        $calls[0] | Should -BeGreaterOrEqual 18 -Because 'every source is read'
        $calls[0] | Should -BeLessOrEqual 20 -Because 'servers, services, a call per open or failed migration status, hypervisors, providers and one per node'
    }

    It 'a scheduled script exits non-zero when something is wrong' {
        $cloud = New-CheckedCloud 1
        $cloud.Services['c01.example.com']['forced_down'] = $true
        $environment = Get-FakeCloudEnvironment $cloud
        $run = Invoke-ChildPwsh 'Connect-OpenStack; if (Find-ServerProblem -Kind OnForcedDownHost) { exit 3 }; exit 0' $environment
        $run.ExitCode | Should -Be 3 -Because $run.Stderr
        $cloud.Services['c01.example.com']['forced_down'] = $false
        (Invoke-ChildPwsh 'Connect-OpenStack; if (Find-ServerProblem -Kind OnForcedDownHost) { exit 3 }; exit 0' $environment).ExitCode | Should -Be 0
    }
}
