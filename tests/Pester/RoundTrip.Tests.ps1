# Results saved between runs of a scheduled script (Export-Clixml, ConvertTo-Json, Export-Csv) and read back must
# mean the same: to Where-Object (statuses compared as text) and to the cmdlet that takes them back.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:OutputTypes = @(Get-OpenStackOpsCmdlet | ForEach-Object { $_.OutputType.Type } |
        Where-Object { $_ -and $_.Namespace -like 'OpenStackOps*' } | Sort-Object FullName -Unique |
        ForEach-Object { @{ Type = $_; Name = $_.FullName } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'SampleObjects.ps1')
    $script:temp = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "osops-roundtrip-$([guid]::NewGuid())")

    # Writes the objects in one format and reads them back, as a later run of a script would.
    function Invoke-RoundTrip([object[]] $InputObject, [ValidateSet('Clixml', 'Json', 'Csv')] [string] $Format) {
        $path = Join-Path $temp ([guid]::NewGuid().ToString() + '.' + $Format.ToLowerInvariant())
        switch ($Format) {
            'Clixml' { $InputObject | Export-Clixml -Path $path; @(Import-Clixml -Path $path) }
            'Json' { ConvertTo-Json -InputObject @($InputObject) -Depth 4 | Set-Content -Path $path; @(Get-Content -Raw -Path $path | ConvertFrom-Json) }
            'Csv' { $InputObject | Export-Csv -Path $path; @(Import-Csv -Path $path) }
        }
    }

    # Every text, number and flag an operator can filter on reads the same after the trip.
    function Assert-SameScalars([object[]] $Original, [object[]] $Back) {
        $Back.Count | Should -Be $Original.Count
        for ($i = 0; $i -lt $Original.Count; $i++) {
            foreach ($p in $Original[$i].PSObject.Properties) {
                $v = $p.Value
                if ($null -eq $v -or -not ($v -is [string] -or $v -is [bool] -or $v -is [int] -or $v -is [long] -or $v -is [double])) { continue }
                "$($Back[$i].($p.Name))" | Should -BeExactly "$v" -Because "$($p.Name) of $($Original[$i]) must survive the trip"
            }
        }
    }
}

AfterAll { Remove-Item -Recurse -Force $temp }

Describe 'Output types hold text, not enum numbers' {
    It '<Name> has no enum property (an enum exports as a number and compares as one)' -ForEach $OutputTypes {
        $enums = @($Type.GetProperties() | Where-Object { ([Nullable]::GetUnderlyingType($_.PropertyType) ?? $_.PropertyType).IsEnum } | ForEach-Object Name)
        $enums | Should -BeNullOrEmpty
    }
}

