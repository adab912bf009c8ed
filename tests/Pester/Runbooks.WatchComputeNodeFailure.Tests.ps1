# examples/Watch-ComputeNodeFailure.ps1 tested as an operator tests a runbook: the module's cmdlets replaced with
# Pester's Mock, typed nodes and servers as test data, no cloud. One test per decision of a pass.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $runbook = Join-Path $RepoRoot 'examples/Watch-ComputeNodeFailure.ps1'

    function New-Node([string] $name, [string] $state = 'up', [switch] $forcedDown) {
        [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = $name; Status = 'enabled'; State = $state; ForcedDown = [bool]$forcedDown }
    }
    # One pass with quick checks; -Confirm:$false as a scheduled job passes it, unless a test says otherwise.
    function Invoke-Pass([hashtable] $With) {
        $p = @{ ConfirmChecks = 2; IntervalSeconds = 0; Probe = { $false }; Fence = { param($n) $fenceCalls.Add($n); $true }; Confirm = $false }
        foreach ($k in $With.Keys) { if ($null -eq $With[$k]) { $p.Remove($k) } else { $p[$k] = $With[$k] } }
        & $runbook @p
    }
}

Describe 'Watch-ComputeNodeFailure decisions' {
    BeforeEach {
        $fenceCalls = [System.Collections.Generic.List[string]]::new()
        Mock Get-ComputeNode { New-Node 'c01.example.com'; New-Node 'c03.example.com' -state down } -ParameterFilter { -not $Name }
        Mock Get-ComputeNode { New-Node 'c03.example.com' -state down } -ParameterFilter { $Name -eq 'c03.example.com' }
        Mock Get-NodeServer { [OpenStackOps.Compute.Servers.Server]@{ Id = 'a1'; Name = 'app-1'; Host = 'c03.example.com'; Status = 'ACTIVE' } }
        Mock Invoke-NodeEvacuation {
            [pscustomobject]@{ PSTypeName = 'OpenStackOps.Maintenance.MigrationResult'; ServerId = 'a1'; Status = $(if ($PesterBoundParameters.WhatIf) { 'Planned' } else { 'Completed' }) }
        }
        Mock Start-Sleep { }
    }

    It 'healthy nodes: no decision, nothing fenced or evacuated' {
        Mock Get-ComputeNode { New-Node 'c01.example.com'; New-Node 'c03.example.com' } -ParameterFilter { -not $Name }
        Invoke-Pass @{} | Should -BeNullOrEmpty
        $fenceCalls | Should -BeNullOrEmpty
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a node that comes back before the failure is confirmed is left alone' {
        Mock Get-ComputeNode { New-Node 'c03.example.com' -state up } -ParameterFilter { $Name -eq 'c03.example.com' }
        $d = Invoke-Pass @{ ConfirmChecks = 3; IntervalSeconds = 20 }
        $d.Node | Should -Be 'c03.example.com'
        $d.State | Should -Be 'up'
        $d.Checks | Should -Be 1
        $d.Action | Should -Be 'None'
        $d.Reason | Should -Match 'came back'
        Should -Invoke Start-Sleep -Times 1 -Exactly -ParameterFilter { $Seconds -eq 20 }
        $fenceCalls | Should -BeNullOrEmpty
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a node whose probe answers is left to a human, unfenced' {
        $d = Invoke-Pass @{ Probe = { param($n) $n -eq 'c03.example.com' } }
        $d.ProbeAnswered | Should -BeTrue
        $d.Checks | Should -Be 2
        $d.Action | Should -Be 'None'
        $d.Reason | Should -Match 'still answers'
        $fenceCalls | Should -BeNullOrEmpty
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a fence that returns $false means no evacuation' {
        $d = Invoke-Pass @{ Fence = { $false } }
        $d.Fenced | Should -BeFalse
        $d.Action | Should -Be 'None'
        $d.Reason | Should -Be 'fencing did not succeed: not evacuating'
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a fence that throws means no evacuation, and a warning says why' {
        $all = Invoke-Pass @{ Fence = { throw 'IPMI timeout' } } 3>&1
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $d = $all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }
        $d.Action | Should -Be 'None'
        $d.Reason | Should -Match 'fencing did not succeed'
        $warnings | Should -Match 'c03.example.com: the fence hook failed: IPMI timeout'
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a forced-down node is left alone with its reason and never fenced again' {
        Mock Get-ComputeNode { New-Node 'c03.example.com' -state down -forcedDown } -ParameterFilter { -not $Name }
        $d = Invoke-Pass @{ Fence = { throw 'must not fence again' } }
        $d.State | Should -Be 'forced-down'
        $d.Action | Should -Be 'None'
        $d.Reason | Should -Match 'Enable-ComputeNode c03.example.com -ClearForcedDown'
        $d.Reason | Should -Match '1 server\(s\) still on it'
        Should -Invoke Get-NodeServer -Times 1 -Exactly -ParameterFilter { $HostName -eq 'c03.example.com' }
        Should -Invoke Invoke-NodeEvacuation -Times 0 -Exactly
    }

    It 'a confirmed, silent, fenced node is evacuated with -ForceDown -Fenced, once' {
        $out = @(Invoke-Pass @{ Destination = 'c02'; ThrottleLimit = 5 })
        $out[0].Action | Should -Be 'Evacuate'
        $out[0].Fenced | Should -BeTrue
        $out[1].Status | Should -Be 'Completed'
        $fenceCalls | Should -Be @('c03.example.com')
        Should -Invoke Invoke-NodeEvacuation -Times 1 -Exactly -ParameterFilter {
            $HostName -eq 'c03.example.com' -and $ForceDown -and $Fenced -and $Destination -eq 'c02' -and $ThrottleLimit -eq 5 -and -not $WhatIf
        }
    }

    It '-WhatIf fences nothing and passes -WhatIf to the evacuation, which plans' {
        $out = @(Invoke-Pass @{ WhatIf = $true; Confirm = $null })
        $out[0].Action | Should -Be 'PlanEvacuation'
        $out[0].Fenced | Should -BeFalse
        $out[1].Status | Should -Be 'Planned'
        $fenceCalls | Should -BeNullOrEmpty
        Should -Invoke Invoke-NodeEvacuation -Times 1 -Exactly -ParameterFilter { $WhatIf -and $ForceDown -and $Fenced }
    }

    It 'in pwsh -NonInteractive, a pass that would ask before fencing fails before any check' -Skip:(-not ([Environment]::GetCommandLineArgs() -match '^-(noni|noninteractive)$')) {
        { Invoke-Pass @{ Confirm = $null } } | Should -Throw -ErrorId 'ConfirmationImpossibleNonInteractive*'
        Should -Invoke Get-ComputeNode -Times 0 -Exactly
        $fenceCalls | Should -BeNullOrEmpty
    }
}
