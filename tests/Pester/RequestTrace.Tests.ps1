# Issue 15 item 5 on the devcloud: a real failing call (a live migration to a disabled host: nova-api accepts it,
# nova-conductor asks nova-scheduler, which finds no valid host), its request id taken from the error record the
# module wrote, followed through the real logs of the controller node ctl01 and the compute nodes over SSH.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:W = $env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud'
    $script:SshConfig = Join-Path $W 'ssh/config'
    $script:Server = (Get-Content -Raw (Join-Path $W 'seed.json') | ConvertFrom-Json).servers | Where-Object name -eq 'c01-web'
    Connect-Devcloud
    foreach ($n in 'ctl01', 'c01', 'c03') { Connect-ComputeNode "$n.example.com" -SshConfigPath $SshConfig }
}

Describe 'Find-RequestTrace and Get-ServiceLog on the devcloud' -Tag Devcloud {
    It 'follows a failed live migration''s request from its error record: nova-api, then nova-conductor, then nova-scheduler, in time order' {
        Disable-ComputeNode c03.example.com -Reason 'Find-RequestTrace test' -Confirm:$false
        try {
            $result = Move-ServerLive $Server.id -Destination c03.example.com -TimeoutSeconds 120 -ErrorVariable failed -ErrorAction SilentlyContinue -Confirm:$false
            $result.Status | Should -BeIn 'Failed', 'RolledBack'
            $failed.Count | Should -Be 1
            $requestId = $result.RequestId
            $requestId | Should -Match '^req-'
            $failed[0].ToString() | Should -Match ([regex]::Escape($requestId))

            $trace = @($failed[0] | Find-RequestTrace -ControllerNode ctl01.example.com -ComputeNode c01.example.com, c03.example.com)
        }
        finally {
            Enable-ComputeNode c03.example.com -Confirm:$false
        }
        $trace.Count | Should -BeGreaterThan 2
        $trace | ForEach-Object { $_.Line | Should -Match ([regex]::Escape($requestId)) }
        $trace | ForEach-Object { $_.Host | Should -Be 'ctl01.example.com' }   # it never reached a compute node
        # First appearance of each service: the API, then the conductor, then the scheduler (real time order).
        $firsts = @($trace.Service | Select-Object -Unique)
        $firsts.IndexOf('nova-api') | Should -BeLessThan $firsts.IndexOf('nova-conductor')
        $firsts.IndexOf('nova-conductor') | Should -BeLessThan $firsts.IndexOf('nova-scheduler')
        $times = $trace.Time
        (Compare-Object $times ($times | Sort-Object) -SyncWindow 0) | Should -BeNullOrEmpty
        ($trace | Where-Object Service -eq 'nova-api')[0].Message | Should -Match ('POST /v2.1/servers/' + $Server.id + '/action')
        ($trace | Where-Object Service -in 'nova-conductor', 'nova-scheduler').Message -join "`n" | Should -Match 'No valid host|NoValidHost|returned 0 hosts'

        # The scheduler's log around the failure: the window holds the request's lines and those of other requests.
        $last = $trace | Where-Object Service -eq 'nova-scheduler' | Select-Object -Last 1
        $around = @($last | Get-ServiceLog -Seconds 2)
        $around.Service | Select-Object -Unique | Should -Be 'nova-scheduler'
        $around.Line | Should -Contain $last.Line
        $around | ForEach-Object { $_.Time | Should -BeGreaterOrEqual $last.Time.AddSeconds(-3); $_.Time | Should -BeLessOrEqual $last.Time.AddSeconds(3) }
        @(Get-ServiceLog ctl01.example.com -Service nova-conductor -Around $last.Time -Seconds 60 -Contains $requestId).Count |
            Should -Be @($trace | Where-Object Service -eq 'nova-conductor').Count
    }

    It 'an error record without a request id is refused with its own error id' {
        $e = [System.Management.Automation.ErrorRecord]::new([Exception]::new('no id here'), 'Other', 'NotSpecified', $null)
        $e | Find-RequestTrace -ControllerNode ctl01.example.com -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FindRequestTraceNoRequestId,*'
    }
}
