# How an operator tests their own scripts: the module's cmdlets mocked with Pester's Mock, a session from
# OpenStackSession.CreateForTests for their -Session parameters, and typed objects built by name.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # An operator's function, as it would be in their own module.
    function Get-DisabledNodeReport {
        param([Parameter(Mandatory)] [OpenStackOps.Sessions.OpenStackSession] $Session)
        Get-ComputeNode -Session $Session | Where-Object Status -eq 'disabled' |
            ForEach-Object { '{0}: {1}' -f $_.Host, $_.DisabledReason }
    }
    $session = [OpenStackOps.Sessions.OpenStackSession]::CreateForTests('prod', 'admin', 'ops', $true)
}

Describe 'Testing scripts that use the module' {
    It 'a test session names its cloud, project and user and says it reaches no cloud' {
        $session.Cloud | Should -Be 'prod'
        $session.ProjectName | Should -Be 'admin'
        $session.UserName | Should -Be 'ops'
        $session.IsAdmin | Should -BeTrue
        $session.IsForTests | Should -BeTrue
        $session.Source | Should -Match 'CreateForTests'
    }

    It 'mocked Get-ComputeNode takes the test session and returns typed nodes' {
        Mock Get-ComputeNode {
            [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c01.example.com'; Status = 'enabled' }
            [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c02.example.com'; Status = 'disabled'; DisabledReason = 'CHG-7' }
        }
        Get-DisabledNodeReport -Session $session | Should -Be 'c02.example.com: CHG-7'
        Should -Invoke Get-ComputeNode -Times 1 -Exactly -ParameterFilter { $Session.Cloud -eq 'prod' }
    }

    It 'a real cmdlet given the test session fails as unreachable and sends nothing' {
        $e = $null
        try { Get-ComputeNode -Session $session -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'NovaListComputeNodesUnreachable,OpenStackOps.Commands.Compute.GetComputeNodeCommand'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        $e.Exception.Message | Should -Match 'CreateForTests and reaches no cloud'
        $session.ApiCalls | Should -Be 0
    }

    It 'the mock refuses what is not a session, as the cmdlet does' {
        Mock Get-ComputeNode { }
        { Get-ComputeNode -Session ([pscustomobject]@{ Cloud = 'prod' }) } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
    }
}
