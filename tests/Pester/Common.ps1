# Dot-sourced by every *.Tests.ps1 (in BeforeAll, and in BeforeDiscovery where test cases need the module):
# the built module, the loopback fake cloud and the devcloud, found from this folder.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $RepoRoot 'out/OpenStackOps/OpenStackOps.psd1'
$script:DevcloudYaml = Join-Path ($env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud') 'clouds.yaml'
Import-Module $ModuleManifest

function Get-OpenStackOpsCmdlet {
    (Get-Module OpenStackOps).ExportedCmdlets.Values | Sort-Object Name
}

# A Keystone + Nova + Neutron on a loopback port (tests/OpenStackOps.FakeCloud) with a few servers; Dispose() it.
function New-FakeCloud {
    Add-Type -Path (Join-Path $RepoRoot 'tests/OpenStackOps.FakeCloud/bin/Release/net10.0/OpenStackOps.FakeCloud.dll')
    $cloud = [OpenStackOps.Testing.FakeCloud]::new()
    $cloud.AddServer('web-1', 'c01.example.com', 'ACTIVE', 'p1')
    $cloud.AddServer('web-2', 'c01.example.com', 'SHUTOFF', 'p2')
    $cloud.AddServer('db-1', 'c02.example.com', 'ACTIVE', 'p1')
    $cloud
}

function Connect-FakeCloud($Cloud, [switch] $PassThru) {
    $password = ConvertTo-SecureString ([OpenStackOps.Testing.FakeCloud]::Password) -AsPlainText -Force
    $credential = [pscredential]::new('admin', $password)
    Connect-OpenStack -AuthUrl $Cloud.AuthUrl -Credential $credential -ProjectName admin -PassThru:$PassThru
}

# The OS_* variables of an openrc file for the fake cloud, for a child process.
function Get-FakeCloudEnvironment($Cloud) {
    @{ OS_AUTH_URL = $Cloud.AuthUrl; OS_USERNAME = 'admin'; OS_PASSWORD = [OpenStackOps.Testing.FakeCloud]::Password; OS_PROJECT_NAME = 'admin'
       OS_USER_DOMAIN_NAME = 'Default'; OS_PROJECT_DOMAIN_NAME = 'Default' }
}

function Connect-Devcloud {
    Connect-OpenStack -Cloud devcloud -CloudsYamlPath $DevcloudYaml
}

# The requests the fake cloud saw, as 'METHOD /path?query' lines.
function Get-FakeCloudRequest($Cloud) { @($Cloud.RequestLines) }

# Runs a script in a runspace of its own with the module imported, as a console that has not run Connect-OpenStack
# (the default session is per runspace); it has no host to prompt with, so a prompt would be an error there.
function Invoke-InNewRunspace([string] $Script) {
    $ps = [powershell]::Create()
    try {
        $output = $ps.AddScript("Import-Module '$ModuleManifest'; $Script").Invoke()
        [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error) }
    }
    catch { [pscustomobject]@{ Output = @(); Errors = @($_) } }
    finally { $ps.Dispose() }
}

# Runs a script in a child pwsh (dotnet pwsh) with the module imported (unless -NoImport: the script imports it)
# and only the given OS_* variables, as a scheduled job would: its exit code and output.
function Invoke-ChildPwsh([string] $Script, [hashtable] $Environment, [switch] $NoImport) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $command = if ($NoImport) { $Script } else { "Import-Module '$ModuleManifest'; $Script" }
    @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $command) | ForEach-Object { $psi.ArgumentList.Add($_) }
    $psi.WorkingDirectory = $RepoRoot
    $psi.RedirectStandardOutput = $psi.RedirectStandardError = $true
    foreach ($k in @($psi.Environment.Keys) | Where-Object { $_ -like 'OS_*' }) { $psi.Environment.Remove($k) | Out-Null }
    $psi.Environment['OS_CLOUD'] = ''
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $p = [System.Diagnostics.Process]::Start($psi)
    $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit(60000)) { $p.Kill($true); throw 'the child pwsh did not end in 60 s' }
    [pscustomobject]@{ ExitCode = $p.ExitCode; Stdout = $stdout.Result.Trim(); Stderr = $stderr.Result }
}
