# Tab completion through TabExpansion2, as the console's Tab key asks it: every ValidateSet and enum parameter
# of the module completes to exactly its values, and a typed prefix narrows them.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cases = foreach ($cmdlet in Get-OpenStackOpsCmdlet) {
        foreach ($parameter in $cmdlet.Parameters.Values) {
            if ($parameter.Name -in [System.Management.Automation.Cmdlet]::CommonParameters) { continue }
            $set = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            $type = [Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType
            $values = if ($set) { $set.ValidValues } elseif ($type.IsEnum) { [Enum]::GetNames($type) } else { continue }
            @{ Command = $cmdlet.Name; Parameter = $parameter.Name; Values = [string[]]$values }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'Tab completion' {
    It 'found the ValidateSet and enum parameters (<Count>)' -TestCases @{ Count = $cases.Count } {
        $Count | Should -BeGreaterOrEqual 8
    }

    It '<Command> -<Parameter> completes to <Values>' -TestCases $cases {
        $completions = Get-Completion "$Command -$Parameter "
        ($completions | Sort-Object) | Should -Be ($Values | Sort-Object)
    }

    It '<Command> -<Parameter> narrows to what starts with the typed letter' -TestCases $cases {
        $prefix = $Values[-1].Substring(0, 1)
        $completions = Get-Completion "$Command -$Parameter $prefix"
        $completions | Should -Contain $Values[-1]
        $completions | ForEach-Object { $_ | Should -BeLike "$prefix*" }
    }

    It 'completes the module''s cmdlet names and parameter names' {
        Get-Completion 'Get-ComputeNo' | Should -Contain 'Get-ComputeNode'
        Get-Completion 'Move-ServerLive -Throttle' | Should -Contain '-ThrottleLimit'
    }
}

# Names from the cloud (hosts, servers, networks) through the default session, and cloud names from clouds.yaml.
Describe 'Name completion' {
    BeforeAll {
        $cloud = New-FakeCloud
        Connect-FakeCloud $cloud
    }

    AfterAll {
        Disconnect-OpenStack
        $cloud.Dispose()
    }

    It '<Line> completes compute hosts, full and short names' -TestCases @(
        @{ Line = 'Get-ComputeNode ' }, @{ Line = 'Get-NodeServer ' }, @{ Line = 'Move-ServerLive web-1 -Destination ' },
        @{ Line = 'Invoke-NodeEvacuation ' }, @{ Line = 'Invoke-NodeEvacuation c01 -Destination ' }, @{ Line = 'Stop-NodeComputeService ' },
        @{ Line = 'Test-ComputeNodeHealth ' }, @{ Line = 'Restart-NodeServer ' }, @{ Line = 'Get-NodeVolumeAttachment ' }, @{ Line = 'Enable-ComputeNode ' }
    ) {
        Get-Completion $Line | Should -Be @('c01', 'c01.example.com', 'c02', 'c02.example.com', 'compute-1', 'compute-10')
    }

    It 'a typed prefix narrows the hosts (Disable-ComputeNode c0<Tab>)' {
        Get-Completion 'Disable-ComputeNode c0' | Should -Be @('c01', 'c01.example.com', 'c02', 'c02.example.com')
        Get-Completion 'Disable-ComputeNode compute-1' | Should -Be @('compute-1', 'compute-10')
    }

    It 'the database path offers only nova''s exact host names' {
        Get-Completion 'Move-ServerDatabaseRecord c' | Should -Be @('c01.example.com', 'c02.example.com', 'compute-1', 'compute-10')
    }

    It '<Line> completes server names' -TestCases @(
        @{ Line = 'Move-ServerLive ' }, @{ Line = 'Mount-InstanceDisk ' }, @{ Line = 'Invoke-NodeEvacuation c01 -Server ' }, @{ Line = 'Get-NetworkPort -Server ' }
    ) {
        Get-Completion $Line | Should -Be @('db-1', 'web-1', 'web-2')
        Get-Completion "${Line}we" | Should -Be @('web-1', 'web-2')
    }

    It '<Line> completes server ids from a name or id prefix, listed with the name' -TestCases @(
        @{ Line = 'Copy-InstanceDirectory -ServerId ' }, @{ Line = 'Copy-InstanceDirectory ' }, @{ Line = 'Restart-NodeServer c01 -ServerId ' }
    ) {
        $servers = @($cloud.Servers | ForEach-Object { [pscustomobject]@{ Id = $_['id'].ToString(); Name = $_['name'].ToString() } })
        $all = (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
        ($all.CompletionText | Sort-Object) | Should -Be ($servers.Id | Sort-Object)
        $web1 = $servers | Where-Object Name -eq 'web-1'
        ($all | Where-Object CompletionText -eq $web1.Id).ListItemText | Should -Be "web-1 ($($web1.Id))"
        # A name prefix completes to the ids of the servers so named; an id prefix to that id.
        (Get-Completion "${Line}web" | Sort-Object) | Should -Be (@($servers | Where-Object Name -like 'web*').Id | Sort-Object)
        Get-Completion "$Line$($web1.Id.Substring(0, 8))" | Should -Be $web1.Id
    }

    It '<Line> completes network names' -TestCases @(
        @{ Line = 'Get-NetworkPort -Network ' }, @{ Line = 'New-ReusablePort -Network ' }, @{ Line = 'Restore-PortAddress 203.0.113.5 -Network ' }
    ) {
        Get-Completion $Line | Should -Be @('public')
    }

    It 'a second completion of the same kind asks the cloud nothing (cached per session)' {
        $null = Get-Completion 'Get-ComputeNode '
        $null = Get-Completion 'Move-ServerLive '
        $before = (Get-FakeCloudRequest $cloud).Count
        Get-Completion 'Disable-ComputeNode c0' | Should -Contain 'c01'
        Get-Completion 'Move-ServerLive -Destination ' | Should -Contain 'c02.example.com'
        Get-Completion 'Move-ServerLive w' | Should -Contain 'web-1'
        (Get-FakeCloudRequest $cloud).Count | Should -Be $before
    }

    It 'a new session asks again, and a failing cloud completes to nothing without an error' {
        Connect-FakeCloud $cloud
        $cloud.FailNextComputeCalls = 10
        $Error.Clear()
        Get-Completion 'Get-ComputeNode ' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
        $cloud.FailNextComputeCalls = 0
    }

    It 'not connected: no completion and no error' {
        $r = Invoke-InNewRunspace "@((TabExpansion2 -inputScript 'Get-ComputeNode ' -cursorColumn 16).CompletionMatches | Where-Object ResultType -eq ParameterValue).Count"
        $r.Output | Should -Be 0
        $r.Errors | Should -BeNullOrEmpty
    }

    Context 'cloud names' {
        BeforeAll {
            $dir = Join-Path ([IO.Path]::GetTempPath()) "osops-completion-$PID"
            $null = New-Item -ItemType Directory -Force $dir
            $yaml = Join-Path $dir 'clouds.yaml'
            Set-Content $yaml "clouds:`n  prod:`n    auth:`n      auth_url: https://keystone.example.com/v3`n      password: not-shown-S3cr3t`n  lab:`n    auth:`n      auth_url: https://lab.example.com/v3`n"
            $secure = Join-Path $dir 'secure.yaml'
            Set-Content $secure "clouds:`n  staging:`n    auth:`n      password: also-not-shown`n"
            $saved = $env:OS_CLIENT_CONFIG_FILE, $env:OS_CLIENT_SECURE_FILE
        }
        AfterAll {
            $env:OS_CLIENT_CONFIG_FILE, $env:OS_CLIENT_SECURE_FILE = $saved
            Remove-Item -Recurse -Force $dir
        }

        It 'from the -CloudsYamlPath already typed, with no connection' {
            $completions = Get-Completion "Connect-OpenStack -CloudsYamlPath '$yaml' -Cloud "
            $completions | Should -Be @('lab', 'prod')
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$yaml' -Cloud p" | Should -Be @('prod')
        }

        It 'from OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE, and never a setting' {
            $env:OS_CLIENT_CONFIG_FILE = $yaml
            $env:OS_CLIENT_SECURE_FILE = $secure
            $completions = Get-Completion 'Connect-OpenStack -Cloud '
            $completions | Should -Be @('lab', 'prod', 'staging')
            ($completions -join ' ') | Should -Not -Match 'S3cr3t|not-shown|https'
        }

        It 'Connect-OpenStack -Region completes the typed cloud''s region_name or regions:, else every cloud''s' {
            $regional = Join-Path $dir 'regions.yaml'
            Set-Content $regional ("clouds:`n  prod:`n    region_name: RegionOne`n    auth:`n      auth_url: https://keystone.example.com/v3`n" +
                "  multi:`n    regions:`n      - name: eu-west`n      - us-east`n    auth:`n      auth_url: https://m.example.com/v3`n")
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$regional' -Cloud prod -Region " | Should -Be @('RegionOne')
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$regional' -Cloud multi -Region " | Should -Be @('eu-west', 'us-east')
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$regional' -Cloud multi -Region u" | Should -Be @('us-east')
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$regional' -Region " | Should -Be @('eu-west', 'RegionOne', 'us-east')
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$yaml' -Cloud prod -Region " | Should -BeNullOrEmpty
        }

        It 'a missing clouds.yaml completes to nothing without an error' {
            $Error.Clear()
            Get-Completion "Connect-OpenStack -CloudsYamlPath '$dir/none.yaml' -Cloud " | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
    }
}

Describe 'Name completion on the devcloud' -Tag Devcloud {
    BeforeAll { Connect-Devcloud }
    AfterAll { Disconnect-OpenStack }

    It 'completes its compute hosts, full and short, and its cloud name' {
        $hosts = Get-Completion 'Disable-ComputeNode c0'
        foreach ($h in 'c01', 'c01.example.com', 'c03', 'c03.example.com') { $hosts | Should -Contain $h }
        Get-Completion "Connect-OpenStack -CloudsYamlPath '$DevcloudYaml' -Cloud dev" | Should -Contain 'devcloud'
    }
}
