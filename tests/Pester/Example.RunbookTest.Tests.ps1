# The README's example of "Testing your runbooks with Pester", run by the Pester tier as it stands.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')   # in your own tests: Import-Module OpenStackOps
    $runbook = Join-Path $RepoRoot 'examples/Watch-ComputeNodeFailure.ps1'
}

Describe 'my runbooks, with no cloud' {
    It 'Watch-ComputeNodeFailure -WhatIf plans the evacuation of a confirmed dead node and fences nothing' {
        Mock Get-ComputeNode { [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c03'; State = 'down' } }
        Mock Invoke-NodeEvacuation {
            [OpenStackOps.Maintenance.MigrationResult]@{ ServerId = 'a1'; Kind = 'Evacuation'; Status = 'Planned'; SourceHost = 'c03' }
        }
        $out = & $runbook -ConfirmChecks 1 -Probe { $false } -Fence { throw 'no fencing under -WhatIf' } -WhatIf
        $out[0].Action | Should -Be 'PlanEvacuation'
        $out[1].Status | Should -Be 'Planned'
        Should -Invoke Invoke-NodeEvacuation -Times 1 -Exactly -ParameterFilter { $ComputeNode -eq 'c03' -and $ForceDown -and $Fenced -and $WhatIf }
    }

    It 'code that takes -Session gets a test session; the mock sees which cloud it was for' {
        function Get-DownNode([OpenStackOps.Sessions.OpenStackSession] $Session) { Get-ComputeNode -Session $Session | Where-Object State -eq 'down' }
        $session = [OpenStackOps.Sessions.OpenStackSession]::CreateForTests('prod', 'admin', 'ops', $true)
        Mock Get-ComputeNode { [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c03'; State = 'down' } }
        (Get-DownNode -Session $session).Host | Should -Be 'c03'
        Should -Invoke Get-ComputeNode -Times 1 -Exactly -ParameterFilter { $Session.Cloud -eq 'prod' }
    }
}