Describe 'Every output type survives Export-Clixml, ConvertTo-Json and Export-Csv' {
    BeforeAll {
        # The property an operator filters a type's objects by: its status or state where it has one, else what names it.
        function Get-StateProperty([type] $Type) {
            foreach ($name in 'Status', 'State', 'Action', 'Operation', 'Strategy', 'Mounted', 'Healthy', 'Connected', 'IsBlocked', 'AuthMethod', 'Host', 'Node', 'ServerId', 'ProjectName', 'NetworkName', 'Cloud') {
                if ($Type.GetProperty($name)) { return $name }
            }
            throw "$($Type.FullName) has no property to filter by"
        }
        # Two objects of the type built as a script or test builds them: one as New-SampleObject makes it, one with
        # every flag set, other numbers and another state where the state is settable text. The session is built
        # by its factory (it has no public constructor).
        function New-SamplePair([type] $Type) {
            if ($Type -eq [OpenStackOps.Sessions.OpenStackSession]) {
                return [OpenStackOps.Sessions.OpenStackSession]::CreateForTests('prod', 'admin', 'ops', $true),
                    [OpenStackOps.Sessions.OpenStackSession]::CreateForTests('lab', 'demo', 'dev', $false)
            }
            $first = New-SampleObject $Type
            $second = New-SampleObject $Type
            $state = Get-StateProperty $Type
            foreach ($p in $Type.GetProperties()) {
                if (-not $p.CanWrite -or -not $p.SetMethod.IsPublic) { continue }
                $t = [Nullable]::GetUnderlyingType($p.PropertyType) ?? $p.PropertyType
                if ($t -eq [bool]) { $p.SetValue($second, $true) }
                elseif ($t -in [int], [long]) { $p.SetValue($second, [Management.Automation.LanguagePrimitives]::ConvertTo(7, $p.PropertyType)) }
            }
            $prop = $Type.GetProperty($state)
            if ($prop.CanWrite -and $prop.PropertyType -eq [string]) {
                $second.$state = if ($Type -eq [OpenStackOps.Maintenance.MigrationResult]) { 'Failed' } else { 'other-state' }
            }
            $first, $second
        }
    }

    It '<Name>: texts, numbers and flags read the same after <Format>, and Where-Object finds each by its state' -ForEach @(
        foreach ($t in $OutputTypes) { foreach ($f in 'Clixml', 'Json', 'Csv') { @{ Type = $t.Type; Name = $t.Name; Format = $f } } }
    ) {
        $pair = @(New-SamplePair $Type)
        $back = Invoke-RoundTrip $pair $Format
        Assert-SameScalars $pair $back
        $state = Get-StateProperty $Type
        foreach ($i in 0, 1) {
            $value = $pair[$i].$state
            $found = @($back | Where-Object $state -eq $value)
            $expected = @($pair | Where-Object $state -eq $value).Count
            $found.Count | Should -Be $expected -Because "Where-Object $state -eq '$value' must find the same objects after $Format"
            $found.Count | Should -BeGreaterThan 0
        }
        # A time taken is text in every format, never an object of TimeSpan fields.
        foreach ($p in 'Duration', 'Elapsed') {
            if ($Type.GetProperty($p)) { "$($back[0].$p)" | Should -BeExactly '00:01:05' }
        }
    }

    It 'no output type has a TimeSpan property (ConvertTo-Json writes one as fifteen fields)' {
        $timeSpans = @(foreach ($t in $OutputTypes) {
            $t.Type.GetProperties() | Where-Object { ([Nullable]::GetUnderlyingType($_.PropertyType) ?? $_.PropertyType) -eq [TimeSpan] } |
                ForEach-Object { "$($t.Name).$($_.Name)" }
        })
        $timeSpans | Should -BeNullOrEmpty
    }

    It 'a move result''s JSON says its duration as text and as seconds, and [TimeSpan] reads the text back' {
        $r = [OpenStackOps.Maintenance.MigrationResult]@{ ServerId = 'a1'; Kind = 'Live'; Status = 'Completed'; Duration = '00:01:23' }
        $json = $r | ConvertTo-Json -Compress
        $json | Should -Match '"Duration":"00:01:23"'
        $json | Should -Match '"DurationSeconds":83(\.0)?[,}]'
        $json | Should -Not -Match 'Ticks|TotalMinutes'
        $back = $json | ConvertFrom-Json
        [TimeSpan]$back.Duration | Should -Be ([TimeSpan]::FromSeconds(83))
        $back.DurationSeconds | Should -Be 83
        # A day and more stays readable too; a wrong text says how to write one.
        ([OpenStackOps.Maintenance.MigrationResult]@{ Duration = '1.02:03:04' }).Duration | Should -BeExactly '1.02:03:04'
        { [OpenStackOps.Maintenance.MigrationResult]@{ Duration = 'soon' } } | Should -Throw '*not a duration*00:01:23*'
    }

    It 'a move result''s table shows its duration in seconds' {
        $r = [OpenStackOps.Maintenance.MigrationResult]@{ ServerId = 'a1'; ServerName = 'web-1'; Kind = 'Live'; Status = 'Completed'; Duration = '00:01:23' }
        ($r | Out-String -Width 120) | Should -Match '83\.0s'
    }
}

