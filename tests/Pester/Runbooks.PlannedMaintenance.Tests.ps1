# examples/Invoke-PlannedMaintenance.ps1 tested as an operator tests a runbook: the module's cmdlets replaced with
# Pester's Mock, typed nodes and servers as test data, move results as the text-status objects a saved drain holds,
# no cloud. One test per decision of the procedure.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $runbook = Join-Path $RepoRoot 'examples/Invoke-PlannedMaintenance.ps1'

    function New-Node([string] $status = 'enabled') {
        [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c01.example.com'; Status = $status; State = 'up' }
    }
    function New-Server([string] $id, [string] $name, [string] $status = 'ACTIVE') {
        [OpenStackOps.Compute.Servers.Server]@{ Id = $id; Name = $name; Host = 'c01.example.com'; Status = $status }
    }
    # Typed move results, as Move-ServerLive writes them: Status and Kind are set by name (about_OpenStackOps).
    function New-MoveResult([string] $id, [string] $status) {
        [OpenStackOps.Maintenance.MigrationResult]@{ ServerId = $id; Kind = 'Live'; Status = $status; SourceHost = 'c01.example.com'; Duration = '00:00:42' }
    }
    function Get-Step($steps, [string] $name) { $steps | Where-Object Step -eq $name }
}

Describe 'Invoke-PlannedMaintenance decisions' {
    BeforeEach {
        $state = Join-Path $TestDrive "c01-$([guid]::NewGuid().ToString('N')).xml"
        # What Get-NodeServer answers, call after call: the node's servers before the drain, then after it.
        $listings = [System.Collections.Generic.Queue[object]]::new()
        $listings.Enqueue(@((New-Server 'a1' 'web-1'), (New-Server 'a2' 'web-2')))
        $listings.Enqueue(@())
        $piped = [System.Collections.Generic.List[string]]::new()   # the servers each Move-ServerLive got
        $maintained = [System.Collections.Generic.List[string]]::new()

        Mock Get-ComputeNode { New-Node }
        Mock Get-NodeServer { $listings.Dequeue() }
        Mock Disable-ComputeNode { New-Node 'disabled' }
        Mock Enable-ComputeNode { New-Node 'enabled' }
        Mock Move-ServerLive {
            $piped.Add($Server.Text)
            New-MoveResult $Server.Text $(if ($PesterBoundParameters.WhatIf) { 'Planned' } else { 'Completed' })
        }
    }

    It 'refuses to start without -Reason, before asking the cloud anything' {
        { & $runbook -Node c01 -Phase Drain } | Should -Throw '*Give -Reason*'
        Should -Invoke Get-ComputeNode -Times 0 -Exactly
    }

    It 'refuses the whole procedure without a -Maintenance block, and -Phase Return without -StatePath' {
        { & $runbook -Node c01 -Reason 'CHG-1' } | Should -Throw '*Give -Maintenance*'
        { & $runbook -Node c01 -Phase Return } | Should -Throw '*needs the -StatePath*'
        Should -Invoke Disable-ComputeNode -Times 0 -Exactly
    }

    It 'a node that is not empty after the drain throws, stays disabled and is never maintained' {
        $listings.Clear()
        $listings.Enqueue(@((New-Server 'a1' 'web-1'), (New-Server 'a2' 'web-2' 'SHUTOFF')))
        $listings.Enqueue(@(New-Server 'a2' 'web-2' 'SHUTOFF'))
        $steps = [System.Collections.Generic.List[object]]::new()
        { & $runbook -Node c01 -Reason 'CHG-2' -Maintenance { param($n) $maintained.Add($n) } | ForEach-Object { $steps.Add($_) } } |
            Should -Throw '*still holds 1 server(s): web-2 (SHUTOFF)*stays disabled*'
        $steps.Step | Should -Be @('Disable', 'Drain', 'Verify')
        (Get-Step $steps Verify).Status | Should -Be 'NotEmpty'
        (Get-Step $steps Verify).Items.Name | Should -Be 'web-2'
        $maintained | Should -BeNullOrEmpty
        Should -Invoke Disable-ComputeNode -Times 1 -Exactly -ParameterFilter { $Reason -eq 'CHG-2' }
        Should -Invoke Enable-ComputeNode -Times 0 -Exactly
    }

    It '-WhatIf plans every step: every mutating cmdlet gets -WhatIf, no maintenance, no state file' {
        $steps = @(& $runbook -Node c01 -Reason 'CHG-3' -MoveBack -StatePath $state -Maintenance { param($n) $maintained.Add($n) } -WhatIf)
        $steps.Step | Should -Be @('Disable', 'Drain', 'Maintenance', 'Enable', 'MoveBack')
        $steps.Status | Sort-Object -Unique | Should -Be 'Planned'
        (Get-Step $steps Drain).Items.ServerId | Should -Be @('a1', 'a2')
        (Get-Step $steps MoveBack).Items.ServerId | Should -Be @('a1', 'a2')
        Should -Invoke Disable-ComputeNode -Times 1 -Exactly -ParameterFilter { $WhatIf }
        Should -Invoke Move-ServerLive -Times 2 -Exactly -ParameterFilter { $WhatIf }
        Should -Invoke Enable-ComputeNode -Times 1 -Exactly -ParameterFilter { $WhatIf }
        Should -Invoke Move-ServerLive -Times 0 -Exactly -ParameterFilter { -not $WhatIf }
        $maintained | Should -BeNullOrEmpty
        $state | Should -Not -Exist
    }

    It 'the whole procedure: drain, check empty, maintain the node, re-enable, move back what moved' {
        $steps = @(& $runbook -Node c01 -Reason 'CHG-4' -Destination c02 -MoveBack -Maintenance { param($n) $maintained.Add($n) })
        $steps.Step | Should -Be @('Disable', 'Drain', 'Verify', 'Maintenance', 'Enable', 'MoveBack')
        (Get-Step $steps Verify).Status | Should -Be 'Empty'
        $maintained | Should -Be @('c01.example.com')
        Should -Invoke Move-ServerLive -Times 2 -Exactly -ParameterFilter { $Destination -eq 'c02' -and -not $WhatIf }
        Should -Invoke Move-ServerLive -Times 2 -Exactly -ParameterFilter { -not $Destination -and -not $WhatIf }
        Should -Invoke Enable-ComputeNode -Times 1 -Exactly -ParameterFilter { -not $WhatIf }
    }

    It '-Phase Drain writes the drain''s results to the state file' {
        $steps = @(& $runbook -Node c01 -Reason 'CHG-5' -Phase Drain -StatePath $state)
        $steps.Step | Should -Be @('Disable', 'Drain', 'Verify')
        $saved = @(Import-Clixml $state)
        $saved.ServerId | Should -Be @('a1', 'a2')
        $saved.Status | Should -Be @('Completed', 'Completed')
        Should -Invoke Enable-ComputeNode -Times 0 -Exactly
    }

    It '-Phase Return reads the state file and moves back only what moved (Completed, ColdMigrated)' {
        @((New-MoveResult 'a1' 'Completed'), (New-MoveResult 'a2' 'Failed'), (New-MoveResult 'a3' 'ColdMigrated'), (New-MoveResult 'a4' 'Skipped')) |
            Export-Clixml $state
        $steps = @(& $runbook -Node c01 -Phase Return -StatePath $state)
        $steps.Step | Should -Be @('Enable', 'MoveBack')
        $piped | Should -Be @('a1', 'a3')
        (Get-Step $steps MoveBack).Items.Status | Should -Be @('Completed', 'Completed')
        Should -Invoke Enable-ComputeNode -Times 1 -Exactly -ParameterFilter { -not $WhatIf }
        Should -Invoke Disable-ComputeNode -Times 0 -Exactly
    }

    It '-Phase Return -WhatIf plans the moves back and re-enables nothing' {
        @((New-MoveResult 'a1' 'Completed'), (New-MoveResult 'a2' 'Completed')) | Export-Clixml $state
        $steps = @(& $runbook -Node c01 -Phase Return -StatePath $state -WhatIf)
        $steps.Status | Should -Be @('Planned', 'Planned')
        (Get-Step $steps MoveBack).Items.Status | Should -Be @('Planned', 'Planned')
        $piped | Should -Be @('a1', 'a2')
        Should -Invoke Enable-ComputeNode -Times 1 -Exactly -ParameterFilter { $WhatIf }
        Should -Invoke Move-ServerLive -Times 0 -Exactly -ParameterFilter { -not $WhatIf }
    }
}

