<#
.SYNOPSIS
    A monitoring check of the control plane (cron, a systemd timer, a Nagios/Icinga command): exit 0 when every
    unit on the controller runs and every API, service and agent is up; exit 2 (CRITICAL) when anything is down or
    unknown, with what and why on stdout.

.DESCRIPTION
    pwsh -NoProfile -NonInteractive -File Test-ControlPlane.ps1 [-ControllerNode ctl01.example.com] [-SshConfigPath <file>]

    Connection: Connect-OpenStack with no parameters (OS_CLOUD and OS_CLIENT_CONFIG_FILE, or an openrc's OS_*
    variables, from the environment: no password is an argument). The controller is reached over SSH as the module
    reaches a node: a Host entry of -SshConfigPath (default ~/.ssh/config), else root with the ~/.ssh keys.

    The idiom is Test-ControlPlaneHealth -Quiet, which returns one [bool]:
        if (-not (Test-ControlPlaneHealth -ControllerNode ctl01 -Quiet)) { exit 2 }
    Only when that is $false does the script ask again for the objects, to say which component is down and why.
    A failure to connect (cloud or controller) is an error record and counts as not healthy.

.EXAMPLE
    OS_CLOUD=prod pwsh -NoProfile -NonInteractive -File examples/Test-ControlPlane.ps1 -ControllerNode ctl01.example.com
    echo $?     # 0 healthy, 2 something is down, 1 the check itself could not run
#>
param(
    [string] $ControllerNode,
    [string] $SshConfigPath
)
$ErrorActionPreference = 'Continue'
try {
    Import-Module OpenStackOps -ErrorAction Stop
    Connect-OpenStack -ErrorAction Stop
    if ($ControllerNode -and $SshConfigPath) { Connect-ComputeNode $ControllerNode -SshConfigPath $SshConfigPath -ErrorAction Stop }
}
catch {
    Write-Output "UNKNOWN: $($_.Exception.Message)"
    exit 1
}
$check = @{}
if ($ControllerNode) { $check.ControllerNode = $ControllerNode }

if (Test-ControlPlaneHealth @check -Quiet) {
    Write-Output 'OK: every component is up'
    exit 0
}
Write-Output 'CRITICAL: not every component is up'
Test-ControlPlaneHealth @check | Where-Object { -not $_.IsHealthy } |
    Format-Table Kind, Component, Host, State, Evidence -AutoSize -Wrap | Out-String -Width 200 | Write-Output
exit 2
