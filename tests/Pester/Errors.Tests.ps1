# Stable error ids (FullyQualifiedErrorId) of representative failures, as scripts catch them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function Get-ErrorRecord([scriptblock] $Script) {
        try { & $Script; $null } catch { $_ }
    }
}

Describe 'Error ids' {
    It 'NotConnected when no session exists' {
        Disconnect-OpenStack
        $e = Get-ErrorRecord { Get-ComputeNode -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Be 'NotConnected,OpenStackOps.Commands.Compute.GetComputeNodeCommand'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Connect-OpenStack'
    }

    It 'OpenStackConfigurationCloudNotFound for a cloud clouds.yaml does not have' {
        $yaml = Join-Path ([IO.Path]::GetTempPath()) "osops-empty-$([guid]::NewGuid()).yaml"
        Set-Content -Path $yaml -Value "clouds:`n  other:`n    auth:`n      auth_url: http://127.0.0.1:9/v3`n"
        try { $e = Get-ErrorRecord { Connect-OpenStack -Cloud missing -CloudsYamlPath $yaml -ErrorAction Stop } }
        finally { Remove-Item $yaml }
        $e.FullyQualifiedErrorId | Should -Match '^OpenStackConfigurationCloudNotFound,'
    }

    It 'a cmdlet''s error id survives -ErrorVariable without stopping the script' {
        $cloud = New-FakeCloud
        try {
            Connect-FakeCloud $cloud
            $nodes = Get-ComputeNode c01, nosuchnode -ErrorAction SilentlyContinue -ErrorVariable failed
            $nodes.Host | Should -Be 'c01.example.com'
            $failed.FullyQualifiedErrorId | Should -Be 'ComputeNodeNotFound,OpenStackOps.Commands.Compute.GetComputeNodeCommand'
            $failed.TargetObject | Should -Be 'nosuchnode'
        }
        finally { Disconnect-OpenStack; $cloud.Dispose() }
    }

    It 'a server nova shows without its host (a non-admin answer) is refused by Mount-/Dismount-InstanceDisk before any SSH, saying what helps' {
        $cloud = New-FakeCloud
        try {
            $cloud.AddServer('hostless', $null)
            Connect-FakeCloud $cloud
            $calls = @{ 'Mount-InstanceDisk' = @{ Justification = 'CHG-1' }; 'Dismount-InstanceDisk' = @{} }
            foreach ($cmd in $calls.Keys) {
                $more = $calls[$cmd]
                $e = Get-ErrorRecord { & $cmd -Server hostless @more -Confirm:$false -ErrorAction Stop }
                $e | Should -Not -BeNullOrEmpty -Because "$cmd must refuse"
                $e.FullyQualifiedErrorId | Should -Match 'PermissionDenied,' -Because $cmd
                $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
                $e.Exception.Message | Should -Match 'hostless.*admin session' -Because $cmd
            }
        }
        finally { Disconnect-OpenStack; $cloud.Dispose() }
    }
}

Describe 'Error ids against the devcloud' -Tag Devcloud {
    It 'ComputeNodeNotFound for a host nova does not know, with the category and target' {
        Connect-Devcloud
        try {
            $e = Get-ErrorRecord { Get-ComputeNode no-such-host.example.com -ErrorAction Stop }
            $e.FullyQualifiedErrorId | Should -Be 'ComputeNodeNotFound,OpenStackOps.Commands.Compute.GetComputeNodeCommand'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e.TargetObject | Should -Be 'no-such-host.example.com'
        }
        finally { Disconnect-OpenStack }
    }

    It 'KeystoneAuthenticationFailed for a wrong password, which no output repeats' {
        $url = (Select-String -Path $DevcloudYaml -Pattern 'auth_url:\s*(\S+)' | Select-Object -First 1).Matches[0].Groups[1].Value
        $credential = [pscredential]::new('admin', (ConvertTo-SecureString 'wrong-Pa55word-9' -AsPlainText -Force))
        $e = Get-ErrorRecord { Connect-OpenStack -AuthUrl $url -Credential $credential -ProjectName admin -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Be 'KeystoneAuthenticationFailed,OpenStackOps.Commands.Sessions.ConnectOpenStackCommand'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($e | Out-String) + $e.Exception.ToString() | Should -Not -Match 'wrong-Pa55word-9'
    }
}
