<#
.SYNOPSIS
    A scheduled job's rolling maintenance of one availability zone: chooses the nodes, runs Invoke-FleetMaintenance
    with a state file and a run record per change, and ends with an exit code a scheduler understands.

.DESCRIPTION
    The decisions around the fleet run, kept in a script so they can be tested (tests/Pester/Runbooks.FleetMaintenance.Tests.ps1):
    - nodes of -Zone that are enabled and up are taken; nodes this change already disabled (same reason) are taken again
      (a resumed run finishes them); nodes disabled by someone else, or down, are left alone and named in a warning;
    - the state file and the run record live in -StateDirectory, named after -Change, so the timer's next run resumes
      the same change and a new change starts fresh;
    - exit code 0 when the run completed (or paused after a drain with -StopAfterDrain), 1 when some nodes failed and the
      run went on, 2 when it stopped; the summary object is written before exiting.

.EXAMPLE
    ./examples/Start-FleetMaintenanceJob.ps1 -Zone az1 -Change CHG-1234 -MaxNodesOut 3 -StateDirectory /var/lib/osops -MaintenanceScript { param($n) ./patch-node.ps1 $n }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $Zone,
    # The change ticket: the reason nova shows on each node, and the name of the state and record files.
    [Parameter(Mandatory = $true)] [ValidatePattern('^[A-Za-z0-9._-]+$')] [string] $Change,
    [int] $MaxNodesOut = 1,
    [Parameter(Mandatory = $true)] [string] $StateDirectory,
    [scriptblock] $MaintenanceScript,
    [switch] $StopAfterDrain,
    [ValidateSet('Stop', 'Continue')] [string] $OnNodeFailure = 'Continue'
)
$ErrorActionPreference = 'Stop'
$reason = "fleet maintenance $Change"
$nodes = @(Get-ComputeNode | Where-Object Zone -eq $Zone)
$mine = @($nodes | Where-Object { ($_.Status -eq 'enabled' -and $_.State -eq 'up') -or ($_.Status -eq 'disabled' -and $_.DisabledReason -eq $reason) })
$others = @($nodes | Where-Object { $_ -notin $mine })
if ($others.Count) {
    Write-Warning "Left alone: $(($others | ForEach-Object { "$($_.Host) ($($_.Status), $($_.State)$(if ($_.DisabledReason) { ": $($_.DisabledReason)" }))" }) -join '; ')"
}
if (-not $mine.Count) { Write-Warning "No node of zone $Zone to maintain."; exit 0 }

$run = @{
    Reason = $reason; MaxNodesOut = $MaxNodesOut; OnNodeFailure = $OnNodeFailure; Confirm = $false
    StatePath = Join-Path $StateDirectory "$Change.json"; RecordPath = Join-Path $StateDirectory "$Change.jsonl"
}
if ($MaintenanceScript) { $run.MaintenanceScript = $MaintenanceScript }
if ($StopAfterDrain) { $run.StopAfterDrain = $true }
$summary = Invoke-FleetMaintenance -ComputeNode $mine.Host @run -ErrorAction Continue
$summary
exit $(switch ($summary.Status) { 'Completed' { 0 } 'Paused' { 0 } 'CompletedWithFailures' { 1 } default { 2 } })
