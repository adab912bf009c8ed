<#
.SYNOPSIS
    Runs a runbook as a scheduled job (systemd timer, cron): never prompts, exits non-zero on any failure, and
    appends a machine-readable run record (JSON lines) beside an optional transcript.

.DESCRIPTION
    pwsh -NoProfile -NonInteractive -File Invoke-ScheduledRunbook.ps1 -Runbook <path> -RecordPath <file.jsonl>
         [-TranscriptPath <file>] <the runbook's parameters>

    Connection: Connect-OpenStack with no parameters, i.e. OS_CLOUD (and OS_CLIENT_CONFIG_FILE) or an openrc's OS_*
    variables from the environment (systemd: Environment= or EnvironmentFile=). No password is ever an argument,
    so none reaches the record or the transcript.

    The runbook's parameters follow the wrapper's own, as on a command line: -Name value, -Switch, -Switch:false.
    A value for a [scriptblock] parameter is the script block's text, e.g.
    -Fence '& /usr/local/sbin/fence-node $args[0]; $LASTEXITCODE -eq 0'.

    Never a prompt: it refuses to run unless pwsh was started with -NonInteractive, where every prompt
    (ShouldProcess of a step whose impact reaches $ConfirmPreference, ShouldContinue, Read-Host) fails at once with
    "PowerShell is in NonInteractive mode" instead of waiting for an answer that never comes. A runbook's High-impact
    step (Watch-ComputeNodeFailure's fence and evacuation) therefore needs -Confirm:false, or it fails.

    Exit code: 0 when the runbook ended and wrote no error; 1 when it threw (a terminating error) or wrote any error
    record (a non-terminating one: a server that did not move, an evacuation that failed), or the wrapper could not
    start it. A run that needs a human must not look green.

    Record: appended to -RecordPath, one JSON object per line, each written as it happens (a killed run leaves its
    partial record):
      {"Record":"Start","Run":<id>,"Time":...,"Runbook":...,"Parameters":[their names only],"TranscriptPath":...,"ProcessId":...}
      {"Record":"Output","Run":<id>,"Time":...,"Type":<first type name>,"Object":{...}}      one per object written
      {"Record":"Error","Run":<id>,"Time":...,"ErrorId":...,"Category":...,"Target":...,"Message":...}  one per error
      {"Record":"End","Run":<id>,"Time":...,"Status":"Succeeded"|"Failed","ExitCode":0|1,"Outputs":n,"Errors":n,
       "ErrorId":<the terminating error's id>,"Message":...,"DurationSeconds":...}

.EXAMPLE
    pwsh -NoProfile -NonInteractive -File examples/Invoke-ScheduledRunbook.ps1 -Runbook examples/Watch-ComputeNodeFailure.ps1 `
        -RecordPath /var/log/openstackops/watch.jsonl -TranscriptPath /var/log/openstackops/watch.log `
        -Fence '& /usr/local/sbin/fence-node $args[0]; $LASTEXITCODE -eq 0' -Confirm:false

    See examples/systemd/ for the timer that runs it every minute.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $Runbook,
    [Parameter(Mandatory = $true)] [string] $RecordPath,
    [string] $TranscriptPath,
    # Everything else: the runbook's own parameters.
    [Parameter(ValueFromRemainingArguments = $true)] [object[]] $RunbookArguments = @()
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # progress bars are noise in a log
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }   # no colour codes in the journal
$run = [guid]::NewGuid().ToString('N').Substring(0, 12)
$started = [DateTime]::UtcNow

function Write-RunRecord([string] $kind, [System.Collections.IDictionary] $fields) {
    $line = [ordered]@{ Record = $kind; Run = $run; Time = [DateTime]::UtcNow.ToString('o') }
    foreach ($k in $fields.Keys) { $line[$k] = $fields[$k] }
    [System.IO.File]::AppendAllText($RecordPath, ($line | ConvertTo-Json -Depth 6 -Compress -WarningAction SilentlyContinue) + "`n")
}

# -Name value / -Switch / -Switch:false into a splat, typed by the runbook's own parameters.
function ConvertTo-RunbookParameter($command, [object[]] $arguments) {
    $splat = @{}
    for ($i = 0; $i -lt $arguments.Count; $i++) {
        if ($arguments[$i] -notmatch '^-(\w+)(?::(.*))?$') { throw "Expected a runbook parameter (-Name), got '$($arguments[$i])'." }
        $name, $inline = $Matches[1], $Matches[2]
        # pwsh -File hands '-Switch:false' over as '-Switch' and a boolean.
        if ($null -eq $inline -and $i + 1 -lt $arguments.Count -and $arguments[$i + 1] -is [bool]) { $inline = "$($arguments[++$i])" }
        $p = $command.Parameters[$name]
        if (-not $p) { throw "$($command.Name) has no parameter -$name." }
        if ($p.SwitchParameter) {
            if ($null -eq $inline -or $inline -in 'true', '$true', '1') { $splat[$p.Name] = $true }
            elseif ($inline -in 'false', '$false', '0') { $splat[$p.Name] = $false }
            else { throw "-$name takes true or false after the colon, not '$inline'." }
            continue
        }
        $value = if ($null -ne $inline) { $inline } elseif ($i + 1 -lt $arguments.Count) { $arguments[++$i] } else { throw "-$name needs a value." }
        $splat[$p.Name] = if ($p.ParameterType -eq [scriptblock]) { [scriptblock]::Create($value) } else { $value }
    }
    $splat
}

$outputs = 0; $errors = 0; $failure = $null
$transcribing = $false
try {
    if ($TranscriptPath) { Start-Transcript -Path $TranscriptPath -Append -UseMinimalHeader | Out-Null; $transcribing = $true }
    # Parameter names only: a value may be a secret's neighbour (a fence hook's text), and the record is for machines.
    $names = @($RunbookArguments -match '^-\w' -replace '^-(\w+).*$', '$1')
    Write-RunRecord Start ([ordered]@{ Runbook = $Runbook; Parameters = $names; TranscriptPath = $TranscriptPath; ProcessId = $PID })
    $command = Get-Command -Name (Resolve-Path -LiteralPath $Runbook).ProviderPath -CommandType ExternalScript
    $splat = ConvertTo-RunbookParameter $command $RunbookArguments
    if (-not ([Environment]::GetCommandLineArgs() -match '^-(noni|noninteractive)$')) {
        throw 'Run this wrapper as pwsh -NonInteractive -File ...: a scheduled runbook must fail where it would prompt, not wait for an answer.'
    }

    Import-Module OpenStackOps
    Connect-OpenStack
    # Errors the runbook writes without stopping come through 2>&1 as ErrorRecords: recorded, shown, counted. The
    # runbook starts from PowerShell's default $ErrorActionPreference (Continue), not this wrapper's Stop.
    & { $ErrorActionPreference = 'Continue'; & $command.Path @splat } 2>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.ErrorRecord]) {
            $errors++
            Write-RunRecord Error ([ordered]@{ ErrorId = $_.FullyQualifiedErrorId; Category = "$($_.CategoryInfo.Category)"; Target = "$($_.TargetObject)"; Message = "$_" })
            $Host.UI.WriteErrorLine("ERROR $($_.FullyQualifiedErrorId): $_")
        } else {
            $outputs++
            Write-RunRecord Output ([ordered]@{ Type = $_.PSObject.TypeNames[0]; Object = $_ })
            $_
        }
    }
} catch {
    $failure = $_
    $Host.UI.WriteErrorLine("FAILED $($_.FullyQualifiedErrorId): $_")
} finally {
    if (Get-Command Disconnect-OpenStack -ErrorAction Ignore) { Disconnect-OpenStack -ErrorAction Ignore }
    $exitCode = [int]($null -ne $failure -or $errors -gt 0)
    $end = [ordered]@{ Status = $(if ($exitCode) { 'Failed' } else { 'Succeeded' }); ExitCode = $exitCode; Outputs = $outputs; Errors = $errors
                       ErrorId = $failure.FullyQualifiedErrorId; Message = $(if ($failure) { "$failure" }); DurationSeconds = [math]::Round(([DateTime]::UtcNow - $started).TotalSeconds, 1) }
    Write-RunRecord End $end
    if ($transcribing) { Stop-Transcript | Out-Null }
}
exit $exitCode