Describe 'Invoke-PlannedMaintenance passes -WhatIf and -Confirm to every changing cmdlet' {
    BeforeEach {
        $listings = [System.Collections.Generic.Queue[object]]::new()
        $listings.Enqueue(@(New-Server 'a1' 'web-1'))
        $listings.Enqueue(@())
        Mock Get-ComputeNode { New-Node }
        Mock Get-NodeServer { $listings.Dequeue() }
        Mock Disable-ComputeNode { New-Node 'disabled' }
        Mock Enable-ComputeNode { New-Node 'enabled' }
        Mock Move-ServerLive { New-MoveResult $Server.Text 'Completed' }
    }

    It 'the typed test data is the module''s own type, with its status and duration set by name' {
        $r = New-MoveResult 'a1' 'ColdMigrated'
        $r | Should -BeOfType ([OpenStackOps.Maintenance.MigrationResult])
        $r.Status | Should -BeExactly 'ColdMigrated'
        $r.Succeeded | Should -BeTrue
        $r.DurationSeconds | Should -Be 42
        { [OpenStackOps.Maintenance.MigrationResult]@{ Status = 'Done' } } | Should -Throw '*not a Status: use one of*Completed*'
    }

    It '-Confirm:$false reaches Disable-ComputeNode, Move-ServerLive (out and back) and Enable-ComputeNode' {
        $null = & $runbook -Node c01 -Reason 'CHG-8' -MoveBack -Maintenance { } -Confirm:$false
        Should -Invoke Disable-ComputeNode -Times 1 -Exactly -ParameterFilter { $PesterBoundParameters.ContainsKey('Confirm') -and -not $Confirm -and -not $WhatIf }
        Should -Invoke Move-ServerLive -Times 2 -Exactly -ParameterFilter { $PesterBoundParameters.ContainsKey('Confirm') -and -not $Confirm -and -not $WhatIf }
        Should -Invoke Enable-ComputeNode -Times 1 -Exactly -ParameterFilter { $PesterBoundParameters.ContainsKey('Confirm') -and -not $Confirm }
    }

    It '-Confirm reaches every changing cmdlet as -Confirm (each step asks)' {
        $null = & $runbook -Node c01 -Reason 'CHG-9' -Phase Drain -Confirm
        Should -Invoke Disable-ComputeNode -Times 1 -Exactly -ParameterFilter { $Confirm -and -not $WhatIf }
        Should -Invoke Move-ServerLive -Times 1 -Exactly -ParameterFilter { $Confirm -and -not $WhatIf }
    }

    It 'without -Confirm none is passed: $ConfirmPreference decides, as for any cmdlet' {
        $null = & $runbook -Node c01 -Reason 'CHG-10' -Phase Drain
        Should -Invoke Disable-ComputeNode -Times 1 -Exactly -ParameterFilter { -not $PesterBoundParameters.ContainsKey('Confirm') -and $PesterBoundParameters.ContainsKey('WhatIf') }
        Should -Invoke Move-ServerLive -Times 1 -Exactly -ParameterFilter { -not $PesterBoundParameters.ContainsKey('Confirm') }
    }
}

Describe 'Invoke-PlannedMaintenance on the devcloud' -Tag Devcloud {
    BeforeAll { Connect-Devcloud }
    AfterAll { Disconnect-OpenStack }

    It '-WhatIf plans the whole procedure for c02 and changes nothing' {
        $before = @(Get-NodeServer c02 | Sort-Object Id)
        $before.Count | Should -BeGreaterThan 0 -Because 'the devcloud seeds servers on c02'
        $steps = @(& $runbook -Node c02 -Reason 'osops pester: whatif' -Destination c03 -MoveBack -WhatIf -Maintenance { throw 'must not run under -WhatIf' })
        $steps.Step | Should -Be @('Disable', 'Drain', 'Maintenance', 'Enable', 'MoveBack')
        $steps.Status | Sort-Object -Unique | Should -Be 'Planned'
        $drain = @((Get-Step $steps Drain).Items | Sort-Object ServerId)
        $drain.ServerId | Should -Be $before.Id
        $drain.RequestedDestination | Sort-Object -Unique | Should -Be 'c03.example.com'
        (Get-ComputeNode c02).Status | Should -Be 'enabled'
        @(Get-NodeServer c02 | Sort-Object Id).Id | Should -Be $before.Id
    }
}
