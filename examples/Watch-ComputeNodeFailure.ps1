<#
.SYNOPSIS
    Automatic evacuation as the availability blog describes it: an external monitor that watches nova-compute,
    confirms a failure, fences the node, and only then evacuates it.

.DESCRIPTION
    Meant for a scheduled job (every minute, say). One pass:
      1. Get-ComputeNode: nodes whose nova-compute nova reports down (and not already forced down by us).
      2. Confirm: the node must stay down for -ConfirmChecks consecutive checks, -IntervalSeconds apart, and the
         -Probe (by default a TCP connection to the node's SSH port) must fail too. A node that answers is not
         evacuated: nova-compute may just have crashed while the guests still run.
      3. Fence: call the -Fence hook (power off through IPMI/Redfish, cut its storage...). It must return $true;
         without a successful fence nothing is evacuated, because two copies of a server writing to the same
         volumes is worse than an outage.
      4. Invoke-NodeEvacuation -ForceDown -Fenced for the node, ThrottleLimit servers at a time.
    Every decision is written as an OpenStackOps.FailureDecision object (Node, State, Checks, ProbeAnswered,
    Fenced, Action, Reason), followed by the evacuation results. -WhatIf runs the checks and the probe but neither
    fences nor evacuates, and shows the evacuation plan.

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

function New-Decision($node, $state, $checks, $answered, $fenced, $action, $reason) {
    [pscustomobject]@{ PSTypeName = 'OpenStackOps.FailureDecision'; Node = $node; State = $state; Checks = $checks
                       ProbeAnswered = $answered; Fenced = $fenced; Action = $action; Reason = $reason }
}

$suspects = @(Get-ComputeNode | Where-Object { $_.State -eq 'down' -and -not $_.ForcedDown })
foreach ($suspect in $suspects) {
    $node = $suspect.Host
    # 2. Still down at every check? A node that comes back (a restart, a network blip) is left alone.
    $checks = 1
    while ($checks -lt $ConfirmChecks) {
        [System.Threading.Thread]::Sleep($IntervalSeconds * 1000)   # Start-Sleep is not in every host
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
    $evacuate = @{ HostName = $node; ForceDown = $true; Fenced = $true; ThrottleLimit = $ThrottleLimit; SharedInstanceStorage = $SharedInstanceStorage; PassThru = $true }
    if ($Destination) { $evacuate.Destination = $Destination }
    New-Decision $node 'down' $checks $false $fenced $(if ($WhatIfPreference) { 'PlanEvacuation' } else { 'Evacuate' }) 'confirmed down, no answer, fenced'
    Invoke-NodeEvacuation @evacuate -Confirm:$false -ErrorAction Continue
}
