<#
.SYNOPSIS
    The operations guide's planned maintenance of a compute node: disable it with a reason, drain it by live
    migration, check it is empty, do the maintenance, re-enable it and move the servers back.

.DESCRIPTION
    Every step writes an OpenStackOps.MaintenanceStep object (Step, Target, Status, Items) so a scheduled job or a
    Pester test can see exactly what happened, or, with -WhatIf, what would happen: under -WhatIf nothing changes
    and the steps carry the cmdlets' own plans (the planned node state and one planned migration per server).

    The maintenance itself is yours: pass it as -Maintenance (a script block that gets the node's name), or run the
    procedure in two halves, -Phase Drain now and -Phase Return after the work, with -StatePath keeping the drain's
    results in between (Export-Clixml; the results know each server's original host).

    Stops before the maintenance when the node is not empty (a server skipped or failed to move), leaving the
    node disabled and saying which servers are left: a half-drained node must not be rebooted by a script.

.EXAMPLE
    ./examples/Invoke-PlannedMaintenance.ps1 -Node c01 -Reason 'CHG-1234 kernel update' -WhatIf

    Shows the whole plan: the node that would be disabled and every server that would move. Changes nothing.

.EXAMPLE
    ./examples/Invoke-PlannedMaintenance.ps1 -Node c01 -Reason 'CHG-1234' -Destination c02 -Maintenance {
        param($node) Read-Host "Patch and reboot $node, then press Enter"
    } -MoveBack

.EXAMPLE
    ./examples/Invoke-PlannedMaintenance.ps1 -Node c01 -Reason 'CHG-1234' -Phase Drain -StatePath ./c01-drain.xml
    # ... maintenance window ...
    ./examples/Invoke-PlannedMaintenance.ps1 -Node c01 -Phase Return -StatePath ./c01-drain.xml
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
param(
    [Parameter(Mandatory = $true)] [string] $Node,
    # Why the node is disabled: nova shows it to every operator (required for Drain and All).
    [string] $Reason,
    # Where the servers go; by default the scheduler chooses.
    [string] $Destination,
    [ValidateSet('All', 'Drain', 'Return')] [string] $Phase = 'All',
    [scriptblock] $Maintenance,
    # Move the servers back to the node after re-enabling it (always done by -Phase Return).
    [switch] $MoveBack,
    [string] $StatePath,
    [int] $ThrottleLimit = 1,
    [int] $TimeoutSeconds = 1800,
    # Also cold-migrate (and confirm) servers that are shut off, instead of leaving them on the node.
    [switch] $ColdMigrateStopped
)
$ErrorActionPreference = 'Stop'
$whatIf = [bool]$WhatIfPreference
# -WhatIf and -Confirm go to every changing cmdlet explicitly (a Mock in a runbook test sees them): -WhatIf always,
# -Confirm / -Confirm:$false when this script was given it (otherwise $ConfirmPreference decides, as it would).
$safety = @{ WhatIf = $whatIf }
if ($PSBoundParameters.ContainsKey('Confirm')) { $safety.Confirm = [bool]$PSBoundParameters['Confirm'] }

function New-MaintenanceStep([string] $name, [string] $status, $items) {
    [pscustomobject]@{ PSTypeName = 'OpenStackOps.MaintenanceStep'; Step = $name; Target = $Node; Status = $status; Items = @($items) }
}

if ($Phase -ne 'Return' -and -not $Reason) { throw "Give -Reason: nova records why $Node is disabled, and other operators read it." }
if ($Phase -eq 'All' -and -not $Maintenance -and -not $whatIf) {
    throw "Give -Maintenance { param(`$node) ... } for the work to do, or run -Phase Drain now and -Phase Return afterwards."
}
if ($Phase -eq 'Return' -and -not $StatePath) { throw "-Phase Return needs the -StatePath the drain wrote." }

$computeNode = Get-ComputeNode $Node    # fails here, before any change, for an unknown or ambiguous name
$drain = @()

if ($Phase -ne 'Return') {
    # 1. No new servers land here. Idempotent: a node already disabled keeps its (first) reason.
    $disabled = $computeNode | Disable-ComputeNode -Reason $Reason -PassThru @safety
    New-MaintenanceStep 'Disable' $(if ($whatIf) { 'Planned' } else { 'Done' }) $disabled

    # 2. Every server of the node, across all projects, moved one result per server.
    $servers = @(Get-NodeServer $computeNode.Host)
    $move = @{ ThrottleLimit = $ThrottleLimit; TimeoutSeconds = $TimeoutSeconds; PassThru = $true; ColdMigrateStopped = $ColdMigrateStopped }
    if ($Destination) { $move.Destination = $Destination }
    $drain = @(if ($servers.Count) { $servers | Move-ServerLive @move @safety -ErrorAction Continue })
    New-MaintenanceStep 'Drain' $(if ($whatIf) { 'Planned' } else { 'Done' }) $drain
    if ($StatePath -and -not $whatIf) { $drain | Export-Clixml -Path $StatePath }

    # 3. Verify: nothing may be left before anyone reboots the node.
    if (-not $whatIf) {
        $left = @(Get-NodeServer $computeNode.Host)
        if ($left.Count) {
            New-MaintenanceStep 'Verify' 'NotEmpty' $left
            throw "$($computeNode.Host) still holds $($left.Count) server(s): $(($left | ForEach-Object { "$($_.Name) ($($_.Status))" }) -join ', '). " +
                  "It stays disabled. Move or stop them (see the Drain step's results), then run the drain again: it only moves what is left."
        }
        New-MaintenanceStep 'Verify' 'Empty' @()
    }
}

if ($Phase -eq 'All' -and $Maintenance) {
    if ($PSCmdlet.ShouldProcess($computeNode.Host, 'Run the maintenance script block')) {
        & $Maintenance $computeNode.Host
        New-MaintenanceStep 'Maintenance' 'Done' @()
    } else {
        New-MaintenanceStep 'Maintenance' 'Planned' @()
    }
}

if ($Phase -ne 'Drain') {
    # 4. Back in service; nova-compute must be up again after the work, or the node stays out.
    $enabled = Get-ComputeNode $computeNode.Host | Enable-ComputeNode -PassThru @safety
    New-MaintenanceStep 'Enable' $(if ($whatIf) { 'Planned' } else { 'Done' }) $enabled

    # 5. Optionally the servers come home: each result knows its original host.
    if ($Phase -eq 'Return' -or $MoveBack) {
        # Only what really moved goes back: the drain's Completed (and ColdMigrated) results, read back from the
        # state file in the Return phase. Status is text, so it survives Export-Clixml/Import-Clixml.
        # A -WhatIf run of the whole procedure drained nothing: its MoveBack is the drain plan itself.
        if ($Phase -eq 'Return') { $drain = @(Import-Clixml -Path $StatePath) }
        if ($whatIf -and $Phase -ne 'Return') {
            New-MaintenanceStep 'MoveBack' 'Planned' @($drain | Where-Object Status -eq 'Planned')
        } else {
            $moved = @($drain | Where-Object Status -in 'Completed', 'ColdMigrated')
            $back = @(if ($moved.Count) {
                $moved | Move-ServerLive -ThrottleLimit $ThrottleLimit -TimeoutSeconds $TimeoutSeconds -ColdMigrateStopped:$ColdMigrateStopped -PassThru @safety -ErrorAction Continue
            })
            New-MaintenanceStep 'MoveBack' $(if ($whatIf) { 'Planned' } else { 'Done' }) $back
        }
    }
}