Describe 'Round trips against the fake cloud' {
    BeforeAll {
        $cloud = New-FakeCloud
        $cloud.MigrationDuration = [TimeSpan]::FromMilliseconds(200)
        Connect-FakeCloud $cloud
        # Real results: web-1 really moves to c02 and back comes its result; the rest are the plan's.
        $script:moved = @(Get-NodeServer c01 | Where-Object Name -eq 'web-1' | Move-ServerLive -Destination c02)
        $script:planned = @(Get-NodeServer c02 | Move-ServerLive -Destination c01 -WhatIf -PassThru)
    }
    AfterAll {
        Disconnect-OpenStack
        $cloud.Dispose()
    }

    It 'the real move completed (the fixture the trips start from)' {
        $moved.Count | Should -Be 1
        $moved[0].Status | Should -BeExactly 'Completed'
        $moved[0].Kind | Should -BeExactly 'Live'
        $moved[0].DurationSeconds | Should -BeGreaterThan 0
    }

    It 'move results through <_>: Status, Kind and hosts read the same, and Where-Object finds them' -ForEach 'Clixml', 'Json', 'Csv' {
        $all = @($moved) + @($planned)
        $back = Invoke-RoundTrip $all $_
        Assert-SameScalars $all $back
        @($back | Where-Object Status -eq 'Completed').Count | Should -Be 1
        @($back | Where-Object Status -eq 'Planned').Count | Should -Be $planned.Count
        @($back | Where-Object Kind -eq 'Live').Count | Should -Be $all.Count
    }

    It 'completed moves read back from <_> pipe into Move-ServerLive and plan the way home' -ForEach 'Clixml', 'Json', 'Csv' {
        $back = Invoke-RoundTrip $moved $_
        $way = @($back | Where-Object Status -eq 'Completed' | Move-ServerLive -WhatIf -PassThru)
        $way.Count | Should -Be 1
        $way[0].ServerId | Should -Be $moved[0].ServerId
        $way[0].Status | Should -BeExactly 'Planned'
        $way[0].RequestedDestination | Should -Be 'c01.example.com'
    }

    It 'compute nodes through <_> read the same and pipe into Disable-ComputeNode' -ForEach 'Clixml', 'Json', 'Csv' {
        $nodes = @(Get-ComputeNode c01, c02)
        $back = Invoke-RoundTrip $nodes $_
        Assert-SameScalars $nodes $back
        $plan = @($back | Disable-ComputeNode -Reason 'CHG-7 from a saved list' -WhatIf -PassThru)
        $plan.Host | Should -Be @('c01.example.com', 'c02.example.com')
    }

    It 'servers through <_> keep status and power state as text and pipe into Move-ServerLive' -ForEach 'Clixml', 'Json', 'Csv' {
        $servers = @(Get-NodeServer c01)
        $servers[0].PowerState | Should -BeOfType ([string])
        $back = Invoke-RoundTrip $servers $_
        Assert-SameScalars $servers $back
        @($back | Where-Object PowerState -eq $servers[0].PowerState).Count | Should -BeGreaterThan 0
        $plan = @($back | Move-ServerLive -Destination compute-1 -WhatIf -PassThru)
        $plan.Count | Should -Be $servers.Count
        ($plan.ServerId | Sort-Object) | Should -Be ($servers.Id | Sort-Object)
    }

    It 'lists export as their items: CSV cells list the values, JSON writes arrays, Clixml keeps lists' {
        $servers = @(Get-NodeServer c01, c02 | Where-Object { $_.Addresses.Count -gt 0 })
        $servers.Count | Should -BeGreaterThan 0
        $nodes = @(Get-ComputeNode c01)
        foreach ($format in 'Csv', 'Json', 'Clixml') {
            $back = Invoke-RoundTrip $servers $format
            for ($i = 0; $i -lt $servers.Count; $i++) {
                $text = if ($format -eq 'Csv') { $back[$i].Addresses } else { $back[$i].Addresses -join ', ' }
                $text | Should -BeExactly ($servers[$i].Addresses -join ', ') -Because "$format keeps the addresses readable"
                $text | Should -Not -Match 'System\.'
            }
        }
        (Invoke-RoundTrip $nodes 'Csv')[0].HypervisorHostnames | Should -BeExactly ($nodes[0].HypervisorHostnames -join ', ')
        (Get-Content -Raw (Join-Path $temp '*.csv' | Resolve-Path | Select-Object -Last 1)) | Should -Not -Match 'System\.String\[\]'
    }

    It 'durations export as seconds too: a number in JSON and CSV' {
        $back = Invoke-RoundTrip $moved 'Json'
        $back[0].DurationSeconds | Should -BeOfType ([double])
        $back[0].DurationSeconds | Should -Be $moved[0].DurationSeconds
        (Invoke-RoundTrip $moved 'Csv')[0].DurationSeconds | Should -Be "$($moved[0].DurationSeconds)"
    }

    It 'volume attachments read back from <_> pipe into Restore-VolumeAttachment and bind every property' -ForEach 'Clixml', 'Json', 'Csv' {
        $server = (Get-NodeServer c01)[0]
        $attachment = New-SampleObject ([OpenStackOps.Volumes.VolumeAttachment]) -Property @{ ServerId = $server.Id; ServerName = $server.Name; Host = $server.Host }
        $back = Invoke-RoundTrip @($attachment) $_
        $plan = @($back | Restore-VolumeAttachment -WhatIf -PassThru)
        $plan.Count | Should -Be 1
        $plan[0].Status | Should -BeExactly 'Planned'
        $plan[0].ServerId | Should -Be $server.Id
        $plan[0].ServerName | Should -Be $server.Name
        $plan[0].VolumeId | Should -Be $attachment.VolumeId
        $plan[0].Device | Should -Be $attachment.Device
    }

    It 'an address recovery result read back from <_> pipes into Connect-NetworkPort by its port' -ForEach 'Clixml', 'Json', 'Csv' {
        $server = (Get-NodeServer c01)[0]
        $portJson = $cloud.AddPort("roundtrip-$_", "203.0.113.$(50 + $cloud.Ports.Count)")
        $port = Get-NetworkPort -Id $portJson['id'].ToString()
        $result = New-SampleObject ([OpenStackOps.Network.Recovery.AddressRecoveryResult]) -Property @{ Port = $port; IpAddress = $port.IpAddresses[0] }
        $back = Invoke-RoundTrip @($result) $_
        $back[0].PortId | Should -Be $port.Id
        $before = @(Get-FakeCloudRequest $cloud).Count
        $back | Connect-NetworkPort -Server $server.Id -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -BeNullOrEmpty
        $seen = @(Get-FakeCloudRequest $cloud | Select-Object -Skip $before)
        # The saved result bound to its port: the cmdlet read that port (to check it is free), and attached nothing.
        @($seen | Where-Object { $_ -match "^GET .*/ports/$($port.Id)" }).Count | Should -BeGreaterThan 0
        @($seen | Where-Object { $_ -match '^POST' }) | Should -BeNullOrEmpty
    }

    It 'the session through <_> says how it authenticated in words' -ForEach 'Clixml', 'Json' {
        $session = Get-OpenStackSession
        $back = Invoke-RoundTrip @($session) $_
        $back[0].AuthMethod | Should -BeExactly 'Password'
        $back[0].Cloud | Should -Be $session.Cloud
    }
}

