# Every view in OpenStackOps.Format.ps1xml, rendered as an operator's console would at 80 and 120 columns:
# the columns an operator needs are there with unbroken headers, and a row stays on one line. (At 80 columns
# PowerShell drops the trailing columns that do not fit, or squeezes the last one: those must not be needed ones.)
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # What an operator must see even on an 80-column terminal (Needed) and at 120 (Wide; default: every column), and a
    # value the row must show. Sample: values of a realistic worst case (long names, two addresses, ids).
    $portSample = @{ Name = 'web01.sys.example.com'; Status = 'ACTIVE'; NetworkName = 'public'; DeviceOwner = 'compute:nova'
        ServerName = $null; DeviceId = '3edbf4fb-fe84-4e02-97a8-d9786fdc0642'; BindingHost = 'c01.example.com'; Id = '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'
        FixedIps = [OpenStackOps.Network.Ports.PortFixedIp[]]@([OpenStackOps.Network.Ports.PortFixedIp]::new('s4', '203.0.113.40'), [OpenStackOps.Network.Ports.PortFixedIp]::new('s6', '2001:db8::40')) }
    $essentials = @{
        # At 80 columns which nodes are disabled, why, and whether they are empty; at 120 their capacity too.
        'OpenStackOps.Compute.Nodes.ComputeNode'                 = @{ Needed = 'Host', 'Status', 'State', 'RunningVms', 'DisabledReason'; Wide = 'Host', 'Status', 'State', 'RunningVms', 'DisabledReason', 'vCPU', 'RAM(GiB)', 'Zone'; Shows = 'c01.example.com'
            # What Disable-ComputeNode -WhatIf -PassThru shows on a big hypervisor.
            Sample = @{ Status = 'disabled'; Planned = $true; Vcpus = 1000; VcpusUsed = 3; MemoryMb = 800000; MemoryMbUsed = 3584 } }
        # A server on a dual-stack network: at 80 columns its addresses still show; its long id comes last.
        'OpenStackOps.Compute.Servers.Server'                    = @{ Needed = 'Name', 'Status', 'Host', 'Addresses'; Wide = 'Name', 'Status', 'Host', 'Addresses', 'Flavor', 'TaskState', 'PowerState', 'Boot'; Shows = 'web-1'
            Sample = @{ Flavor = 'm1.large'; Addresses = [OpenStackOps.ReadableList[string]]::new([string[]]@('public=203.0.113.10', 'public=2001:db8::10')) } }
        'OpenStackOps.Maintenance.MigrationResult'               = @{ Needed = 'ServerName', 'Status', 'SourceHost', 'Destination', 'Message'; Shows = 'web-1' }
        # Invoke-NodeEvacuation's plan: at 80 columns what happens to each server's data, before Destination and Message.
        'OpenStackOps.Maintenance.MigrationResult#Evacuation'    = @{ Needed = 'ServerName', 'Status', 'DataFate', 'SourceHost'; Shows = 'web-1'
            Sample = @{ DataFate = 'LostRebuiltFromImage' } }
        'OpenStackOps.Volumes.VolumeAttachment'                  = @{ Needed = 'ServerName', 'Host', 'VolumeId', 'Device'; Shows = '/dev/vdb' }
        'OpenStackOps.Volumes.VolumeReattachResult'              = @{ Needed = 'ServerName', 'VolumeId', 'Status', 'Message'; Shows = '8d3a1f0e-5b6c-4c2d-9e7f-0a1b2c3d4e5f' }
        'OpenStackOps.Node.Ssh.NodeConnectionInfo'               = @{ Needed = 'Node', 'Address', 'UserName', 'HostKeyFingerprint'; Shows = 'c01.example.com' }
        'OpenStackOps.Node.Services.NodeServiceState'            = @{ Needed = 'Node', 'Service', 'State', 'Pinned', 'NovaState'; Shows = 'nova-compute' }
        'OpenStackOps.Node.Recovery.ServerRestartResult'         = @{ Needed = 'ServerName', 'Host', 'Status', 'Succeeded', 'Message'; Shows = 'web-1' }
        'OpenStackOps.Node.Disks.CopiedDiskItem'                 = @{ Needed = 'ServerName', 'GuestPath', 'Destination', 'Sha256'; Shows = 'guestpath' }
        # A server's port as Get-NetworkPort -IPAddress shows it (the server's name unknown): at 120 columns where it is
        # bound (BindingHost) still shows; the long ids (DeviceId, Id) come last.
        'OpenStackOps.Network.Ports.Port'                        = @{ Needed = 'Name', 'Status', 'IpAddresses', 'ServerName'; Wide = 'Name', 'Status', 'IpAddresses', 'ServerName', 'BindingHost', 'NetworkName', 'DeviceOwner'; Shows = 'web01.sys.example.com'
            Sample = $portSample }
        'OpenStackOps.Network.Recovery.AddressRecoveryResult'    = @{ Needed = 'IpAddress', 'PortName', 'Strategy'; Shows = '203.0.113.40' }
        # Test-ControlPlaneHealth: at 80 columns which component on which host is in which state.
        'OpenStackOps.Checks.ComponentHealth'                    = @{ Needed = 'Kind', 'Component', 'Host', 'State'; Shows = 'nova-conductor'
            Sample = @{ Kind = 'Service'; Component = 'nova-conductor'; Host = 'ctl01.example.com'; State = 'Up'; Evidence = 'nova reports it up; last heartbeat 2026-12-07 00:10:02Z' } }
        # Get-NodeCapacity: at 80 columns what each node can still take.
        'OpenStackOps.Placement.NodeCapacity'                    = @{ Needed = 'Host', 'VcpuFree', 'MemoryMbFree', 'DiskGbFree'; Shows = 'c01.example.com'
            Sample = @{ Host = 'c01.example.com'; Resources = [OpenStackOps.ReadableList[OpenStackOps.Placement.ResourceCapacity]]::new([OpenStackOps.Placement.ResourceCapacity[]]@(
                [OpenStackOps.Placement.ResourceCapacity]@{ ResourceClass = 'VCPU'; Total = 1000; AllocationRatio = 16; Used = 37 },
                [OpenStackOps.Placement.ResourceCapacity]@{ ResourceClass = 'MEMORY_MB'; Total = 800000; Reserved = 512; AllocationRatio = 1.5; Used = 18944 },
                [OpenStackOps.Placement.ResourceCapacity]@{ ResourceClass = 'DISK_GB'; Total = 600000; Used = 37 })) } }
        # Find-ServerProblem: at 80 columns what is wrong with which server where; the next step is in Format-List.
        'OpenStackOps.Checks.ServerProblem'                      = @{ Needed = 'Kind', 'ServerName', 'Host', 'Reason'; Shows = 'web-1'
            Sample = @{ ServerName = 'web-1'; Host = 'c01.example.com'; Reason = "nova's fault: No valid host was found. (code 500)" } }
        # The weekly usage report: at 80 columns which project's quota is how full, which image how used, which network how full.
        'OpenStackOps.Usage.ProjectQuotaUsage'                   = @{ Needed = 'ProjectName', 'Service', 'Resource', 'InUse', 'Limit', 'UsedPercent'; Shows = 'production-web'
            Sample = @{ ProjectName = 'production-web'; Service = 'compute'; Resource = 'cores'; Limit = 2000; InUse = 1843 } }
        'OpenStackOps.Usage.ImageUsage'                          = @{ Needed = 'Name', 'ServerCount', 'SizeGb', 'Visibility'; Shows = 'debian-12-genericcloud'
            Sample = @{ Name = 'debian-12-genericcloud'; SizeBytes = 2147483648; Visibility = 'public'; Status = 'active'; Owner = '83eea36a5df8473c86ca64388d43bbb2'; Id = 'b8bb8597-0a5b-495e-bca1-2ffb3912367b' } }
        'OpenStackOps.Usage.NetworkIpAvailability'               = @{ Needed = 'NetworkName', 'UsedPercent', 'FreeIpv4', 'UsedIps'; Shows = 'provider-public'
            Sample = @{ NetworkName = 'provider-public'; Subnets = [OpenStackOps.ReadableList[OpenStackOps.Usage.SubnetIpAvailability]]::new([OpenStackOps.Usage.SubnetIpAvailability[]]@(
                [OpenStackOps.Usage.SubnetIpAvailability]@{ Cidr = '203.0.113.0/24'; IpVersion = 4; TotalIps = 253; UsedIps = 240 },
                [OpenStackOps.Usage.SubnetIpAvailability]@{ Cidr = '2001:db8::/64'; IpVersion = 6; TotalIps = [decimal]'18446744073709551614'; UsedIps = 240 })) } }
        # Invoke-FleetMaintenance: at 80 columns how the run ended; the plan's waves and moves; a node's failure.
        'OpenStackOps.Maintenance.Fleet.FleetMaintenanceSummary' = @{ Needed = 'Status', 'NodesDone', 'NodesFailed', 'NodesLeft', 'ServersMoved'; Shows = 'CompletedWithFailures'
            Sample = @{ Status = 'CompletedWithFailures'; NodesDone = 48; NodesFailed = 2; NodesLeft = 2; ServersMoved = 987 } }
        'OpenStackOps.Maintenance.Fleet.FleetWave'               = @{ Needed = 'Number', 'Status', 'Nodes', 'ServerCount'; Shows = 'c01.example.com'
            Sample = @{ Nodes = [OpenStackOps.ReadableList[string]]::new([string[]]@('c01.example.com', 'c02.example.com', 'c03.example.com')) } }
        'OpenStackOps.Maintenance.Fleet.FleetMove'               = @{ Needed = 'Wave', 'ServerName', 'SourceHost', 'Destination', 'Placement'; Shows = 'web-1'
            Sample = @{ Placement = 'Scheduler'; Reason = 'left to the scheduler (asked); counted on c02.example.com' } }
        'OpenStackOps.Maintenance.Fleet.FleetNodeFailure'        = @{ Needed = 'Node', 'Step', 'ErrorId', 'LeftDisabled'; Shows = 'c01.example.com'
            Sample = @{ Node = 'c01.example.com'; Step = 'Maintenance'; ErrorId = 'FleetMaintenanceFailed'; LeftDisabled = $true } }
        'OpenStackOps.Node.Recovery.InstanceDirectoryCopyResult' = @{ Needed = 'ServerId', 'SourceNode', 'DestinationNode', 'Files'; Shows = 'destinationnode' }
    }
    $format = [xml](Get-Content -Raw (Join-Path $RepoRoot 'OpenStackOps.Format.ps1xml'))
    $views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        $type = $view.ViewSelectedBy.TypeName
        if ($view.TableControl) {
            $labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label)
            foreach ($width in 80, 120) {
                $needed = if ($width -eq 80) { $essentials[$type].Needed } elseif ($essentials[$type].Wide) { $essentials[$type].Wide } else { $labels }
                @{ Type = $type; Width = $width; Needed = $needed; Shows = $essentials[$type].Shows; Sample = $essentials[$type].Sample }
            }
        }
        else {
            $labels = @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { $_.Label } else { $_.PropertyName } })
            foreach ($width in 80, 120) { @{ Type = $type; Width = $width; Labels = $labels; Sample = $null } }
        }
    }
    $tables = @($views | Where-Object { $_.Needed })
    $lists = @($views | Where-Object { $_.Labels })

    # A table's column labels are what an operator types to Format-Table, Select-Object or Sort-Object, so each is a
    # property of the type. The only exceptions are these computed columns, whose values no single property holds.
    $computed = @{
        'vCPU'     = 'ComputeNode: VcpusUsed/Vcpus'
        'RAM(GiB)' = 'ComputeNode: MemoryMbUsed/MemoryMb, in GiB'
        'Boot'     = 'Server: volume or image, from BootFromVolume'
        'MiB'      = 'InstanceDirectoryCopyResult: Bytes, in MiB'
    }
    $columns = foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl }) {
        $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
        $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
        for ($i = 0; $i -lt $items.Count; $i++) {
            $label = if ($headers[$i].Label) { $headers[$i].Label } else { $items[$i].PropertyName }
            @{ Type = $view.ViewSelectedBy.TypeName; Label = $label; PropertyName = $items[$i].PropertyName; Computed = $computed.ContainsKey($label); Why = $computed[$label] }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'SampleObjects.ps1')
    $cloud = New-FakeCloud
    $session = Connect-FakeCloud $cloud -PassThru

    function Get-Sample([string] $TypeName, [hashtable] $Property) {
        if ($TypeName -eq 'OpenStackOps.Sessions.OpenStackSession') { return $session } # one that has connected
        # A view of a decorated type name (Type#Variant): an object of the type carrying that name first.
        $o = New-SampleObject (($TypeName -split '#')[0] -as [type]) -Property ($Property ?? @{})
        if ($TypeName -like '*#*') { $o.PSObject.TypeNames.Insert(0, $TypeName) }
        $o
    }
    function Get-Rendering($Object, [int] $Width) {
        @(($Object | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() })
    }
}

