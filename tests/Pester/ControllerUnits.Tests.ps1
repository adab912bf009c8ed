# Test-ControlPlaneHealth -ControllerNode on the devcloud's controller node ctl01 (tools/devcloud/lib/controller.sh):
# the units and their processes over SSH, services really stopped through ctl01's systemctl (nova-scheduler,
# nova-conductor, and the cinder-api process: its API goes down with it), and the monitoring idiom
# (examples/Test-ControlPlane.ps1, Test-ControlPlaneHealth -Quiet) in a child `dotnet pwsh -NonInteractive -File`:
# exit 2 while something is down, 0 when all is back. Everything stopped is started again.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:W = $env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud'
    $script:SshConfig = Join-Path $W 'ssh/config'
    $script:Ctl = 'ctl01.example.com'
    function Invoke-Ctl01([string] $Line) {
        $out = & ssh -F $SshConfig ctl01 $Line 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n") }
    }
    # Alive and not a zombie (a stopped service's process may wait for its reaper a moment).
    function Test-ProcessAlive([int] $ProcessId) {
        $stat = Get-Content "/proc/$ProcessId/stat" -ErrorAction SilentlyContinue
        $stat -and ($stat -split '\) ')[-1][0] -notin 'Z', 'X'
    }
    function Get-RecordedPid([string] $Name) { [int](Get-Content -Raw (Join-Path $W "pids/$Name.pid")).Trim() }
    function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Seconds = 120) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $Seconds) { throw "timed out after $Seconds s waiting for $What" }
            Start-Sleep -Seconds 2
        }
    }
    # The example monitoring script in a child pwsh as cron runs it: no prompt possible, its exit code is the verdict.
    function Invoke-MonitoringScript {
        $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
        @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'examples/Test-ControlPlane.ps1'),
          '-ControllerNode', $Ctl, '-SshConfigPath', $SshConfig) | ForEach-Object { $psi.ArgumentList.Add($_) }
        $psi.WorkingDirectory = $RepoRoot
        $psi.RedirectStandardOutput = $psi.RedirectStandardError = $true
        foreach ($k in @($psi.Environment.Keys) | Where-Object { $_ -like 'OS_*' }) { $psi.Environment.Remove($k) | Out-Null }
        $psi.Environment['OS_CLOUD'] = 'devcloud'
        $psi.Environment['OS_CLIENT_CONFIG_FILE'] = Join-Path $W 'clouds.yaml'
        $psi.Environment['PSModulePath'] = (Join-Path $RepoRoot 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
        $p = [Diagnostics.Process]::Start($psi)
        $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(120000)) { $p.Kill($true); throw 'the monitoring script did not end in 120 s' }
        [pscustomobject]@{ ExitCode = $p.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
    }
    Connect-Devcloud
    Connect-ComputeNode $Ctl -SshConfigPath $SshConfig
}

