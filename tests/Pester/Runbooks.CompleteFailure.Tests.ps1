# examples/Restore-CloudAfterCompleteFailure.ps1 tested as an operator tests a runbook: the module's cmdlets replaced
# with Pester's Mock, typed components, nodes and servers as test data, no cloud; one test per decision. The
# Devcloud-tagged part stops the devcloud's real nova-scheduler on the controller node ctl01.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $runbook = Join-Path $RepoRoot 'examples/Restore-CloudAfterCompleteFailure.ps1'

    function New-Component([string] $Kind, [string] $Component, [string] $State = 'Up', [string] $HostName = 'ctl01.example.com') {
        [OpenStackOps.Checks.ComponentHealth]@{ Kind = $Kind; Component = $Component; Host = $HostName; State = $State; Evidence = "$Component is $State" }
    }
    # A healthy cloud as Test-ControlPlaneHealth returns it; -Down names components to report otherwise.
    function New-Health([string[]] $Down = @(), [string] $State = 'Down') {
        $all = @(
            New-Component Database database; New-Component MessageQueue 'message queue'
            New-Component Api keystone; New-Component Api placement-api; New-Component Api glance-api
            New-Component Api nova-api; New-Component Api neutron-server; New-Component Api cinder-api
            New-Component Service nova-conductor; New-Component Service nova-scheduler; New-Component Service cinder-scheduler
            New-Component Service nova-compute -HostName c01.example.com; New-Component Service nova-compute -HostName c02.example.com
            New-Component Service cinder-volume; New-Component Agent neutron-dhcp-agent
        )
        foreach ($c in $all) { if ("$($c.Component)@$($c.Host)" -in $Down -or $c.Component -in $Down) { $c.State = $State; $c.Evidence = "$($c.Component) is $State" } }
        $all
    }
    function New-Node([string] $name, [int] $vms, [string] $state = 'up') {
        [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = $name; Status = 'enabled'; State = $state; RunningVms = $vms }
    }
}

