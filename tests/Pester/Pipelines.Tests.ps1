# The module's objects through PowerShell's own cmdlets, as an operator's one-liners use them (fake cloud).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    Connect-FakeCloud $cloud
    $temp = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "osops-pipe-$([guid]::NewGuid())")
}

AfterAll {
    Disconnect-OpenStack
    $cloud.Dispose()
    Remove-Item -Recurse -Force $temp
}

Describe 'Pipelines through PowerShell''s cmdlets' {
    It 'Sort-Object and Select-Object pick nodes by their typed properties' {
        $busiest = Get-ComputeNode | Sort-Object RunningVms, Host -Descending | Select-Object -First 2 -Property Host, RunningVms
        $busiest[0].Host | Should -Be 'c01.example.com'
        $busiest[0].RunningVms | Should -Be 2
        $busiest[1].Host | Should -Be 'c02.example.com'
    }

    It 'Group-Object counts servers by host and by status' {
        $byHost = Get-NodeServer c01, c02 | Group-Object Host -AsHashTable -AsString
        $byHost['c01.example.com'].Count | Should -Be 2
        $byHost['c02.example.com'].Count | Should -Be 1
        (Get-NodeServer c01 | Group-Object Status | Sort-Object Name).Name | Should -Be @('ACTIVE', 'SHUTOFF')
    }

    It 'Where-Object and ForEach-Object see status and names' {
        Get-NodeServer c01 | Where-Object Status -eq 'SHUTOFF' | ForEach-Object Name | Should -Be 'web-2'
    }

    It 'Export-Csv writes what Import-Csv reads back' {
        $csv = Join-Path $temp 'nodes.csv'
        Get-ComputeNode | Select-Object Host, Status, State, RunningVms | Export-Csv -Path $csv
        $back = Import-Csv -Path $csv
        $back.Count | Should -Be 4
        ($back | Where-Object Host -eq 'c01.example.com').Status | Should -Be 'enabled'
        ($back | Where-Object Host -eq 'c01.example.com').RunningVms | Should -Be '2'
    }

    It 'ConvertTo-Json keeps the server''s identity and round-trips through ConvertFrom-Json' {
        $server = Get-NodeServer c02
        $json = $server | ConvertTo-Json -Depth 3
        $back = $json | ConvertFrom-Json
        $back.Id | Should -Be $server.Id
        $back.Name | Should -Be 'db-1'
        $back.Host | Should -Be 'c02.example.com'
    }

    It 'ConvertTo-Json of the session carries no secret' {
        $json = Get-OpenStackSession | ConvertTo-Json -Depth 2
        $json | Should -Match '"ProjectName": "admin"'
        $json | Should -Not -Match ([regex]::Escape([OpenStackOps.Testing.FakeCloud]::Password))
        $json | Should -Not -Match 'fake-token-'
    }

    It 'Export-Clixml and Import-Clixml keep a node''s values' {
        $xml = Join-Path $temp 'node.xml'
        Get-ComputeNode c01 | Export-Clixml -Path $xml
        $back = Import-Clixml -Path $xml
        $back.Host | Should -Be 'c01.example.com'
        $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.OpenStackOps.Compute.Nodes.ComputeNode'
    }
}