Describe 'Test-ControlPlaneHealth -ControllerNode on the devcloud' -Tag Devcloud {
    It 'a healthy controller: each unit once (aliases folded), active, with the PID the devcloud recorded for it' {
        $units = @(Test-ControlPlaneHealth -ControllerNode $Ctl | Where-Object Kind -eq Process)
        $units.Component | Should -Be @('mariadb', 'rabbitmq-server', 'keystone', 'glance-api', 'placement-api', 'nova-api',
                                         'nova-conductor', 'nova-scheduler', 'neutron-api', 'cinder-api', 'cinder-scheduler', 'cinder-volume')
        $units | Where-Object State -ne Up | Should -BeNullOrEmpty
        $units | ForEach-Object { $_.Host | Should -Be $Ctl }
        ($units | Where-Object Component -eq 'nova-conductor').ProcessId | Should -Be (Get-RecordedPid nova-conductor)
        ($units | Where-Object Component -eq 'neutron-api').ProcessId | Should -Be (Get-RecordedPid neutron-server)
        ($units | Where-Object Component -eq 'nova-conductor').Evidence | Should -Match '^systemctl: active \(running\), main PID \d+ up .*: /usr/bin/python3 /usr/bin/nova-conductor '
    }

    It 'nova-scheduler and nova-conductor really stopped: Down at once (nova still lists them up), the script exits 2; started again, exit 0' {
        try {
            (Invoke-Ctl01 'systemctl stop nova-scheduler nova-conductor').ExitCode | Should -Be 0
            (Invoke-Ctl01 'systemctl is-active nova-scheduler nova-conductor').Output | Should -Be "inactive`ninactive"
            $all = @(Test-ControlPlaneHealth -ControllerNode $Ctl)
            foreach ($name in 'nova-scheduler', 'nova-conductor') {
                $unit = $all | Where-Object { $_.Kind -eq 'Process' -and $_.Component -eq $name }
                $unit.State | Should -Be 'Down'
                $unit.Evidence | Should -Be 'systemctl: inactive (dead)'
            }
            $all | Where-Object { $_.Kind -eq 'Process' -and $_.State -ne 'Up' } | ForEach-Object Component | Should -Be @('nova-conductor', 'nova-scheduler')
            Test-ControlPlaneHealth -ControllerNode $Ctl -Quiet | Should -BeFalse

            $run = Invoke-MonitoringScript
            $run.ExitCode | Should -Be 2 -Because $run.Stdout
            $run.Stdout | Should -Match 'CRITICAL'
            $run.Stdout | Should -Match 'nova-conductor +ctl01\.example\.com +Down +systemctl: inactive \(dead\)'
        }
        finally {
            Invoke-Ctl01 'systemctl start nova-conductor nova-scheduler' | Out-Null
        }
        (Invoke-Ctl01 'systemctl is-active nova-scheduler nova-conductor').Output | Should -Be "active`nactive"
        $back = @(Test-ControlPlaneHealth -ControllerNode $Ctl | Where-Object { $_.Kind -eq 'Process' -and $_.Component -like 'nova-[cs]*' })
        $back.State | Should -Be @('Up', 'Up')
        ($back | Where-Object Component -eq 'nova-conductor').ProcessId | Should -Be (Get-RecordedPid nova-conductor)
        # The computes' heartbeats travel through the conductor: wait until nova has them fresh again.
        # On the shared, loaded machine an API may answer slowly for a while after the restart: the script must reach exit 0.
        $script:last = $null
        Wait-Until { $script:last = Invoke-MonitoringScript; $script:last.ExitCode -eq 0 } 'the monitoring script to exit 0 again' 240
        $script:last.Stdout | Should -Match '^OK'
    }

    It 'the cinder-api process really stopped: its unit and its API are Down; started again by its recorded command line, both Up' {
        $before = Get-RecordedPid cinder-api
        try {
            (Invoke-Ctl01 'systemctl stop cinder-api').ExitCode | Should -Be 0
            Test-ProcessAlive $before | Should -BeFalse
            $all = @(Test-ControlPlaneHealth -ControllerNode $Ctl)
            $unit = $all | Where-Object { $_.Kind -eq 'Process' -and $_.Component -eq 'cinder-api' }
            $unit.State | Should -Be 'Down'
            $unit.Evidence | Should -Be 'systemctl: inactive (dead)'
            $api = $all | Where-Object { $_.Kind -eq 'Api' -and $_.Component -eq 'cinder-api' }
            $api.State | Should -Be 'Down'
            $api.Evidence | Should -Match '^GET /v3/[0-9a-f]+/volumes: '
        }
        finally {
            Invoke-Ctl01 'systemctl start cinder-api' | Out-Null
        }
        Get-RecordedPid cinder-api | Should -Not -Be $before
        Wait-Until { (Test-ControlPlaneHealth -ControllerNode $Ctl | Where-Object { $_.Component -eq 'cinder-api' -and $_.State -ne 'Up' }) -eq $null } 'cinder-api up again' 90
    }
}
