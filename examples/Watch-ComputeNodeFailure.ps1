<#
.SYNOPSIS
    Automatic evacuation as the availability blog describes it: an external monitor that watches nova-compute,
    confirms a failure, fences the node, and only then evacuates it.

.DESCRIPTION
    Meant for a scheduled job (every minute, say). One pass:
      1. Get-ComputeNode: nodes whose nova-compute nova reports down. A node that is also forced down was fenced
         and evacuated by an earlier pass (or an operator): it is left alone, with a decision that says so and how
         many servers are still on it, until an operator lifts the mark with Enable-ComputeNode -ClearForcedDown
         after the repair. So a node an engineer is repairing is never fenced a second time.
      2. Confirm: the node must stay down for -ConfirmChecks consecutive checks, -IntervalSeconds apart, and the
         -Probe (by default a TCP connection to the node's SSH port) must fail too. A node that answers is not
         evacuated: nova-compute may just have crashed while the guests still run.
      3. Fence: call the -Fence hook (power off through IPMI/Redfish, cut its storage...). It must return $true;
         without a successful fence nothing is evacuated, because two copies of a server writing to the same
         volumes is worse than an outage.
      4. Invoke-NodeEvacuation -ForceDown -Fenced for the node, ThrottleLimit servers at a time. It marks the node
         forced down before it evacuates anything: that mark is what the next pass reads.
    Every decision is written as an OpenStackOps.FailureDecision object (Node, State, Checks, ProbeAnswered,
    Fenced, Action, Reason), followed by the evacuation results. -WhatIf runs the checks and the probe but neither
    fences nor evacuates, and shows the evacuation plan.

    As a scheduled job (examples/Invoke-ScheduledRunbook.ps1, pwsh -NonInteractive) it needs -Confirm:$false: without
    it the pass fails at once (ConfirmationImpossibleNonInteractive) instead of after the checks.

.EXAMPLE
    ./examples/Watch-ComputeNodeFailure.ps1 -Fence { param($node) & /usr/local/bin/ipmi-off $node; $LASTEXITCODE -eq 0 } -WhatIf

.EXAMPLE
    ./examples/Watch-ComputeNodeFailure.ps1 -ConfirmChecks 3 -IntervalSeconds 20 -Fence ${function:Invoke-MyFence} -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    # Returns $true only when the node is powered off or isolated.
    [Parameter(Mandatory = $true)] [scriptblock] $Fence,
    # Returns $true when the node still answers; default: a TCP connection to port 22 within 3 s.
    [scriptblock] $Probe = {
        param($node)
        $tcp = [System.Net.Sockets.TcpClient]::new()
        try { $tcp.ConnectAsync($node, 22).Wait(3000) -and $tcp.Connected } catch { $false } finally { $tcp.Dispose() }
    },
    [int] $ConfirmChecks = 3,
    [int] $IntervalSeconds = 20,
    [string] $Destination,
    [int] $ThrottleLimit = 3,
    [switch] $SharedInstanceStorage
)
$ErrorActionPreference = 'Stop'
# This script is ConfirmImpact High, so under the default $ConfirmPreference it asks before it fences. A scheduled
# pass (pwsh -NonInteractive) cannot answer: pwsh would fail only at the fence, after the checks. Fail now instead.
if (-not $WhatIfPreference -and $ConfirmPreference -ne 'None' -and ([Environment]::GetCommandLineArgs() -match '^-(noni|noninteractive)$')) {
    $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
        [System.Management.Automation.PSInvalidOperationException]::new(
            'Watch-ComputeNodeFailure fences and evacuates (ConfirmImpact High) and this pwsh is -NonInteractive, so it cannot ask: pass -Confirm:$false to act, or -WhatIf to plan.'),
        'ConfirmationImpossibleNonInteractive', 'InvalidOperation', $null))
}

function New-Decision($node, $state, $checks, $answered, $fenced, $action, $reason) {
    [pscustomobject]@{ PSTypeName = 'OpenStackOps.FailureDecision'; Node = $node; State = $state; Checks = $checks
                       ProbeAnswered = $answered; Fenced = $fenced; Action = $action; Reason = $reason }
}

$down = @(Get-ComputeNode | Where-Object State -eq 'down')
foreach ($fenced in $down | Where-Object ForcedDown) {
    # Dealt with already: fenced and forced down by an earlier pass or by an operator. Never fence it again.
    $left = @(Get-NodeServer $fenced.Host).Count
    $reason = "forced down: fenced and evacuated earlier; left alone until an operator runs Enable-ComputeNode $($fenced.Host) -ClearForcedDown after the repair"
    if ($left) { $reason += "; $left server(s) still on it: see Get-NodeServer $($fenced.Host), evacuate them with Invoke-NodeEvacuation $($fenced.Host)" }
    New-Decision $fenced.Host 'forced-down' 0 $null $null 'None' $reason
}
foreach ($suspect in $down | Where-Object { -not $_.ForcedDown }) {
    $node = $suspect.Host
    # 2. Still down at every check? A node that comes back (a restart, a network blip) is left alone.
    $checks = 1
    while ($checks -lt $ConfirmChecks) {
        Start-Sleep -Seconds $IntervalSeconds
        $now = Get-ComputeNode $node
        if ($now.State -ne 'down') { break }
        $checks++
    }
    if ($checks -lt $ConfirmChecks) {
        New-Decision $node 'up' $checks $null $false 'None' 'nova-compute came back before the failure was confirmed'
        continue
    }
    $answered = [bool](& $Probe $node)
    if ($answered) {
        New-Decision $node 'down' $checks $true $false 'None' 'the node still answers: nova-compute is down but the guests may run; page a human'
        continue
    }

    # 3. Fence, or do nothing.
    $fenced = $false
    if ($PSCmdlet.ShouldProcess($node, 'Fence the node (the -Fence hook)')) {
        try { $fenced = [bool](& $Fence $node) } catch { $fenced = $false; $PSCmdlet.WriteWarning("${node}: the fence hook failed: $_") }
        if (-not $fenced) {
            New-Decision $node 'down' $checks $false $false 'None' 'fencing did not succeed: not evacuating'
            continue
        }
    }

    # 4. Evacuate (under -WhatIf: the plan).
    $evacuate = @{ ComputeNode = $node; ForceDown = $true; Fenced = $true; ThrottleLimit = $ThrottleLimit; SharedInstanceStorage = $SharedInstanceStorage; PassThru = $true }
    if ($Destination) { $evacuate.Destination = $Destination }
    New-Decision $node 'down' $checks $false $fenced $(if ($WhatIfPreference) { 'PlanEvacuation' } else { 'Evacuate' }) 'confirmed down, no answer, fenced'
    Invoke-NodeEvacuation @evacuate -WhatIf:$WhatIfPreference -Confirm:$false -ErrorAction Continue
}