Describe 'Restore-CloudAfterCompleteFailure decisions' {
    BeforeEach {
        Mock Test-ControlPlaneHealth { New-Health }
        Mock Get-ComputeNode { New-Node 'c01.example.com' 1; New-Node 'c02.example.com' 0 }
        Mock Get-NodeServer { [OpenStackOps.Compute.Servers.Server]@{ Id = 'a1'; Name = 'app-1'; Host = 'c01.example.com'; Status = 'ACTIVE' } } -ParameterFilter { $ComputeNode -eq 'c01.example.com' }
        Mock Get-NodeServer { } -ParameterFilter { $ComputeNode -eq 'c02.example.com' }
        Mock Find-ServerProblem { }
        Mock Start-Sleep { }
        $started = [System.Collections.Generic.List[string]]::new()
        $hook = { param($layer, $broken) foreach ($c in $broken) { $started.Add("$layer/$($c.Component)") } }
    }

    It 'a healthy cloud: every layer in the guide''s order, hypervisors and database agree, no server problem, no error' {
        $e = $null
        $steps = @(& $runbook -ErrorVariable e)
        $steps.Layer | Should -Be @('Database and message queue', 'Identity', 'Schedulers', 'Image', 'Compute and volume hosts', 'APIs', 'Hypervisors and database', 'User servers')
        $steps.Status | Should -Be @('Up', 'Up', 'Up', 'Up', 'Up', 'Up', 'Agree', 'Up')
        $steps[2].Components | Should -Be @('placement-api@ctl01.example.com', 'nova-conductor@ctl01.example.com', 'nova-scheduler@ctl01.example.com', 'cinder-scheduler@ctl01.example.com')
        $e | Should -BeNullOrEmpty
    }

    It 'the database down stops the run at the first layer, with what to do, and judges nothing after it' {
        Mock Test-ControlPlaneHealth { New-Health -Down database }
        $e = $null
        $steps = @(& $runbook -ErrorVariable e -ErrorAction SilentlyContinue)
        $steps | Should -HaveCount 1
        $steps[0].Status | Should -Be 'Down'
        $steps[0].Components | Should -Be 'database'
        $steps[0].NextStep | Should -Match 'mariadb'
        $e[0].FullyQualifiedErrorId | Should -BeLike 'CloudRestoreLayerDown*'
        $e[0].TargetObject | Should -Be 'Database and message queue'
        Should -Invoke Get-ComputeNode -Times 0 -Exactly
        Should -Invoke Find-ServerProblem -Times 0 -Exactly
    }

    It 'keystone down stops at identity after the database layer is found up' {
        Mock Test-ControlPlaneHealth { New-Health -Down keystone }
        $steps = @(& $runbook -ErrorAction SilentlyContinue)
        $steps.Status | Should -Be @('Up', 'Down')
        $steps[1].Layer | Should -Be 'Identity'
        $steps[1].NextStep | Should -Match 'token issue'
    }

    It 'a scheduler down with no -StartService: stops at the schedulers, naming it and its evidence' {
        Mock Test-ControlPlaneHealth { New-Health -Down nova-scheduler }
        $steps = @(& $runbook -ErrorAction SilentlyContinue)
        $steps.Status | Should -Be @('Up', 'Up', 'Down')
        $steps[2].Components | Should -Be 'nova-scheduler'
        $steps[2].Evidence | Should -Be 'nova-scheduler@ctl01.example.com: Down (nova-scheduler is Down)'
        $steps[2].NextStep | Should -Match 'nova-scheduler'
    }

    It 'an Unknown component is broken too, and the step says it could not be judged' {
        Mock Test-ControlPlaneHealth { New-Health -Down database -State Unknown }
        $steps = @(& $runbook -ErrorAction SilentlyContinue)
        $steps[0].Status | Should -Be 'Down'
        $steps[0].NextStep | Should -Match 'could not be judged'
    }

    It 'with -StartService it starts the broken layer, waits until it is up, and goes on to the end' {
        $script:checks = 0
        Mock Test-ControlPlaneHealth { $script:checks++; if ($script:checks -le 3) { New-Health -Down nova-scheduler } else { New-Health } }
        $steps = @(& $runbook -StartService $hook -IntervalSeconds 5 -Confirm:$false)
        $started | Should -Be @('Schedulers/nova-scheduler')
        $steps.Status | Should -Be @('Up', 'Up', 'Started', 'Up', 'Up', 'Up', 'Agree', 'Up')
        $steps[2].Evidence | Should -Match 'up after 5 s'
        Should -Invoke Start-Sleep -Times 1 -Exactly -ParameterFilter { $Seconds -eq 5 }
    }

    It 'a layer still down after -WaitSeconds stops the run' {
        Mock Test-ControlPlaneHealth { New-Health -Down nova-conductor }
        $steps = @(& $runbook -StartService $hook -IntervalSeconds 10 -WaitSeconds 30 -Confirm:$false -ErrorAction SilentlyContinue)
        $started | Should -Be @('Schedulers/nova-conductor')
        $steps[-1].Status | Should -Be 'Down'
        $steps[-1].NextStep | Should -Match '^Still down 30 s after -StartService'
        Should -Invoke Start-Sleep -Times 3 -Exactly
    }

    It '-WhatIf starts nothing: the broken layer is WouldStart and the run stops there' {
        Mock Test-ControlPlaneHealth { New-Health -Down cinder-scheduler }
        $steps = @(& $runbook -StartService $hook -WhatIf -ErrorAction SilentlyContinue)
        $started | Should -BeNullOrEmpty
        $steps[-1].Status | Should -Be 'WouldStart'
        $steps[-1].NextStep | Should -Match 'Would call -StartService for cinder-scheduler@ctl01.example.com'
        Should -Invoke Start-Sleep -Times 0 -Exactly
    }

    It 'a compute node down stops at the hosts, naming it and Start-NodeComputeService' {
        Mock Test-ControlPlaneHealth { New-Health -Down 'nova-compute@c02.example.com' }
        $steps = @(& $runbook -ErrorAction SilentlyContinue)
        $steps[-1].Layer | Should -Be 'Compute and volume hosts'
        $steps[-1].Evidence | Should -Match '^nova-compute@c02.example.com: Down'
        $steps[-1].NextStep | Should -Match 'Start-NodeComputeService'
    }

    It 'a layer the cloud does not have is Absent and the run goes on' {
        Mock Test-ControlPlaneHealth { New-Health | Where-Object Component -ne 'glance-api' }
        $steps = @(& $runbook)
        $steps[3].Status | Should -Be 'Absent'
        $steps[-1].Status | Should -Be 'Up'
    }

    It 'hypervisors disagreeing with the database stop the run before the user servers' {
        Mock Get-ComputeNode { New-Node 'c01.example.com' 3; New-Node 'c02.example.com' 0 }
        $e = $null
        $steps = @(& $runbook -ErrorVariable e -ErrorAction SilentlyContinue)
        $steps[-1].Status | Should -Be 'Disagree'
        $steps[-1].Evidence | Should -Be "c01.example.com: its hypervisor reports 3 running, nova's database lists 1"
        $e[0].FullyQualifiedErrorId | Should -BeLike 'CloudRestoreLayerDown*'
        Should -Invoke Find-ServerProblem -Times 0 -Exactly
    }

    It 'a node nova sees down with servers on it is a disagreement too' {
        Mock Get-ComputeNode { New-Node 'c01.example.com' 1 -state down; New-Node 'c02.example.com' 0 }
        $steps = @(& $runbook -ErrorAction SilentlyContinue)
        $steps[-1].Evidence | Should -Be 'c01.example.com: nova sees it down with 1 server(s) on it'
    }

    It 'user servers with problems: the last step says how many of which kind and where to look' {
        Mock Find-ServerProblem {
            [OpenStackOps.Checks.ServerProblem]@{ ServerName = 'app-1'; Reason = 'x' }
            [OpenStackOps.Checks.ServerProblem]@{ ServerName = 'app-2'; Reason = 'y' }
        }
        $steps = @(& $runbook)
        $steps[-1].Status | Should -Be 'Attention'
        $steps[-1].Components | Should -Be @('app-1', 'app-2')
        $steps[-1].Evidence | Should -Match '^Find-ServerProblem: 2 '
    }
}

