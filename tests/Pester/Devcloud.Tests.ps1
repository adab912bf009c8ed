# The module against the real OpenStack on loopback (tools/devcloud), read-only: real objects through typed
# scripts, PowerShell's cmdlets and the views.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Devcloud objects in real pwsh' -Tag Devcloud {
    BeforeAll { Connect-Devcloud }
    AfterAll { Disconnect-OpenStack }

    It 'Get-ComputeNode returns the four computes as ComputeNode objects (c04 the spare, disabled at rest)' {
        $nodes = @(Get-ComputeNode | Sort-Object Host)
        $nodes.Host | Should -Be @('c01.example.com', 'c02.example.com', 'c03.example.com', 'c04.example.com')
        $nodes | ForEach-Object { $_ | Should -BeOfType ([OpenStackOps.Compute.Nodes.ComputeNode]) }
        $nodes | ForEach-Object { $_.Vcpus | Should -BeGreaterThan 0 }
    }

    It 'the node view at 80 columns shows host, status and state of each' {
        $lines = (Get-ComputeNode | Sort-Object Host | Out-String -Width 80) -split "`n" | Where-Object { $_ -match '^c0\d' }
        $lines.Count | Should -Be 4
        $lines | ForEach-Object { $_ | Should -Match '^c0\d\.example\.com +(enabled|disabled)( \(planned\))? +(up|down)' }
    }

    It 'a typed function takes Get-ComputeNode output by pipeline' {
        function Get-NodeFreeVcpu {
            param([Parameter(Mandatory, ValueFromPipeline)] [OpenStackOps.Compute.Nodes.ComputeNode] $Node)
            process { [pscustomobject]@{ Host = $Node.Host; Free = $Node.Vcpus - $Node.VcpusUsed } }
        }
        $free = Get-ComputeNode | Get-NodeFreeVcpu | Sort-Object Host
        $free.Count | Should -Be 4
        $free | ForEach-Object { $_.Free | Should -BeOfType ([int]) }
    }

    It 'Group-Object of servers across the nodes agrees with each node''s RunningVms' {
        $nodes = Get-ComputeNode
        $servers = @($nodes | Get-NodeServer)
        $counts = $servers | Group-Object Host -AsHashTable -AsString
        foreach ($node in $nodes) {
            $onNode = if ($counts -and $counts.ContainsKey($node.Host)) { $counts[$node.Host].Count } else { 0 }
            $onNode | Should -BeGreaterOrEqual ([int]$node.RunningVms) -Because "nova counts $($node.RunningVms) on $($node.Host)"
        }
    }
}
