<#
.SYNOPSIS
    A first look at OpenStackOps against the local development cloud (or any cloud in clouds.yaml).
.EXAMPLE
    ./examples/quickstart.ps1 -Cloud devcloud -CloudsYamlPath /tmp/osops-devcloud/clouds.yaml
#>
param(
    [string] $Cloud = 'devcloud',
    [string] $CloudsYamlPath = $(if ($env:DEVCLOUD_DIR) { "$env:DEVCLOUD_DIR/clouds.yaml" } else { '/tmp/osops-devcloud/clouds.yaml' }),
    [string] $Node = 'c01'
)
$ErrorActionPreference = 'Stop'
# Each section goes to Out-Default on its own, so that every type gets its own table.

Connect-OpenStack -Cloud $Cloud -CloudsYamlPath $CloudsYamlPath
Get-OpenStackSession | Out-Default

'== Compute nodes'
Get-ComputeNode | Out-Default

"== Servers on $Node, across all projects"
Get-NodeServer $Node | Out-Default

"== What draining $Node would do (-WhatIf: nothing changes)"
Get-ComputeNode $Node | Disable-ComputeNode -Reason 'quickstart: planned maintenance' -WhatIf -PassThru | Out-Default

"== Disable, look, enable again"
Get-ComputeNode $Node | Disable-ComputeNode -Reason 'quickstart: planned maintenance' -PassThru | Out-Default
Get-ComputeNode $Node | Enable-ComputeNode -PassThru | Out-Default
