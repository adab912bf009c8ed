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
