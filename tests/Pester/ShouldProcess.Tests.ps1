# -WhatIf, -Confirm and $ConfirmPreference as pwsh applies them: what would prompt does not act in a
# non-interactive session, and -WhatIf sends no change to the cloud (fake cloud, which logs every request).
# Invoke-PesterTier.ps1 runs in `pwsh -NonInteractive`, where a prompt fails instead of waiting for an answer.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    Connect-FakeCloud $cloud
    function Get-ChangeRequest { @(Get-FakeCloudRequest $cloud | Where-Object { $_ -notmatch '^(GET|POST /identity)' }) }
}

AfterAll {
    Disconnect-OpenStack
    $cloud.Dispose()
}

Describe 'ShouldProcess' {
    BeforeEach { $cloud.Requests.Clear() }

    It 'Disable-ComputeNode -WhatIf -PassThru returns the planned node and changes nothing' {
        $plan = Disable-ComputeNode c01 -Reason 'CHG-1' -WhatIf -PassThru
        $plan.Planned | Should -BeTrue
        $plan.Status | Should -Be 'disabled'
        Get-ChangeRequest | Should -BeNullOrEmpty
        (Get-ComputeNode c01).Status | Should -Be 'enabled'
    }

    It '$WhatIfPreference = $true makes every change a plan' {
        $WhatIfPreference = $true
        try { Disable-ComputeNode c02 -Reason 'CHG-2' } finally { $WhatIfPreference = $false }
        Get-ChangeRequest | Should -BeNullOrEmpty
    }

    It '$ConfirmPreference = ''Medium'' asks before a Medium-impact change, and a non-interactive session cannot answer' {
        $ConfirmPreference = 'Medium'
        { Disable-ComputeNode c01 -Reason 'CHG-3' -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.PSInvalidOperationException]) -ExpectedMessage '*NonInteractive*'
        Get-ChangeRequest | Should -BeNullOrEmpty
    }

    It '-Confirm:$false overrides $ConfirmPreference and the change is made' {
        $ConfirmPreference = 'Low'
        $node = Disable-ComputeNode c02 -Reason 'CHG-4' -Confirm:$false -PassThru
        $node.Status | Should -Be 'disabled'
        Get-ChangeRequest | Should -Match '^PUT /compute/v2.1/os-services/'
        Enable-ComputeNode c02 -Confirm:$false
        (Get-ComputeNode c02).Status | Should -Be 'enabled'
    }

    It 'the default $ConfirmPreference (High) does not ask for a Medium-impact change' {
        $ConfirmPreference | Should -Be 'High'
        Disable-ComputeNode c01 -Reason 'CHG-5'
        (Get-ComputeNode c01).DisabledReason | Should -Be 'CHG-5'
        Enable-ComputeNode c01
    }

    It 'the destructive cmdlets are High impact, so they ask under the default preference' -TestCases @(
        @{ Name = 'Invoke-NodeEvacuation' }, @{ Name = 'Move-ServerDatabaseRecord' }, @{ Name = 'Restore-ServerDatabaseRecord' },
        @{ Name = 'Restore-VolumeAttachment' }, @{ Name = 'Mount-InstanceDisk' }, @{ Name = 'Restart-NodeServer' }, @{ Name = 'Repair-SwiftDisk' }
    ) {
        $attribute = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It 'Restart-NodeServer asks under the default preference, and the non-interactive session reboots nothing' {
        { Get-NodeServer c02 | Restart-NodeServer -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.PSInvalidOperationException]) -ExpectedMessage '*NonInteractive*'
        Get-ChangeRequest | Should -BeNullOrEmpty
    }
}