Describe 'Round trips of devcloud results' -Tag Devcloud {
    BeforeAll {
        Connect-Devcloud
        $w = $env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud'
        $script:seed = Get-Content -Raw (Join-Path $w 'seed.json') | ConvertFrom-Json
        $port = (Get-Content -Raw (Join-Path $w 'nodes.json') | ConvertFrom-Json | Where-Object short -eq 'c01').port
        Connect-ComputeNode c01.example.com -Address 127.0.0.1 -Port $port -User osops -KeyFile (Join-Path $w 'ssh/id_ed25519') -KnownHostsPath (Join-Path $w 'ssh/known_hosts')
    }
    AfterAll {
        Disconnect-ComputeNode c01.example.com
        Disconnect-OpenStack
    }

    It 'an evacuation plan through <_> keeps DataFate and Status as text' -ForEach 'Clixml', 'Json', 'Csv' {
        $plan = @(Invoke-NodeEvacuation c03 -Destination c02 -WhatIf -PassThru -WarningAction SilentlyContinue)
        $plan.Count | Should -BeGreaterThan 0
        $back = Invoke-RoundTrip $plan $_
        Assert-SameScalars $plan $back
        @($back | Where-Object { $_.Kind -eq 'Evacuation' -and $_.Status -eq 'Planned' }).Count + @($back | Where-Object Status -eq 'Skipped').Count | Should -Be $plan.Count
    }

    It 'ports through <_> pipe into Disconnect-NetworkPort' -ForEach 'Clixml', 'Json', 'Csv' {
        $ports = @(Get-NetworkPort -Network public | Where-Object DeviceOwner -like 'compute:*')
        $ports.Count | Should -BeGreaterThan 0
        $back = Invoke-RoundTrip $ports $_
        Assert-SameScalars $ports $back
        $back | Disconnect-NetworkPort -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -BeNullOrEmpty
    }

    It 'a port''s addresses and fixed IPs export to CSV as the addresses' {
        $ports = @(Get-NetworkPort -Network public | Where-Object { $_.IpAddresses.Count -gt 0 })
        $back = Invoke-RoundTrip $ports 'Csv'
        for ($i = 0; $i -lt $ports.Count; $i++) {
            $back[$i].IpAddresses | Should -BeExactly ($ports[$i].IpAddresses -join ', ')
            $back[$i].FixedIps | Should -BeExactly ($ports[$i].IpAddresses -join ', ')
        }
    }

    It 'node service states and health through Clixml keep the init system as text' {
        $planned = Stop-NodeComputeService c01.example.com -Pin -WhatIf -PassThru
        $health = Test-ComputeNodeHealth c01.example.com -NodeOnly
        $back = Invoke-RoundTrip @($planned, $health) 'Clixml'
        Assert-SameScalars @($planned, $health) $back
        $planned.InitSystem | Should -BeOfType ([string])           # a plan says what was asked for (Auto)
        $back[0].InitSystem | Should -BeExactly $planned.InitSystem
        $back[1].InitSystem | Should -BeExactly 'Systemd'            # the health check found it out on the node
    }

    It 'a mount saved with Export-Clixml is dismounted later from the saved object' {
        $id = ($seed.servers | Where-Object name -eq 'c01-db').id
        & (Join-Path $RepoRoot 'tools/devcloud/make-instance-disk.sh') c01 $id | Out-Null
        $mount = Mount-InstanceDisk $id -Justification 'osops test: saved mount' -Confirm:$false
        try {
            $back = Invoke-RoundTrip @($mount) 'Clixml'
            Assert-SameScalars @($mount) $back
            $back[0].Mounted | Should -BeTrue
            $done = $back[0] | Dismount-InstanceDisk -PassThru -Confirm:$false
            $done.Mounted | Should -BeFalse
            (Get-ComputeNodeConnection c01.example.com) | Should -Not -BeNullOrEmpty
        }
        finally {
            Dismount-InstanceDisk -Server $id -ComputeNode c01.example.com -Confirm:$false -ErrorAction SilentlyContinue
        }
    }
}
