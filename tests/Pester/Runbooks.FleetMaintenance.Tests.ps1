# examples/Start-FleetMaintenanceJob.ps1 tested as an operator tests a runbook: Get-ComputeNode and
# Invoke-FleetMaintenance replaced with Pester's Mock, typed nodes and summaries as test data, no cloud.
# One test per decision: which nodes, which files, which exit code.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $runbook = Join-Path $RepoRoot 'examples/Start-FleetMaintenanceJob.ps1'

    function New-Node([string] $name, [string] $zone = 'az1', [string] $status = 'enabled', [string] $state = 'up', [string] $reason) {
        [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = $name; Zone = $zone; Status = $status; State = $state; DisabledReason = $reason }
    }
    function New-Summary([string] $status) {
        [OpenStackOps.Maintenance.Fleet.FleetMaintenanceSummary]@{ Status = $status; NodesTotal = 3 }
    }
    # Runs the job in a child scope and returns what it wrote and its exit code.
    function Invoke-Job([hashtable] $Parameters) {
        $out = & $runbook @Parameters 3>$null
        [pscustomobject]@{ Output = $out; ExitCode = $LASTEXITCODE }
    }
}

Describe 'Start-FleetMaintenanceJob decisions' {
    BeforeEach {
        $given = [System.Collections.Generic.List[string]]::new()
        $seen = @{ Status = 'Completed'; Bound = $null }
        Mock Get-ComputeNode {
            New-Node 'c01.example.com'
            New-Node 'c02.example.com' -status disabled -reason 'fleet maintenance CHG-7'     # this change's, from an earlier run
            New-Node 'c03.example.com' -status disabled -reason 'RMA: bad DIMM'               # someone else's
            New-Node 'c04.example.com' -state down
            New-Node 'd01.example.com' -zone az2
        }
        Mock Invoke-FleetMaintenance {
            $given.AddRange([string[]]$ComputeNode)
            $seen.Bound = $PesterBoundParameters
            New-Summary $seen.Status
        }
        $p = @{ Zone = 'az1'; Change = 'CHG-7'; StateDirectory = $TestDrive; MaxNodesOut = 2; MaintenanceScript = { param($n) } }
    }

    It 'takes the zone''s enabled nodes and those this change disabled, never another''s or a down node' {
        $r = Invoke-Job $p
        $given | Should -Be @('c01.example.com', 'c02.example.com')
        $r.ExitCode | Should -Be 0
    }

    It 'names the nodes it leaves alone, with why' {
        $warnings = & $runbook @p 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        $warnings.Message | Should -BeLike '*c03.example.com (disabled, up: RMA: bad DIMM)*c04.example.com (enabled, down)*'
    }

    It 'keeps one state file and one run record per change, and passes the reason nova will show' {
        Invoke-Job $p | Out-Null
        $seen.Bound.StatePath | Should -Be (Join-Path $TestDrive 'CHG-7.json')
        $seen.Bound.RecordPath | Should -Be (Join-Path $TestDrive 'CHG-7.jsonl')
        $seen.Bound.Reason | Should -Be 'fleet maintenance CHG-7'
        $seen.Bound.MaxNodesOut | Should -Be 2
        $seen.Bound.OnNodeFailure | Should -Be 'Continue'
        $seen.Bound.ContainsKey('StopAfterDrain') | Should -BeFalse
    }

    It 'exit code <Code> when the run ends <Status>' -TestCases @(
        @{ Status = 'Completed'; Code = 0 }, @{ Status = 'Paused'; Code = 0 },
        @{ Status = 'CompletedWithFailures'; Code = 1 }, @{ Status = 'Stopped'; Code = 2 }, @{ Status = 'Cancelled'; Code = 2 }) {
        $seen.Status = $Status
        $r = Invoke-Job $p
        $r.ExitCode | Should -Be $Code
        $r.Output.Status | Should -Be $Status
    }

    It 'runs nothing and exits 0 when the zone has no node to maintain' {
        $p.Zone = 'az9'
        (Invoke-Job $p).ExitCode | Should -Be 0
        Should -Invoke Invoke-FleetMaintenance -Times 0 -Exactly
    }

    It 'refuses a change name that cannot be a file name, before asking the cloud' {
        $p.Change = '../etc/passwd'
        { & $runbook @p } | Should -Throw
        Should -Invoke Get-ComputeNode -Times 0 -Exactly
    }
}
