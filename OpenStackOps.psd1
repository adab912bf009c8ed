@{
    # The module version lives here and only here: Directory.Build.props reads it for the assemblies.
    ModuleVersion        = '0.1.0'
    RootModule           = 'OpenStackOps.dll'
    GUID                 = '5d2ef3db-de20-4e7f-a317-047c0c81efda'
    Author               = 'OpenStackOps contributors'
    CompanyName          = 'OpenStackOps'
    Copyright            = '(c) OpenStackOps contributors. Apache-2.0.'
    Description          = 'Compute node maintenance and failure recovery for OpenStack clouds: drain, evacuate, inspect and recover, as typed, pipeline-friendly cmdlets.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('OpenStackOps.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-OpenStack'
        'Disconnect-OpenStack'
        'Get-OpenStackSession'
        'Get-ComputeNode'
        'Disable-ComputeNode'
        'Enable-ComputeNode'
        'Get-NodeServer'
        'Find-ServerProblem'
        'Get-NodeCapacity'
        'Test-ControlPlaneHealth'
        # the weekly usage report
        'Get-ProjectQuotaUsage'
        'Get-ImageUsage'
        'Get-LargestServer'
        'Get-NetworkIpAvailability'
        'Move-ServerLive'
        'Invoke-NodeEvacuation'
        'Invoke-FleetMaintenance'
        'Get-NodeVolumeAttachment'
        'Restore-VolumeAttachment'
        'Move-ServerDatabaseRecord'
        'Restore-ServerDatabaseRecord'
        # node cmdlets (SSH)
        'Connect-ComputeNode'
        'Disconnect-ComputeNode'
        'Get-ComputeNodeConnection'
        'Stop-NodeComputeService'
        'Start-NodeComputeService'
        'Restart-NodeComputeService'
        'Test-ComputeNodeHealth'
        'Restart-NodeServer'
        'Mount-InstanceDisk'
        'Dismount-InstanceDisk'
        'Copy-InstanceDiskItem'
        'Copy-InstanceDirectory'
        # logs on the controller and the nodes (SSH)
        'Find-RequestTrace'
        'Get-ServiceLog'
        # Swift storage nodes (SSH)
        'Repair-SwiftDisk'
        # ports as public addresses
        'New-ReusablePort'
        'Get-NetworkPort'
        'Disconnect-NetworkPort'
        'Connect-NetworkPort'
        'Restore-PortAddress'
        # Swift rings (SSH)
        'Get-SwiftRing'
        'Remove-SwiftStorageNode'
        'Restore-SwiftStorageNode'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('OpenStack', 'Nova', 'Neutron', 'Cinder', 'Placement', 'Swift', 'Operations', 'Maintenance', 'Evacuation', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux')
            ProjectUri   = 'https://github.com/openstackops/openstackops'
            LicenseUri   = 'https://github.com/openstackops/openstackops/blob/main/LICENSE'
            ReleaseNotes = 'The OpenStack Operations Guide maintenance chapter as cmdlets. Compute nodes: sessions, nodes, live-migration drains, evacuation with fencing, the journaled database path, node SSH (nova-compute control, health, instance disks and directories), volumes, reusable ports and address recovery; rolling fleet maintenance with capacity and server-group checks, resumable. Control plane and daily checks: API and service health, controller units over SSH, Find-ServerProblem, request traces through the logs, capacity and usage reports, a complete-failure restore runbook. Swift: failed disks, storage nodes out of and back into the rings. Results export as text; tab completion; about_OpenStackOps help topics.'
        }
    }
}
