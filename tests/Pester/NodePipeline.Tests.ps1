# Compute nodes pipe into every node-level cmdlet by property name (a ComputeNode's Host), and an empty pipeline
# does nothing: no output, no error, and no prompt for the host (the runbook's "Get-ComputeNode | Where-Object
# State -eq down | Invoke-NodeEvacuation" on a healthy cloud).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # Each node-level cmdlet, its host parameter (-ComputeNode on all, its older names aliases), and what else an empty-pipeline call needs.
    $nodeCmdlets = @(
        @{ Command = 'Invoke-NodeEvacuation'; Parameter = 'ComputeNode'; Extra = '-WhatIf' }
        @{ Command = 'Stop-NodeComputeService'; Parameter = 'ComputeNode'; Extra = '-WhatIf' }
        @{ Command = 'Start-NodeComputeService'; Parameter = 'ComputeNode'; Extra = '-WhatIf' }
        @{ Command = 'Test-ComputeNodeHealth'; Parameter = 'ComputeNode'; Extra = '' }
        @{ Command = 'Restart-NodeServer'; Parameter = 'ComputeNode'; Extra = '-WhatIf' }
        @{ Command = 'Get-NodeVolumeAttachment'; Parameter = 'ComputeNode'; Extra = '' }
        @{ Command = 'Get-NodeServer'; Parameter = 'ComputeNode'; Extra = '' }
        @{ Command = 'Disable-ComputeNode'; Parameter = 'ComputeNode'; Extra = '-Reason patching -WhatIf' }
        @{ Command = 'Enable-ComputeNode'; Parameter = 'ComputeNode'; Extra = '-WhatIf' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    Connect-FakeCloud $cloud
}

AfterAll {
    Disconnect-OpenStack
    $cloud.Dispose()
}

Describe 'Nodes in the pipeline' {
    It '<Command> -<Parameter> binds Host, HostName and ComputeNode by property name' -TestCases $nodeCmdlets {
        $p = (Get-Command $Command).Parameters[$Parameter]
        @($p.ParameterSets.Values.ValueFromPipelineByPropertyName) | Should -Contain $true
        $names = @($p.Name) + $p.Aliases
        foreach ($name in 'Host', 'HostName', 'ComputeNode') { $names | Should -Contain $name }
    }

    It 'an empty pipeline into <Command> gives no output, no error and no prompt' -TestCases $nodeCmdlets {
        $r = Invoke-InNewRunspace "@() | $Command $Extra"
        $r.Errors | Should -BeNullOrEmpty
        $r.Output | Should -BeNullOrEmpty
        # And in this console too, as the issue's runbook line.
        $null = @() | Invoke-NodeEvacuation -WhatIf
    }

    It 'Get-ComputeNode c01 | Invoke-NodeEvacuation -ForceDown -Fenced -WhatIf plans every server of c01' {
        $plan = Get-ComputeNode c01 | Invoke-NodeEvacuation -ForceDown -Fenced -WhatIf -PassThru
        $plan.ServerName | Sort-Object | Should -Be @('web-1', 'web-2')
        $plan.SourceHost | Select-Object -Unique | Should -Be 'c01.example.com'
        $plan.DataFate | Select-Object -Unique | Should -Be 'LostRebuiltFromImage'
    }

    It 'several piped nodes are each evacuated (planned here)' {
        $plan = Get-ComputeNode c0* | Invoke-NodeEvacuation -ForceDown -Fenced -WhatIf -PassThru
        $plan.ServerName | Sort-Object | Should -Be @('db-1', 'web-1', 'web-2')
    }

    It 'Get-NodeServer c01 | Where-Object ... | Invoke-NodeEvacuation c01 takes only the piped servers' {
        $plan = Get-NodeServer c01 | Where-Object Name -eq web-1 | Invoke-NodeEvacuation c01 -WhatIf -PassThru -WarningAction SilentlyContinue
        $plan.ServerName | Should -Be 'web-1'
    }

    It 'servers piped without a host are evacuated from their own host, only they' {
        $plan = Get-NodeServer c01 | Where-Object Name -eq web-2 | Invoke-NodeEvacuation -WhatIf -PassThru -WarningAction SilentlyContinue
        $plan.ServerName | Should -Be 'web-2'
        $plan.SourceHost | Should -Be 'c01.example.com'
    }

    It 'a filter that leaves no servers evacuates nothing, not the whole host' {
        $plan = Get-NodeServer c01 | Where-Object Name -eq none | Invoke-NodeEvacuation c01 -WhatIf -PassThru -WarningAction SilentlyContinue
        $plan | Should -BeNullOrEmpty
    }

    It 'a piped node reaches Stop-NodeComputeService (planned under -WhatIf)' {
        $state = Get-ComputeNode c02 | Stop-NodeComputeService -Pin -WhatIf -PassThru
        $state.Node | Should -Be 'c02.example.com'
        $state.Action | Should -Be 'Planned'
    }

    It 'the evacuation plan''s table shows DataFate at 120 columns' {
        $plan = Invoke-NodeEvacuation c01 -WhatIf -PassThru -WarningAction SilentlyContinue
        $plan[0].PSObject.TypeNames[0] | Should -Be 'OpenStackOps.Maintenance.MigrationResult#Evacuation'
        $lines = @(($plan | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '(^| )DataFate( |$)'
        $lines[0] | Should -Match '(^| )ServerName( |$)'
        ($lines -match 'web-1 .*LostRebuiltFromImage').Count | Should -Be 1
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'an inherited $WhatIfPreference previews an up node''s evacuation (no NodeNotDown), as -WhatIf does' {
        # A runbook run with -WhatIf passes it on as $WhatIfPreference, not as a bound -WhatIf.
        $before = @(Get-FakeCloudRequest $cloud).Count
        $plan = & {
            $WhatIfPreference = $true
            Invoke-NodeEvacuation c01 -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            $script:warnedUp = $warned
        }
        $plan.Count | Should -Be 2
        @($plan.Status | Sort-Object -Unique) | Should -Be @('Planned')
        "$warnedUp" | Should -Match 'up'
        # Nothing changed: no evacuation and no forced-down request reached nova.
        @(Get-FakeCloudRequest $cloud | Select-Object -Skip $before | Where-Object { $_ -match '^(POST|PUT)' }) | Should -BeNullOrEmpty
        $cloud.Services['c01.example.com']['state'].ToString() | Should -Be 'up'
    }

    It 'an inherited $WhatIfPreference is overridden by -WhatIf:$false: an up node is still refused' {
        { & { $WhatIfPreference = $true; Invoke-NodeEvacuation c01 -WhatIf:$false -Confirm:$false -ErrorAction Stop } } |
            Should -Throw -ErrorId 'NodeNotDown*'
    }
}
