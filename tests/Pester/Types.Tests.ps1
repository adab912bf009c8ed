# Every type an operator meets (outputs, parameters, their enums) can be named in their session: [Type]::new(),
# -is, casts and typed parameters work on what the cmdlets return.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # The module's own output types; a -Quiet [bool] is PowerShell's.
    $outputTypes = Get-OpenStackOpsCmdlet | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_ -ne [void] -and $_ -ne [bool] } |
        Sort-Object FullName -Unique | ForEach-Object { @{ Name = $_.FullName } }
    $parameterTypes = Get-OpenStackOpsCmdlet | ForEach-Object { $_.Parameters.Values.ParameterType } |
        ForEach-Object { if ($_.IsArray) { $_.GetElementType() } else { $_ } } |
        Where-Object Namespace -like 'OpenStackOps*' | Sort-Object FullName -Unique | ForEach-Object { @{ Name = $_.FullName } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Type names in the user''s session' {
    It 'resolves output type <Name> by its full name' -TestCases $outputTypes {
        $type = $Name -as [type]
        $type | Should -Not -BeNullOrEmpty -Because "[$Name] must be usable in scripts"
        $type.Assembly.GetName().Name | Should -Be 'OpenStackOps.Core'
    }

    It 'resolves parameter type <Name> by its full name' -TestCases $parameterTypes {
        ($Name -as [type]) | Should -Not -BeNullOrEmpty
    }

    It 'found enough of both to be worth checking' -TestCases @{ Outputs = $outputTypes.Count; Parameters = $parameterTypes.Count } {
        $Outputs | Should -BeGreaterOrEqual 15
        $Parameters | Should -BeGreaterOrEqual 1
    }

    It 'constructs a ComputeNode with ::new() and a hashtable cast' {
        $empty = [OpenStackOps.Compute.Nodes.ComputeNode]::new()
        $empty | Should -BeOfType ([OpenStackOps.Compute.Nodes.ComputeNode])
        $node = [OpenStackOps.Compute.Nodes.ComputeNode]@{ Host = 'c01.example.com'; Status = 'disabled' }
        $node.Host | Should -Be 'c01.example.com'
        $node.IsEnabled | Should -BeFalse
    }
}

Describe 'Typed scripts over cmdlet output (fake cloud)' {
    BeforeAll {
        $cloud = New-FakeCloud
        Connect-FakeCloud $cloud
    }
    AfterAll {
        Disconnect-OpenStack
        $cloud.Dispose()
    }

    It '-is recognises what Get-ComputeNode and Get-NodeServer write' {
        $nodes = @(Get-ComputeNode)
        $nodes.Count | Should -BeGreaterThan 0
        $nodes | ForEach-Object { $_ -is [OpenStackOps.Compute.Nodes.ComputeNode] | Should -BeTrue }
        @(Get-NodeServer c01)[0] -is [OpenStackOps.Compute.Servers.Server] | Should -BeTrue
        Get-OpenStackSession | Should -BeOfType ([OpenStackOps.Sessions.OpenStackSession])
    }

    It 'a function with a typed parameter accepts piped servers' {
        function Get-ServerLabel {
            param([Parameter(Mandatory, ValueFromPipeline)] [OpenStackOps.Compute.Servers.Server] $Server)
            process { '{0}@{1}' -f $Server.Name, $Server.Host }
        }
        Get-NodeServer c01 | Get-ServerLabel | Sort-Object | Should -Be @('web-1@c01.example.com', 'web-2@c01.example.com')
    }

    It 'the typed parameter refuses what is not a server' {
        function Get-ServerName { param([OpenStackOps.Compute.Servers.Server] $Server) $Server.Name }
        { Get-ServerName -Server (Get-Date) } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,Get-ServerName'
    }
}