Describe 'Restore-CloudAfterCompleteFailure on the devcloud' -Tag Devcloud {
    BeforeAll {
        Connect-Devcloud
        $nodeExec = Join-Path $RepoRoot 'tools/devcloud/node-exec.sh'
        function Wait-SchedulerState([string] $state, [int] $seconds = 150) {
            $deadline = [DateTime]::UtcNow.AddSeconds($seconds)
            while ([DateTime]::UtcNow -lt $deadline) {
                if ((Test-ControlPlaneHealth | Where-Object { $_.Kind -eq 'Service' -and $_.Component -eq 'nova-scheduler' }).State -eq $state) { return }
                Start-Sleep -Seconds 5
            }
            throw "nova did not report nova-scheduler $state within $seconds s"
        }
    }
    AfterAll {
        & $nodeExec ctl01 systemctl start nova-scheduler | Out-Null
        Wait-SchedulerState 'Up'
        Disconnect-OpenStack
    }

    It 'with nova-scheduler really stopped on ctl01 it stops at the schedulers; -StartService starts it and the run goes through' {
        & $nodeExec ctl01 systemctl stop nova-scheduler | Out-Null
        (& $nodeExec ctl01 systemctl is-active nova-scheduler) | Should -Be 'inactive'
        Wait-SchedulerState 'Down'

        $e = $null
        $steps = @(& (Join-Path $RepoRoot 'examples/Restore-CloudAfterCompleteFailure.ps1') -ErrorVariable e -ErrorAction SilentlyContinue)
        $steps.Layer | Should -Be @('Database and message queue', 'Identity', 'Schedulers')
        $steps.Status | Should -Be @('Up', 'Up', 'Down')
        $steps[2].Components | Should -Be 'nova-scheduler'
        $steps[2].Evidence | Should -Match 'nova reports it down'
        $e[0].FullyQualifiedErrorId | Should -BeLike 'CloudRestoreLayerDown*'

        $whatIf = @(& (Join-Path $RepoRoot 'examples/Restore-CloudAfterCompleteFailure.ps1') -StartService { throw 'nothing is started under -WhatIf' } -WhatIf -ErrorAction SilentlyContinue)
        $whatIf[-1].Status | Should -Be 'WouldStart'
        (& $nodeExec ctl01 systemctl is-active nova-scheduler) | Should -Be 'inactive'

        $start = { param($layer, $broken) foreach ($c in $broken) { & $nodeExec ctl01 systemctl start $c.Component | Out-Null } }
        $steps = @(& (Join-Path $RepoRoot 'examples/Restore-CloudAfterCompleteFailure.ps1') -StartService $start -IntervalSeconds 5 -WaitSeconds 120 -Confirm:$false -ErrorAction SilentlyContinue)
        $steps[2].Status | Should -Be 'Started'
        (& $nodeExec ctl01 systemctl is-active nova-scheduler) | Should -Be 'active'
        $steps.Layer | Should -Contain 'APIs'
        $steps[3..5].Status | ForEach-Object { $_ | Should -BeIn @('Up', 'Absent') }
    }
}
