<#
.SYNOPSIS
    The guide's "Handling a Complete Failure": bring the cloud back layer by layer in its priority order, checking
    each layer before the next and stopping at the first broken one with what to do.

.DESCRIPTION
    The order is the guide's: 1. the database and the message queue, 2. identity (keystone), 3. the schedulers
    (nova-conductor, nova-scheduler, placement, cinder-scheduler), 4. the image service (glance), 5. the compute and
    volume hosts (nova-compute, cinder-volume, neutron's agents), 6. the APIs (nova, neutron, cinder, swift). Each
    layer is judged from Test-ControlPlaneHealth's components (the APIs answering an authenticated call, the services
    and agents as they report themselves, the database and the queue as those answers prove them). Then, with nova
    back, 7. nova's hypervisors and its database must agree (each compute node's running_vms against the servers
    nova lists on it; no server on a node nova sees down), and 8. the user servers: Find-ServerProblem's findings.

    A layer that is broken stops the run: its step says which components, with their evidence, and what to do, and
    the runbook writes an error (CloudRestoreLayerDown), so a scheduled run exits non-zero. With -StartService (your
    hook: it starts the broken components of a layer, e.g. systemctl over SSH on the controllers) the runbook starts
    them, asking first (ShouldProcess, ConfirmImpact Medium), and waits up to -WaitSeconds for the layer to come up
    before it goes on. Under -WhatIf it checks everything it can and starts nothing: a broken layer's step is
    WouldStart and the run stops there, since nothing after it can be judged.

    Output: one OpenStackOps.RestoreStep per step (Order, Layer, Status, Components, Evidence, NextStep). Status:
    Up, Started, Absent (nothing of that layer in this cloud), Down, WouldStart, Agree, Disagree, Attention.

.EXAMPLE
    ./examples/Restore-CloudAfterCompleteFailure.ps1 -WhatIf
    Checks every layer in order and says where the cloud stands; changes nothing.

.EXAMPLE
    $start = { param($layer, $broken) foreach ($c in $broken) { ssh ctl01 sudo systemctl start $c.Component } }
    ./examples/Restore-CloudAfterCompleteFailure.ps1 -StartService $start -Confirm:$false
    Starts each broken layer's services on the controller as it meets them, and goes on once the layer is up.
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
param(
    # Starts the broken components of one layer: param([string] $Layer, [OpenStackOps.Checks.ComponentHealth[]] $Broken).
    [scriptblock] $StartService,
    # How long a started layer may take to report up (nova's services report every 10 s and count as down after 60 s).
    [int] $WaitSeconds = 120,
    [int] $IntervalSeconds = 10
)
# A broken layer is a non-terminating error (the runbook's own preference is Stop), unless the caller asked otherwise.
$layerErrorAction = if ($PSBoundParameters.ContainsKey('ErrorAction')) { $PSBoundParameters['ErrorAction'] } else { 'Continue' }
$ErrorActionPreference = 'Stop'

$layers = @(
    @{ Order = 1; Layer = 'Database and message queue'; Match = { $_.Kind -in 'Database', 'MessageQueue' }
        Todo = 'Start the database (mariadb/galera) and the message queue (rabbitmq-server) on the controllers first, and check them where they run (mysql -e "SELECT 1"; rabbitmqctl cluster_status): nothing else works without them.' }
    @{ Order = 2; Layer = 'Identity'; Match = { $_.Kind -eq 'Api' -and $_.Component -eq 'keystone' }
        Todo = 'Start keystone (its apache2/uwsgi unit) and check that it issues a token (openstack token issue).' }
    @{ Order = 3; Layer = 'Schedulers'; Match = { ($_.Kind -eq 'Service' -and $_.Component -in 'nova-conductor', 'nova-scheduler', 'cinder-scheduler') -or ($_.Kind -eq 'Api' -and $_.Component -eq 'placement-api') }
        Todo = 'Start nova-conductor, nova-scheduler, placement and cinder-scheduler on the controllers (systemctl start ...); nova reports them up within a minute.' }
    @{ Order = 4; Layer = 'Image'; Match = { $_.Kind -eq 'Api' -and $_.Component -eq 'glance-api' }
        Todo = 'Start glance-api and check its store (the images'' backend) is mounted or reachable.' }
    @{ Order = 5; Layer = 'Compute and volume hosts'; Match = { ($_.Kind -eq 'Service' -and $_.Component -in 'nova-compute', 'cinder-volume') -or $_.Kind -eq 'Agent' }
        Todo = 'Start nova-compute on each compute node named (Start-NodeComputeService <node>; one that does not come back: Invoke-NodeEvacuation <node> -ForceDown -Fenced after fencing it), cinder-volume on the storage hosts and the neutron agents on theirs.' }
    @{ Order = 6; Layer = 'APIs'; Match = { $_.Kind -eq 'Api' -and $_.Component -in 'nova-api', 'neutron-server', 'cinder-api', 'swift-proxy' }
        Todo = 'Start the APIs named (nova-api, neutron-server, cinder-api, swift-proxy) and check their logs for the request id in the evidence.' }
)

