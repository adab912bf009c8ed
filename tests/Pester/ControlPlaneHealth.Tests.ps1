# Test-ControlPlaneHealth against the in-process fake cloud: one object per API, service and agent with its evidence,
# what the answers prove about the database and the queue, and -Quiet for monitoring. The real control plane's
# answers are in tests/OpenStackOps.Module.Tests/Devcloud/ControlPlaneHealthDevcloudTests.cs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function Get-Component($Components, [string] $Name, [string] $OnHost) {
        @($Components | Where-Object { $_.Component -eq $Name -and (-not $OnHost -or $_.Host -eq $OnHost) })
    }
}

Describe 'Test-ControlPlaneHealth' {
    BeforeEach {
        $cloud = New-FakeCloud
        $cloud.AddAgent('neutron-openvswitch-agent', 'c01.example.com', $true)
        Connect-FakeCloud $cloud
    }
    AfterEach { Disconnect-OpenStack; $cloud.Dispose() }

    It 'a healthy cloud: every API in the catalog answers, every service and agent is up, -Quiet is $true' {
        $all = @(Test-ControlPlaneHealth)
        ($all | Where-Object Kind -eq Api).Component | Should -Be @('keystone', 'nova-api', 'placement-api', 'neutron-server')
        $all | Where-Object State -ne Up | Should -BeNullOrEmpty
        (Get-Component $all 'nova-api')[0].Evidence | Should -Match '^GET /compute/v2\.1/servers answered 200 in \d+ ms$'
        (Get-Component $all 'nova-api')[0].RequestId | Should -Match '^req-'
        (Get-Component $all 'nova-compute').Count | Should -Be 4
        (Get-Component $all 'database')[0].Evidence | Should -Be 'inferred: nova-api read its databases to list servers'
        (Get-Component $all 'message queue')[0].Evidence | Should -Match '^inferred: 4 of 4 nova-compute heartbeats'
        (Get-Component $all 'neutron-openvswitch-agent')[0].Kind | Should -Be 'Agent'
        Test-ControlPlaneHealth -Quiet | Should -BeTrue
    }

    It 'names what is down and why: an API answering 500, a dead agent, a fenced compute; a disabled one is no fault' {
        $cloud.IdentityStatus = 500
        $cloud.AddAgent('neutron-dhcp-agent', 'net01.example.com', $false)
        $cloud.Services['c02.example.com']['forced_down'] = $true
        $cloud.Services['c02.example.com']['state'] = 'down'
        $cloud.Services['compute-1']['status'] = 'disabled'
        $cloud.Services['compute-1']['disabled_reason'] = 'CHG-42 patching'

        $all = @(Test-ControlPlaneHealth)

        $keystone = (Get-Component $all 'keystone')[0]
        $keystone.State | Should -Be 'Down'
        $keystone.Evidence | Should -Match '^GET /identity/v3/auth/projects: .*500'
        (Get-Component $all 'neutron-dhcp-agent')[0].State | Should -Be 'Down'
        (Get-Component $all 'neutron-dhcp-agent')[0].Evidence | Should -Be 'neutron reports it down: last heartbeat 2026-12-06 23:50:10Z'
        $fenced = (Get-Component $all 'nova-compute' 'c02.example.com')[0]
        $fenced.State | Should -Be 'Down'
        $fenced.Evidence | Should -Match '^nova has it forced down \(fenced\)'
        $disabled = (Get-Component $all 'nova-compute' 'compute-1')[0]
        $disabled.State | Should -Be 'Disabled'
        $disabled.Evidence | Should -Match 'up but disabled: CHG-42 patching'
        Test-ControlPlaneHealth -Quiet | Should -BeFalse

        $cloud.IdentityStatus = 200; $cloud.Agents.RemoveAt(1); $cloud.Services['c02.example.com']['forced_down'] = $false; $cloud.Services['c02.example.com']['state'] = 'up'
        Test-ControlPlaneHealth -Quiet | Should -BeTrue -Because 'a node disabled on purpose needs no repair'
    }

    It 'no nova-compute heartbeat at all says the queue path is down' {
        foreach ($s in $cloud.Services.Values) { $s['state'] = 'down' }
        $queue = (Get-Component @(Test-ControlPlaneHealth) 'message queue')[0]
        $queue.State | Should -Be 'Down'
        $queue.Evidence | Should -Match 'none of 4 nova-compute services reports a heartbeat: the message queue, nova-conductor or the database is down'
    }
}
