# The about_ topics, RELATED LINKS, default values, wildcards and type names of the generated help, and the error-id
# list (about_OpenStackOps_ErrorIds) checked against the ids the code can raise (tests/Pester/ErrorIds.ps1).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cmdlets = Get-OpenStackOpsCmdlet | ForEach-Object { @{ Name = $_.Name } }
    $topics = @(
        @{ Topic = 'about_OpenStackOps'; Sections = 'SESSIONS AND CLOUDS', 'clouds.yaml', 'secure.yaml', 'OS_CLOUD', 'openrc', '-Session', 'ForEach-Object -Parallel', '$using:s', '-WhatIf -PassThru', 'ShouldProcess', 'ConfirmImpact High', '-Confirm:$false', 'Export-Clixml', 'ConvertTo-Json', 'Export-Csv', 'THE DEVCLOUD' }
        @{ Topic = 'about_OpenStackOps_ErrorIds'; Sections = 'FIXED IDS', 'DATABASE PATH IDS', 'OPERATION IDS' }
        @{ Topic = 'about_OpenStackOps_PlannedMaintenance'; Sections = 'DISABLE', 'DRAIN', 'VERIFY', 'MAINTENANCE', 'ENABLE', 'MOVE BACK', 'examples/Invoke-PlannedMaintenance.ps1' }
        @{ Topic = 'about_OpenStackOps_NodeFailure'; Sections = 'EVACUATION, FENCING AND FORCED_DOWN', 'examples/Watch-ComputeNodeFailure.ps1', 'THE DATABASE PATH', 'What restore does not undo', 'VOLUMES', 'Copy-InstanceDirectory', 'Mount-InstanceDisk' }
        @{ Topic = 'about_OpenStackOps_Ports'; Sections = 'REUSABLE PORTS', 'Restore-PortAddress' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $aboutTopics = @(Get-ChildItem (Join-Path $RepoRoot 'out/OpenStackOps/en-US') -Filter 'about_*.help.txt' | ForEach-Object { $_.Name -replace '\.help\.txt$' })
    $cmdletNames = @(Get-OpenStackOpsCmdlet | ForEach-Object Name)
}

Describe 'Get-Help <Topic>' -ForEach $topics {
    It 'is found and has its sections' {
        $text = Get-Help $Topic | Out-String
        $text | Should -Match ([regex]::Escape($Topic))
        foreach ($section in $Sections) { $text | Should -Match ([regex]::Escape($section)) -Because "$Topic covers $section" }
    }
}

Describe 'Generated help of <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has related links, each to a cmdlet or about_ topic of the module' {
        $links = @($help.relatedLinks.navigationLink.linkText | ForEach-Object { "$_".Trim() })
        $links.Count | Should -BeGreaterOrEqual 1
        $links | Should -Contain 'about_OpenStackOps'
        foreach ($link in $links) { $link | Should -BeIn ($cmdletNames + $aboutTopics) }
    }

    It 'shows the default value each parameter really has' {
        $fresh = [Activator]::CreateInstance($command.ImplementingType)
        foreach ($parameter in @($help.parameters.parameter)) {
            $property = $command.ImplementingType.GetProperty($parameter.name)
            if (-not $property) { continue } # -WhatIf/-Confirm
            $value = $property.GetValue($fresh)
            $expected = if ($value -is [System.Management.Automation.SwitchParameter]) { "$($value.IsPresent)" }
                elseif ($null -eq $value -or $value -is [bool] -and -not $value -or "$value" -eq '') { 'None' }
                else { [string]::Join(', ', @($value | ForEach-Object { [Convert]::ToString($_, [cultureinfo]::InvariantCulture) })) }
            "$($parameter.defaultValue)" | Should -Be $expected -Because "$Name -$($parameter.name) defaults to $expected"
        }
    }

    It 'names parameter types without generic backticks' {
        foreach ($parameter in @($help.parameters.parameter)) {
            "$($parameter.type.name)" | Should -Not -Match '`' -Because "$Name -$($parameter.name)"
        }
        ($help | Out-String) | Should -Not -Match 'Nullable`'
    }
}

Describe 'Help details' {
    It 'shows the real defaults of -ThrottleLimit, -TimeoutAction and -CommandTimeoutSeconds' {
        $checked = 0
        foreach ($command in Get-OpenStackOpsCmdlet) {
            $fresh = [Activator]::CreateInstance($command.ImplementingType)
            foreach ($name in 'ThrottleLimit', 'TimeoutAction', 'CommandTimeoutSeconds') {
                if (-not $command.Parameters.ContainsKey($name)) { continue }
                $real = "$($command.ImplementingType.GetProperty($name).GetValue($fresh))"
                $real | Should -Not -BeNullOrEmpty
                (Get-Help $command.Name -Parameter $name).defaultValue | Should -Be $real -Because "$($command.Name) -$name"
                $checked++
            }
        }
        $checked | Should -BeGreaterOrEqual 4 -Because 'Move-ServerLive, Invoke-NodeEvacuation and Connect-ComputeNode have them'
    }

    It 'says Get-ComputeNode -Name accepts wildcards, as it does' {
        (Get-Help Get-ComputeNode -Parameter Name).globbing | Should -Be 'true'
        (Get-Command Get-ComputeNode).Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
    }

    It 'shows Mount-InstanceDisk -Partition as Int32' {
        (Get-Help Mount-InstanceDisk -Parameter Partition).type.name | Should -Be 'Int32'
    }

    It 'recommends -Session $using:s when not connected' {
        Get-OpenStackSession | Should -BeNullOrEmpty
        $e = { Get-ComputeNode -ErrorAction Stop } | Should -Throw -PassThru
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('-Session $using:s'))
    }
}

Describe 'about_OpenStackOps_ErrorIds' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ErrorIds.ps1')
        $code = Get-OpenStackOpsErrorId $RepoRoot
        $entries = @((Get-Help about_OpenStackOps_ErrorIds | Out-String) -split '\r?\n' |
            Where-Object { $_ -match '^\s{4}([A-Z]\w+) \((\w+)\)\s*$' } | ForEach-Object { @{ Id = $Matches[1]; Category = $Matches[2] } })
        $listed = @($entries | ForEach-Object { $_.Id })
    }

    It 'finds the ids in the code' {
        $code.Ids.Count | Should -BeGreaterThan 50
        $code.Operations.Count | Should -BeGreaterThan 20
        $code.Outcomes | Should -Contain 'Unreachable'
        $code.Outcomes | Should -Contain 'HostKeyUnknown'
        foreach ($id in 'OpenStackConfigurationCloudNotFound', 'DatabaseRecoveryHalfApplied', 'PortQuotaExhausted') { $code.Ids | Should -Contain $id }
    }

    It 'lists every id, operation and outcome the code can raise' {
        foreach ($id in $code.Ids + $code.Operations + $code.Outcomes) { $listed | Should -Contain $id }
    }

    It 'gives each engine failure a category the code raises it with' {
        $checked = 0
        foreach ($entry in $entries | Where-Object { $code.Categories.ContainsKey($_.Id) }) {
            $entry.Category | Should -BeIn @($code.Categories[$entry.Id]) -Because "$($entry.Id) is raised as $(@($code.Categories[$entry.Id]) -join ' or ')"
            $checked++
        }
        $checked | Should -BeGreaterThan 60
    }

    It 'lists nothing the code cannot raise' {
        foreach ($id in $listed) { $id | Should -BeIn ($code.Ids + $code.Operations + $code.Outcomes) }
    }
}
