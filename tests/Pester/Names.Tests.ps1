# One name for one thing: a compute host that is not found or ambiguous has one id whichever cmdlet was given it,
# "the compute host this acts on" is -ComputeNode on every cmdlet (Get-ComputeNode keeps -Name, its own noun) with
# every older name kept as an alias, and OS_CLOUD set but empty is as if it were unset.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # Every way a cmdlet takes a compute host that nova must know; {0} is the name given.
    $hostCommands = @(
        'Get-ComputeNode {0}'
        'Disable-ComputeNode {0} -Reason CHG-9 -WhatIf'
        'Enable-ComputeNode {0} -WhatIf'
        'Get-NodeServer {0}'
        'Get-NodeVolumeAttachment {0}'
        'Invoke-NodeEvacuation {0} -WhatIf'
        'Invoke-NodeEvacuation c02 -Destination {0} -WhatIf'
        'Get-NodeServer c01 | Move-ServerLive -Destination {0} -WhatIf'
        'Restart-NodeServer {0} -WhatIf'
        'Stop-NodeComputeService {0} -Wait -WhatIf'
        'Start-NodeComputeService {0} -Wait -WhatIf'
    )
    # An unknown host, and a short name two hosts share (c05.a and c05.b, added below).
    $hostCases = foreach ($command in $hostCommands) {
        @{ Command = $command; Given = 'c99'; Id = 'ComputeNodeNotFound'; Category = 'ObjectNotFound'; Mentions = @("'c99'") }
        @{ Command = $command; Given = 'c05'; Id = 'ComputeNodeNameAmbiguous'; Category = 'InvalidArgument'; Mentions = 'c05.a.example.com', 'c05.b.example.com' }
    }
    # The names each cmdlet's host parameter had before it was -ComputeNode (or besides), which scripts may use.
    $renamed = @(
        @{ Name = 'Disable-ComputeNode'; Old = 'HostName', 'Host', 'Name', 'ComputeHost' }
        @{ Name = 'Enable-ComputeNode'; Old = 'HostName', 'Host', 'Name', 'ComputeHost' }
        @{ Name = 'Get-NodeServer'; Old = 'HostName', 'Host', 'ComputeHost' }
        @{ Name = 'Get-NodeVolumeAttachment'; Old = 'HostName', 'Host', 'ComputeHost' }
        @{ Name = 'Invoke-NodeEvacuation'; Old = 'HostName', 'Host' }
        @{ Name = 'Move-ServerDatabaseRecord'; Old = @('FailedHost') }
        @{ Name = 'Copy-InstanceDirectory'; Old = @('SourceNode') }
        @{ Name = 'Stop-NodeComputeService'; Old = 'HostName', 'Host', 'Node' }
        @{ Name = 'Start-NodeComputeService'; Old = 'HostName', 'Host', 'Node' }
        @{ Name = 'Test-ComputeNodeHealth'; Old = 'HostName', 'Host', 'Node' }
        @{ Name = 'Restart-NodeServer'; Old = 'HostName', 'Host', 'Node' }
        @{ Name = 'Get-ComputeNode'; New = 'Name'; Old = 'HostName', 'Host', 'ComputeHost', 'ComputeNode' }
    )
    $hostParameters = foreach ($command in Get-OpenStackOpsCmdlet) {
        foreach ($p in $command.Parameters.Values) {
            $completer = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
            if ($completer.Type.Name -in 'ComputeHostCompleter', 'ExactComputeHostCompleter') { @{ Name = $command.Name; Parameter = $p.Name } }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    # Two hosts whose short name is c05: 'c05' names neither.
    foreach ($name in 'c05.a.example.com', 'c05.b.example.com') {
        $cloud.Services[$name] = [System.Text.Json.Nodes.JsonNode]::Parse((@{
            id = [guid]::NewGuid().ToString(); binary = 'nova-compute'; host = $name; zone = 'nova'; status = 'enabled'; state = 'up'
            disabled_reason = $null; forced_down = $false; updated_at = '2026-11-23T07:10:20.000000' } | ConvertTo-Json))
    }
    Connect-FakeCloud $cloud
    function Get-ErrorRecord([string] $Command) {
        try { & { $ErrorActionPreference = 'Stop'; $WarningPreference = 'SilentlyContinue'; $null = Invoke-Expression $Command }; $null }
        catch { $_ }
    }
}

AfterAll {
    Disconnect-OpenStack
    $cloud.Dispose()
}

Describe 'A compute host that is not found or ambiguous' {
    It '<Command> given <Given>: <Id> (<Category>), the target the name given, the message naming <Mentions>' -TestCases $hostCases {
        $e = Get-ErrorRecord ($Command -f $Given)
        $e | Should -Not -BeNullOrEmpty -Because "$Command must refuse '$Given'"
        $e.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $e.CategoryInfo.Category | Should -Be $Category
        $e.TargetObject | Should -Be $Given
        foreach ($text in $Mentions) { $e.Exception.Message | Should -Match ([regex]::Escape($text)) }
    }

    It 'a unique short name still names its host' {
        (Get-ComputeNode c01).Host | Should -Be 'c01.example.com'
        @(Get-NodeServer c01).Count | Should -Be 2
    }

    It 'a host name nowhere in the code has another not-found id' {
        . (Join-Path $PSScriptRoot 'ErrorIds.ps1')
        $ids = (Get-OpenStackOpsErrorId $RepoRoot).Ids
        $ids | Should -Contain 'ComputeNodeNotFound'
        $ids | Should -Contain 'ComputeNodeNameAmbiguous'
        $ids | Should -Not -Contain 'ComputeHostNotFound'
        $ids | Should -Not -Contain 'DestinationNotFound'
    }
}

Describe 'The compute host parameter' {
    It '<Name> -<Parameter>: the compute host it acts on is -ComputeNode (Get-ComputeNode: -Name; where it goes: -Destination*)' -TestCases $hostParameters {
        $expected = if ($Name -eq 'Get-ComputeNode') { 'Name' } elseif ($Parameter -like 'Destination*') { $Parameter } else { 'ComputeNode' }
        $Parameter | Should -BeExactly $expected
    }

    It '<Name>: every older name still binds' -TestCases $renamed {
        $command = Get-Command $Name
        foreach ($old in $Old) {
            $command.ResolveParameter($old).Name | Should -Be ($New ?? 'ComputeNode') -Because "$Name -$old is in scripts"
        }
    }

    It 'old names bind when cmdlets run: -HostName, -Name, a splatted HostName, -SourceNode and -FailedHost' {
        @(Get-NodeServer -HostName c01).Count | Should -Be 2
        (Disable-ComputeNode -HostName c01 -Reason CHG-9 -WhatIf -PassThru).Planned | Should -BeTrue
        (Enable-ComputeNode -Name c01 -WhatIf -PassThru).Host | Should -Be 'c01.example.com'
        $evacuate = @{ HostName = 'c01'; WhatIf = $true; PassThru = $true; WarningAction = 'SilentlyContinue' }
        @(Invoke-NodeEvacuation @evacuate).Count | Should -Be 2
        $e = Get-ErrorRecord 'Copy-InstanceDirectory 3edbf4fb-fe84-4e02-97a8-d9786fdc0642 -SourceNode c01 -DestinationNode c01'
        $e.FullyQualifiedErrorId | Should -BeLike 'InstanceDirectorySameNode,*'
        $password = ConvertTo-SecureString 'x' -AsPlainText -Force
        $e = Get-ErrorRecord 'Move-ServerDatabaseRecord -FailedHost c03.example.com -Destination c02.example.com -DatabaseServer 127.0.0.1 -DatabaseCredential ([pscredential]::new(''nova'', $password))'
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseRecoveryHostNeedsForce,*'
        $e.TargetObject | Should -Be 'c03.example.com'
    }

    It 'a Pester mock''s parameter filter still sees the old name' {
        Mock Invoke-NodeEvacuation { }
        Invoke-NodeEvacuation -ComputeNode c03 -WhatIf
        Should -Invoke Invoke-NodeEvacuation -Times 1 -Exactly -ParameterFilter { $HostName -eq 'c03' -and $ComputeNode -eq 'c03' }
    }
}

Describe 'OS_CLOUD set but empty' {
    BeforeAll {
        # A child pwsh whose OS_CLOUD is set to the empty string (as `export OS_CLOUD=` does), with these variables.
        $report = '$e = $null; try { $s = Connect-OpenStack @args -PassThru -ErrorAction Stop } catch { $e = $_ }; ' +
            'if ($e) { "FAIL $($e.FullyQualifiedErrorId) $($e.Exception.GetType().Name): $($e.Exception.Message)" } else { "OK $($s.ProjectName) $([Environment]::GetEnvironmentVariable(''OS_CLOUD'') -eq '''')" }'
    }

    It 'Connect-OpenStack with no parameters uses the openrc variables' {
        $run = Invoke-ChildPwsh $report.Replace('@args', '') (Get-FakeCloudEnvironment $cloud)
        $run.Stdout | Should -Be 'OK admin True' -Because $run.Stderr
    }

    It 'Connect-OpenStack with -AuthUrl and a credential connects' {
        $script = "`$c = [pscredential]::new('admin', (ConvertTo-SecureString '$([OpenStackOps.Testing.FakeCloud]::Password)' -AsPlainText -Force)); " +
            $report.Replace('@args', "-AuthUrl '$($cloud.AuthUrl)' -Credential `$c -ProjectName admin")
        $run = Invoke-ChildPwsh $script @{}
        $run.Stdout | Should -Be 'OK admin True' -Because $run.Stderr
    }

    It 'with nothing else set, Connect-OpenStack says how to name a cloud' {
        $run = Invoke-ChildPwsh $report.Replace('@args', '') @{}
        $run.Stdout | Should -BeLike 'FAIL OpenStackConfigurationCloudNotFound,*No cloud given*' -Because $run.Stderr
    }
}