function New-Step([int] $Order, [string] $Layer, [string] $Status, $Components, [string] $Evidence, [string] $NextStep) {
    [pscustomobject]@{ PSTypeName = 'OpenStackOps.RestoreStep'; Order = $Order; Layer = $Layer; Status = $Status
        Components = @($Components); Evidence = $Evidence; NextStep = $NextStep }
}
function Get-LayerComponent($layer) { @(Test-ControlPlaneHealth | Where-Object $layer.Match) }
function Get-Text($components) { ($components | ForEach-Object { "$($_.Component)@$($_.Host): $($_.State) ($($_.Evidence))" }) -join '; ' }
function Stop-Run($step) {
    $step
    Write-Error -Message "$($step.Layer) is $($step.Status): $($step.NextStep)" -ErrorId 'CloudRestoreLayerDown' -Category ResourceUnavailable -TargetObject $step.Layer -ErrorAction $layerErrorAction
}

foreach ($layer in $layers) {
    $components = Get-LayerComponent $layer
    if ($components.Count -eq 0) {
        New-Step $layer.Order $layer.Layer 'Absent' @() 'nothing of this layer in the catalog or the service lists' $null
        continue
    }
    $broken = @($components | Where-Object { -not $_.IsHealthy })
    if ($broken.Count -eq 0) {
        New-Step $layer.Order $layer.Layer 'Up' ($components | ForEach-Object { "$($_.Component)@$($_.Host)" }) "all $($components.Count) up" $null
        continue
    }
    $names = ($broken | ForEach-Object { "$($_.Component)@$($_.Host)" }) -join ', '
    $todo = $layer.Todo
    if ($broken | Where-Object State -eq 'Unknown') { $todo += ' A component in state Unknown could not be judged from the APIs (see its evidence): check it where it runs.' }
    if (-not $StartService) {
        Stop-Run (New-Step $layer.Order $layer.Layer 'Down' $broken.Component (Get-Text $broken) $todo)
        return
    }
    if (-not $PSCmdlet.ShouldProcess($names, "Start the $($layer.Layer) layer's broken components")) {
        Stop-Run (New-Step $layer.Order $layer.Layer 'WouldStart' $broken.Component (Get-Text $broken) "Would call -StartService for $names, then check the layer again; nothing after it can be judged until then.")
        return
    }
    & $StartService $layer.Layer $broken
    $waited = 0
    do {
        Start-Sleep -Seconds $IntervalSeconds
        $waited += $IntervalSeconds
        $components = Get-LayerComponent $layer
        $broken = @($components | Where-Object { -not $_.IsHealthy })
    } while ($broken.Count -gt 0 -and $waited -lt $WaitSeconds)
    if ($broken.Count -gt 0) {
        Stop-Run (New-Step $layer.Order $layer.Layer 'Down' $broken.Component (Get-Text $broken) "Still down $WaitSeconds s after -StartService. $todo")
        return
    }
    New-Step $layer.Order $layer.Layer 'Started' ($components | ForEach-Object { "$($_.Component)@$($_.Host)" }) "started ($names) and up after $waited s" $null
}

# 7. nova is back: its hypervisors and its database must tell the same story.
$disagree = foreach ($node in Get-ComputeNode) {
    $listed = @(Get-NodeServer $node.Host).Count
    if ($node.State -eq 'down' -and $listed -gt 0) { "$($node.Host): nova sees it down with $listed server(s) on it" }
    elseif ($null -ne $node.RunningVms -and $node.RunningVms -ne $listed) { "$($node.Host): its hypervisor reports $($node.RunningVms) running, nova's database lists $listed" }
}
if ($disagree) {
    Stop-Run (New-Step 7 'Hypervisors and database' 'Disagree' @() (@($disagree) -join '; ') 'Wait a minute for the resource trackers to report (nova-compute updates its hypervisor every minute), then run again; a node still disagreeing: compare virsh list --all on it with Get-NodeServer <node>, and a node down with servers: Invoke-NodeEvacuation.')
    return
}
New-Step 7 'Hypervisors and database' 'Agree' @() 'every compute node''s hypervisor count matches the servers nova lists on it' $null

# 8. The user servers.
$problems = @(Find-ServerProblem)
if ($problems.Count -eq 0) {
    New-Step 8 'User servers' 'Up' @() 'Find-ServerProblem found nothing' $null
}
else {
    $kinds = ($problems | Group-Object Kind | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
    New-Step 8 'User servers' 'Attention' @($problems.ServerName) "Find-ServerProblem: $kinds" 'Find-ServerProblem | Format-List: each problem has its next step (servers shut off by the outage: openstack server start, or Restart-NodeServer on their node).'
}