AfterAll {
    Disconnect-OpenStack
    $cloud.Dispose()
}

Describe 'Views' {
    It 'covers every view: <Count> table and list renderings' -TestCases @{ Count = $tables.Count + $lists.Count; Tables = $tables.Count } {
        $Count | Should -BeGreaterOrEqual 42   # 21 views x 2 widths
        $Tables | Should -BeGreaterOrEqual 32
    }

    It 'table <Type> at <Width> columns: <Needed> in one header line, one line per row' -TestCases $tables {
        $lines = Get-Rendering (Get-Sample $Type $Sample) $Width
        $shown = $lines -join "`n"
        $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' })
        $dashes | Should -BeGreaterThan 0 -Because "a table has a header:`n$shown"
        foreach ($label in $Needed) {
            $lines[0] | Should -Match "(^| )$([regex]::Escape($label))( |$)" -Because "an operator needs '$label' unbroken at $Width columns:`n$shown"
        }
        # PowerShell may wrap the header of a squeezed last column that is not needed; a row never wraps.
        $lines.Count | Should -Be ($dashes + 2) -Because "one object is one row:`n$shown"
        $lines[-1] | Should -Match ([regex]::Escape($Shows))
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual $Width
    }

    It 'list <Type> at <Width> columns shows <Labels>' -TestCases $lists {
        $lines = Get-Rendering (Get-Sample $Type) $Width
        foreach ($label in $Labels) {
            ($lines -match "^$([regex]::Escape($label)) *: ").Count | Should -Be 1 -Because "'$label' is in the view"
        }
    }

    It 'table <Type>: Format-Table <Label> names a property of the type' -TestCases @($columns | Where-Object { -not $_.Computed }) {
        $properties = @((($Type -split '#')[0] -as [type]).GetProperties() | ForEach-Object Name)
        $properties -ccontains $Label | Should -BeTrue -Because "the column '$Label' of $Type must be what Format-Table $Label shows"
        if ($PropertyName) { $PropertyName | Should -BeExactly $Label -Because 'a property column is labelled with its own name' }
        $text = Get-Sample $Type | Format-Table -Property $Label | Out-String -Width 200
        ($text -split "`r?`n" | Where-Object { $_.Trim() })[0].Trim() | Should -BeExactly $Label
    }

    It 'table <Type>: the computed column <Label> is documented and shows a value' -TestCases @($columns | Where-Object Computed) {
        $Why | Should -Match "^$([regex]::Escape(($Type -split '#')[0].Split('.')[-1])):"
        $lines = Get-Rendering (Get-Sample $Type) 200
        $lines[0] | Should -Match "(^| )$([regex]::Escape($Label))( |$)"
    }

    It 'the allow-list of computed columns names only columns that exist' -TestCases @{ Allowed = @($computed.Keys); Labels = @($columns.Label) } {
        foreach ($label in $Allowed) { $Labels | Should -Contain $label }
    }

    It 'move results: Format-Table ServerName, Status, SourceHost, Destination shows every value' {
        $result = Get-Sample 'OpenStackOps.Maintenance.MigrationResult' @{ FinalHost = $null; RequestedDestination = 'c03.example.com' }
        $row = @(Get-Rendering ($result | Format-Table ServerName, Status, SourceHost, Destination) 120)[-1]
        $row | Should -Match '^web-1 +\S+ +c01\.example\.com +c03\.example\.com$'
    }

    It 'a move''s Destination is where the server went, else where it was sent, else (scheduler): never a trailing ?' {
        $sent = Get-Sample 'OpenStackOps.Maintenance.MigrationResult' @{ FinalHost = $null; RequestedDestination = 'c03.example.com' }
        $sent.Destination | Should -Be 'c03.example.com'
        $text = $sent | Out-String -Width 120
        $text | Should -Match 'c03\.example\.com'
        $text | Should -Not -Match 'c03\.example\.com\?'
        $moved = Get-Sample 'OpenStackOps.Maintenance.MigrationResult' @{ FinalHost = 'c02.example.com'; RequestedDestination = $null }
        $moved.Destination | Should -Be 'c02.example.com'
        $scheduler = Get-Sample 'OpenStackOps.Maintenance.MigrationResult#Evacuation' @{ FinalHost = $null; RequestedDestination = $null }
        $scheduler.Destination | Should -BeNullOrEmpty
        $scheduler | Out-String -Width 120 | Should -Match '\(scheduler\)'
    }

    It 'the <Type> table shows its long id last' -TestCases @(foreach ($type in 'OpenStackOps.Compute.Servers.Server', 'OpenStackOps.Network.Ports.Port') {
            @{ Type = $type; Labels = @($columns | Where-Object Type -eq $type | ForEach-Object Label) } }) {
        $Labels[-1] | Should -Be 'Id' -Because "the id is the widest column, and an operator reads the name first"
    }

    It 'Get-NetworkPort -Server shows the server''s name in the port table, at no extra call' {
        $server = Get-NodeServer c01 | Where-Object Name -eq 'web-1'
        $null = $cloud.AddPort('web01.sys.example.com', '203.0.113.40', $server.Id, 'compute:nova')
        $before = @(Get-FakeCloudRequest $cloud).Count
        $port = Get-NetworkPort -Server $server
        $calls = @(Get-FakeCloudRequest $cloud | Select-Object -Skip $before)
        $port.ServerName | Should -Be 'web-1'
        $calls -match '/compute/' | Should -BeNullOrEmpty -Because 'the server was known already: no lookup per port'
        (Get-Rendering $port 120)[-1] | Should -Match '^web01\.sys\.example\.com +\S+ +203\.0\.113\.40 +web-1 '
        # Found by its address, the port's server is not known: its DeviceOwner and DeviceId show apart, the ids last.
        $byAddress = Get-NetworkPort -IPAddress 203.0.113.40
        $byAddress.ServerName | Should -BeNullOrEmpty
        $lines = Get-Rendering $byAddress 200
        $lines[0] | Should -Match 'DeviceOwner +DeviceId +Id$'
        $lines[-1] | Should -Match "compute:nova +$($server.Id) +$($byAddress.Id)$"
    }

    It 'the session view shows who is connected where and no secret' {
        $text = $session | Out-String -Width 120
        $text | Should -Match "AuthUrl +: $([regex]::Escape($cloud.AuthUrl))"
        $text | Should -Match 'ProjectName +: admin'
        $text | Should -Not -Match ([regex]::Escape([OpenStackOps.Testing.FakeCloud]::Password))
        $text | Should -Not -Match 'fake-token-'
    }
}
