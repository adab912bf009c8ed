# Get-NodeCapacity against the in-process fake cloud: placement's inventories and usages per node, the scheduler's
# arithmetic ((total - reserved) x ratio), node selection by name or pipeline, and a CSV that round-trips.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    $cloud.AllocateServersWhereTheyRun()
    $session = Connect-FakeCloud $cloud -PassThru
}
AfterAll { Disconnect-OpenStack; $cloud.Dispose() }

Describe 'Get-NodeCapacity' {
    It 'gives every node placement''s capacity, used and free per resource class' {
        $nodes = @(Get-NodeCapacity)
        $nodes.Host | Should -Be @('c01.example.com', 'c02.example.com', 'compute-1', 'compute-10')
        $c01 = $nodes[0]
        $c01.VcpuCapacity | Should -Be 128                 # 8 x 16
        $c01.VcpuUsed | Should -Be 2                       # web-1 and web-2
        $c01.VcpuFree | Should -Be 126
        $c01.MemoryMbCapacity | Should -Be 23808           # (16384 - 512) x 1.5
        $c01.MemoryMbUsed | Should -Be 1024
        $c01.DiskGbFree | Should -Be 98
        $c01.ProviderId | Should -Be $cloud.ProviderUuid('c01.example.com')
        $c01.Resources.ToString() | Should -Be 'VCPU 2/128, MEMORY_MB 1024/23808, DISK_GB 2/100'
        $nodes[2].VcpuUsed | Should -Be 0
    }

    It 'takes nodes by name or from Get-ComputeNode, and reads placement 2 + 2 per node' {
        $before = $session.ApiCalls
        (Get-NodeCapacity c02).Host | Should -Be 'c02.example.com'
        ($session.ApiCalls - $before) | Should -Be 5 -Because 'services for the name, hypervisors, providers, then inventories and usages of one node'
        @(Get-ComputeNode 'compute-*' | Get-NodeCapacity).Host | Should -Be @('compute-1', 'compute-10')
    }

    It 'a wrong name is an error and reads nothing more' {
        $e = $null
        $out = Get-NodeCapacity c99 -ErrorVariable e -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ComputeNodeNotFound*'
    }

    It 'exports to CSV with the figures as numbers an operator can sum' {
        $csv = Join-Path $TestDrive 'capacity.csv'
        Get-NodeCapacity | Export-Csv $csv
        $rows = Import-Csv $csv
        ($rows | Measure-Object VcpuFree -Sum).Sum | Should -Be (128 * 4 - 3)
        $rows[0].Resources | Should -Be 'VCPU 2/128, MEMORY_MB 1024/23808, DISK_GB 2/100'
    }
}
