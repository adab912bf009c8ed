# Every view in OpenStackOps.Format.ps1xml, rendered as an operator's console would at 80 and 120 columns:
# the columns an operator needs are there with unbroken headers, and a row stays on one line. (At 80 columns
# PowerShell drops the trailing columns that do not fit, or squeezes the last one: those must not be needed ones.)
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # What an operator must see even on an 80-column terminal, and a value the row must show.
    $essentials = @{
        'OpenStackOps.Compute.Nodes.ComputeNode'                 = @{ Needed = 'Host', 'Status', 'State', 'VMs', 'vCPU', 'RAM(GiB)', 'Reason'; Shows = 'c01.example.com'
            # What Disable-ComputeNode -WhatIf -PassThru shows on a big hypervisor.
            Sample = @{ Status = 'disabled'; Planned = $true; Vcpus = 1000; VcpusUsed = 3; MemoryMb = 800000; MemoryMbUsed = 3584 } }
        'OpenStackOps.Compute.Servers.Server'                    = @{ Needed = 'Name', 'Id', 'Status', 'Host'; Shows = 'web-1' }
        'OpenStackOps.Maintenance.MigrationResult'               = @{ Needed = 'Server', 'Status', 'Source', 'Destination', 'Message'; Shows = 'web-1' }
        # Invoke-NodeEvacuation's plan: at 80 columns what happens to each server's data, before Destination and Message.
        'OpenStackOps.Maintenance.MigrationResult#Evacuation'    = @{ Needed = 'Server', 'Status', 'DataFate', 'Source'; Shows = 'web-1'
            Sample = @{ DataFate = 'LostRebuiltFromImage' } }
        'OpenStackOps.Volumes.VolumeAttachment'                  = @{ Needed = 'Server', 'Host', 'Volume', 'Device'; Shows = '/dev/vdb' }
        'OpenStackOps.Volumes.VolumeReattachResult'              = @{ Needed = 'Server', 'Volume', 'Status', 'Message'; Shows = '8d3a1f0e-5b6c-4c2d-9e7f-0a1b2c3d4e5f' }
        'OpenStackOps.Node.Ssh.NodeConnectionInfo'               = @{ Needed = 'Node', 'Address', 'User', 'HostKey'; Shows = 'c01.example.com' }
        'OpenStackOps.Node.Services.NodeServiceState'            = @{ Needed = 'Node', 'Service', 'State', 'Pinned', 'Nova'; Shows = 'nova-compute' }
        'OpenStackOps.Node.Recovery.ServerRestartResult'         = @{ Needed = 'Server', 'Host', 'Status', 'OK', 'Message'; Shows = 'web-1' }
        'OpenStackOps.Node.Disks.CopiedDiskItem'                 = @{ Needed = 'Server', 'GuestPath', 'Destination', 'Sha256'; Shows = 'guestpath' }
        'OpenStackOps.Network.Ports.Port'                        = @{ Needed = 'Name', 'Id', 'Addresses', 'Status'; Shows = 'web-1' }
        'OpenStackOps.Network.Recovery.AddressRecoveryResult'    = @{ Needed = 'IPAddress', 'Port', 'Strategy'; Shows = '203.0.113.40' }
        'OpenStackOps.Node.Recovery.InstanceDirectoryCopyResult' = @{ Needed = 'Server', 'From', 'To', 'Files'; Shows = 'destinationnode' }
    }
    $format = [xml](Get-Content -Raw (Join-Path $RepoRoot 'OpenStackOps.Format.ps1xml'))
    $views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        $type = $view.ViewSelectedBy.TypeName
        if ($view.TableControl) {
            $labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label)
            foreach ($width in 80, 120) {
                $needed = if ($width -eq 120) { $labels } else { $essentials[$type].Needed }
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
        $Count | Should -BeGreaterOrEqual 36   # 18 views x 2 widths
        $Tables | Should -BeGreaterOrEqual 26
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

    It 'the session view shows who is connected where and no secret' {
        $text = $session | Out-String -Width 120
        $text | Should -Match "AuthUrl +: $([regex]::Escape($cloud.AuthUrl))"
        $text | Should -Match 'ProjectName +: admin'
        $text | Should -Not -Match ([regex]::Escape([OpenStackOps.Testing.FakeCloud]::Password))
        $text | Should -Not -Match 'fake-token-'
    }
}
