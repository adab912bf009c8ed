# The one error model: every engine failure (OpenStackOpsException) becomes the ErrorRecord it always did, through
# the one mapper (ErrorRecords.FromException). The table is the ids, categories and targets the cmdlets wrote before
# the model was one (issue #12): a change of any of them is a change scripts see.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $api = @(
        @{ Kind = 'BadRequest'; Outcome = 'InvalidRequest'; Category = 'InvalidArgument' }
        @{ Kind = 'Unauthorized'; Outcome = 'AuthenticationFailed'; Category = 'AuthenticationError' }
        @{ Kind = 'Forbidden'; Outcome = 'Forbidden'; Category = 'PermissionDenied' }
        @{ Kind = 'NotFound'; Outcome = 'NotFound'; Category = 'ObjectNotFound' }
        @{ Kind = 'Conflict'; Outcome = 'Conflict'; Category = 'ResourceBusy' }
        @{ Kind = 'NotAcceptable'; Outcome = 'MicroversionNotSupported'; Category = 'NotImplemented' }
        @{ Kind = 'ServiceUnavailable'; Outcome = 'ServiceUnavailable'; Category = 'ResourceUnavailable' }
        @{ Kind = 'ServerError'; Outcome = 'ServerError'; Category = 'ResourceUnavailable' }
        @{ Kind = 'Timeout'; Outcome = 'Timeout'; Category = 'OperationTimeout' }
        @{ Kind = 'ConnectionFailed'; Outcome = 'Unreachable'; Category = 'ConnectionError' }
        @{ Kind = 'TlsFailure'; Outcome = 'TlsFailure'; Category = 'SecurityError' }
        @{ Kind = 'InvalidResponse'; Outcome = 'InvalidResponse'; Category = 'InvalidResult' }
        @{ Kind = 'Other'; Outcome = 'Failed'; Category = 'NotSpecified' }
    )
    $node = @(
        @{ Kind = 'CommandFailed'; Category = 'InvalidResult' }
        @{ Kind = 'Timeout'; Category = 'OperationTimeout' }
        @{ Kind = 'ConnectionFailed'; Category = 'ConnectionError' }
        @{ Kind = 'AuthenticationFailed'; Category = 'AuthenticationError' }
        @{ Kind = 'HostKeyUnknown'; Category = 'SecurityError' }
        @{ Kind = 'HostKeyChanged'; Category = 'SecurityError' }
        @{ Kind = 'PermissionDenied'; Category = 'PermissionDenied' }
        @{ Kind = 'NotFound'; Category = 'ObjectNotFound' }
        @{ Kind = 'Busy'; Category = 'ResourceBusy' }
        @{ Kind = 'InvalidArgument'; Category = 'InvalidArgument' }
        @{ Kind = 'Unsupported'; Category = 'NotImplemented' }
    )
    $database = @(
        @{ Reason = 'Blocked'; Category = 'InvalidData'; Action = 'Resolve the rows named*' }
        @{ Reason = 'RowsChanged'; Category = 'InvalidData'; Action = 'Something changed the rows*' }
        @{ Reason = 'DatabaseFailed'; Category = 'ResourceUnavailable'; Action = 'Check the database server*' }
        @{ Reason = 'JournalUnwritable'; Category = 'WriteError'; Action = '*-JournalPath.' }
        @{ Reason = 'JournalInvalid'; Category = 'InvalidData'; Action = 'Pass the journal*' }
        @{ Reason = 'NothingToRestore'; Category = 'InvalidOperation'; Action = 'Nothing to do*' }
        @{ Reason = 'HalfApplied'; Category = 'InvalidResult'; Action = "Run Restore-ServerDatabaseRecord -JournalPath '/j.json' now." }
        @{ Reason = 'ChangedSinceMove'; Category = 'InvalidData'; Action = 'Look at the rows named*' }
        @{ Reason = 'StartedOnDestination'; Category = 'ResourceBusy'; Action = 'Leave the servers where they run*' }
        @{ Reason = 'PlacementFailed'; Category = 'ResourceUnavailable'; Action = 'The message says what was put back.*Connect-OpenStack first.' }
    )
    $address = @(
        @{ Failure = 'InvalidAddress'; Id = 'InvalidIPAddress'; Category = 'InvalidArgument' }
        @{ Failure = 'NetworkNotFound'; Id = 'NetworkNotFound'; Category = 'ObjectNotFound' }
        @{ Failure = 'NetworkAmbiguous'; Id = 'NetworkNameAmbiguous'; Category = 'InvalidArgument' }
        @{ Failure = 'NotInNetwork'; Id = 'AddressNotInNetwork'; Category = 'InvalidArgument' }
        @{ Failure = 'SubnetAmbiguous'; Id = 'AddressInSeveralNetworks'; Category = 'InvalidArgument' }
        @{ Failure = 'GatewayAddress'; Id = 'AddressIsGateway'; Category = 'InvalidArgument' }
        @{ Failure = 'OutsideAllocationPools'; Id = 'AddressOutsideAllocationPools'; Category = 'InvalidOperation' }
        @{ Failure = 'AddressInUse'; Id = 'PortAddressInUse'; Category = 'ResourceExists' }
        @{ Failure = 'NotObtainable'; Id = 'PortAddressNotObtainable'; Category = 'ResourceUnavailable' }
        @{ Failure = 'ExactForbidden'; Id = 'PortAddressRequestForbidden'; Category = 'PermissionDenied' }
        @{ Failure = 'QuotaExhausted'; Id = 'PortQuotaExhausted'; Category = 'QuotaExceeded' }
        @{ Failure = 'RoundsExhausted'; Id = 'PortAddressSweepExhausted'; Category = 'LimitsExceeded' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $module = (Get-Module OpenStackOps).ImplementingAssembly
    $mapper = $module.GetType('OpenStackOps.Infrastructure.ErrorRecords').GetMethod('FromException')
    function ConvertTo-ErrorRecord($Exception, $Operation, $Target) { $mapper.Invoke($null, @($Exception, $Operation, $Target)) }
}

Describe 'The error model' {
    It 'names every FailureCategory as PowerShell names an ErrorCategory' {
        foreach ($name in [Enum]::GetNames([OpenStackOps.FailureCategory])) { $name -as [System.Management.Automation.ErrorCategory] | Should -Not -BeNullOrEmpty -Because $name }
    }

    It 'has every ApiErrorKind, NodeErrorKind, DatabaseRecoveryError and AddressRecoveryFailure in its table' -ForEach @{
        Api = $api.Kind; Node = $node.Kind; Database = $database.Reason; Address = $address.Failure } {
        [Enum]::GetNames([OpenStackOps.Http.ApiErrorKind]) | Should -Be $Api
        [Enum]::GetNames([OpenStackOps.Node.Shell.NodeErrorKind]) | Should -Be $Node
        [Enum]::GetNames([OpenStackOps.Database.DatabaseRecoveryError]) | Should -Be $Database
        [Enum]::GetNames([OpenStackOps.Network.Recovery.AddressRecoveryFailure]) | Should -Be $Address
    }

    It 'API <Kind>: <operation><Outcome>, <Category>, the cmdlet''s target, the request id to search for' -ForEach $api {
        $e = [OpenStackOps.Http.OpenStackApiException]::new($Kind, 'nova said no', $null)
        $r = ConvertTo-ErrorRecord $e 'NovaShowServer' 'web-1'
        $r.FullyQualifiedErrorId | Should -Be "NovaShowServer$Outcome"
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 'web-1'
        $r.ErrorDetails | Should -BeNullOrEmpty
        $e.RequestId = 'req-1'
        (ConvertTo-ErrorRecord $e 'NovaShowServer' 'web-1').ErrorDetails.RecommendedAction | Should -Be 'Search the service logs for request req-1.'
    }

    It 'node <Kind>: <operation><Kind>, <Category>, the cmdlet''s target else the node, the action' -ForEach $node {
        $e = [OpenStackOps.Node.Shell.NodeCommandException]::new($Kind, 'c01', 'it failed', $null, $null)
        $r = ConvertTo-ErrorRecord $e 'NodeConnect' $null
        $r.FullyQualifiedErrorId | Should -Be "NodeConnect$Kind"
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 'c01'
        $r.ErrorDetails | Should -BeNullOrEmpty
        $e.RecommendedAction = 'do this'
        $r = ConvertTo-ErrorRecord $e 'NodeConnect' 'web-1'
        $r.TargetObject | Should -Be 'web-1'
        $r.ErrorDetails.RecommendedAction | Should -Be 'do this'
        $r.ErrorDetails.Message | Should -Be 'it failed'
    }

    It 'database <Reason>: DatabaseRecovery<Reason>, <Category>, its row, its action' -ForEach $database {
        $e = [OpenStackOps.Database.DatabaseRecoveryException]::new($Reason, 'port p1', 'stopped', $null)
        $e.JournalPath = '/j.json'
        $r = ConvertTo-ErrorRecord $e $null $null
        $r.FullyQualifiedErrorId | Should -Be "DatabaseRecovery$Reason"
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 'port p1'
        $r.ErrorDetails.Message | Should -Be 'stopped'
        $r.ErrorDetails.RecommendedAction | Should -BeLike $Action
    }

    It 'a database plan''s problem <Kind>: DatabaseRecovery<Kind>, <Category>, its row, nothing changed' -ForEach @(
        @{ Kind = 'DestinationBindingExists'; Category = 'ResourceExists' }
        @{ Kind = 'InactiveBinding'; Category = 'InvalidData' }
        @{ Kind = 'DuplicateBinding'; Category = 'InvalidData' }
        @{ Kind = 'StaleBinding'; Category = 'InvalidData' }
        @{ Kind = 'InconsistentLevels'; Category = 'InvalidData' }
        @{ Kind = 'DestinationNodeUnknown'; Category = 'ObjectNotFound' }
        @{ Kind = 'InstanceNotOnFailedHost'; Category = 'ObjectNotFound' }
        @{ Kind = 'SameHost'; Category = 'InvalidArgument' }
    ) {
        $r = ConvertTo-ErrorRecord ([OpenStackOps.Database.RecoveryProblemException]::new($Kind, 'port p1', 'Port p1 is odd.', $null)) $null $null
        $r.FullyQualifiedErrorId | Should -Be "DatabaseRecovery$Kind"
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 'port p1'
        $r.Exception.Message | Should -Be 'Port p1 is odd. Nothing was changed.'
        $r.ErrorDetails.Message | Should -Be 'Port p1 is odd. Nothing was changed.'
        $r.ErrorDetails.RecommendedAction | Should -Be 'Resolve this row (or leave the instance out with -InstanceId), then run again.'
    }

    It 'address <Failure>: <Id>, <Category>, the address, what the run left' -ForEach $address {
        $e = [OpenStackOps.Network.Recovery.AddressRecoveryException]::new($Failure, 'not recovered', $null)
        $e.IpAddress = '10.0.0.5'; $e.PortsCreated = 3; $e.PortsDeleted = 2; $e.LeftBehind = @('p9')
        $r = ConvertTo-ErrorRecord $e 'RestorePortAddress' '10.0.0.5/typed'
        $r.FullyQualifiedErrorId | Should -Be $Id
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be '10.0.0.5'
        $r.ErrorDetails.Message | Should -Be 'not recovered 3 temporary port(s) were created and 2 deleted; delete these by hand: p9.'
        $r.ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
    }

    It 'names the port that holds an address in use' {
        $holder = [OpenStackOps.Network.Ports.Port]::new()
        $e = [OpenStackOps.Network.Recovery.AddressRecoveryException]::new('AddressInUse', 'in use', $null)
        $e.IpAddress = '10.0.0.5'; $e.Holder = $holder
        (ConvertTo-ErrorRecord $e $null $null).TargetObject | Should -Be $holder
        $e.PortsCreated = 0
        (ConvertTo-ErrorRecord $e $null $null).ErrorDetails.Message | Should -Be 'in use No port was created.'
    }

    It 'configuration: OpenStackConfiguration<Reason> whatever the operation, its own target first' {
        $e = [OpenStackOps.Configuration.ConfigurationException]::new('CloudNotFound', 'no such cloud', 'prod', $null)
        $r = ConvertTo-ErrorRecord $e 'Keystone' 'other'
        $r.FullyQualifiedErrorId | Should -Be 'OpenStackConfigurationCloudNotFound'
        "$($r.CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $r.TargetObject | Should -Be 'prod'
        $e = [OpenStackOps.Configuration.ConfigurationException]::new('MissingSetting', 'no password', [NullString]::Value, $null)
        $r = ConvertTo-ErrorRecord $e 'OpenStackConfiguration' 'prod'
        "$($r.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $r.TargetObject | Should -Be 'prod'
    }

    It 'a microversion the cloud lacks: <operation>MicroversionNotSupported, NotImplemented' {
        $v = [OpenStackOps.Compute.Microversion]::Parse('2.53')
        $e = [OpenStackOps.Compute.MicroversionNotSupportedException]::new('compute', 'Enable-ComputeNode', $v, [OpenStackOps.Compute.Microversion]::Parse('2.1'))
        $r = ConvertTo-ErrorRecord $e 'NovaEnableComputeService' 'c01'
        $r.FullyQualifiedErrorId | Should -Be 'NovaEnableComputeServiceMicroversionNotSupported'
        "$($r.CategoryInfo.Category)" | Should -Be 'NotImplemented'
    }

    It 'a failed <Factory> result with <Outcome> and HTTP <Status>: <Id>, <Category>, the server' -ForEach @(
        @{ Factory = 'OfMove'; Outcome = 'RolledBack'; Status = $null; Id = 'NovaLiveMigrateRolledBack'; Category = 'InvalidResult' }
        @{ Factory = 'OfMove'; Outcome = 'TimedOut'; Status = $null; Id = 'NovaLiveMigrateTimedOut'; Category = 'OperationTimeout' }
        @{ Factory = 'OfMove'; Outcome = 'Aborted'; Status = $null; Id = 'NovaLiveMigrateAborted'; Category = 'OperationStopped' }
        @{ Factory = 'OfMove'; Outcome = 'Failed'; Status = 400; Id = 'NovaLiveMigrateFailed'; Category = 'InvalidArgument' }
        @{ Factory = 'OfMove'; Outcome = 'Failed'; Status = 409; Id = 'NovaLiveMigrateConflict'; Category = 'ResourceBusy' }
        @{ Factory = 'OfMove'; Outcome = 'Unverified'; Status = $null; Id = 'NovaLiveMigrateUnverified'; Category = 'InvalidResult' }
        @{ Factory = 'OfEvacuation'; Outcome = 'TimedOut'; Status = $null; Id = 'NovaEvacuateTimedOut'; Category = 'OperationTimeout' }
        @{ Factory = 'OfEvacuation'; Outcome = 'Failed'; Status = 409; Id = 'NovaEvacuateFailed'; Category = 'InvalidResult' }
    ) {
        $result = [OpenStackOps.Maintenance.MigrationResult]::new()
        $result.GetType().GetProperty('Outcome', [Reflection.BindingFlags]'NonPublic,Instance').SetValue($result, [OpenStackOps.Maintenance.MigrationOutcome]$Outcome)
        $result.ServerId = 's1'; $result.ServerName = 'web-1'; $result.SourceHost = 'c01'; $result.HttpStatus = $Status
        $result.Error = 'nova said no'; $result.RequestId = 'req-1'
        $failure = [OpenStackOps.Maintenance.MigrationFailedException].GetMethod($Factory, [Reflection.BindingFlags]'NonPublic,Static').Invoke($null, @($result))
        $r = ConvertTo-ErrorRecord $failure ($Id -replace '^(NovaLiveMigrate|NovaEvacuate).*$', '$1') 's1'
        $r.FullyQualifiedErrorId | Should -Be $Id
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 's1'
        $r.ErrorDetails | Should -BeNullOrEmpty
        $r.Exception.Message | Should -Be ($(if ($Factory -eq 'OfMove') { "web-1 was not moved from c01: $($Outcome): nova said no [request req-1]" } else { "web-1 (s1) was not evacuated from c01: $Outcome. nova said no" }))
    }

    It 'a volume left <Status> by the reattach: VolumeReattach<Status>, <Category>, the volume' -ForEach @(
        @{ Status = 'TimedOut'; Category = 'OperationTimeout' }
        @{ Status = 'Failed'; Category = 'InvalidResult' }
    ) {
        $result = [OpenStackOps.Volumes.VolumeReattachResult]@{ VolumeId = 'v1'; ServerId = 's1'; Status = $Status; FailedStep = 'attach'; Error = 'cinder said no' }
        $r = ConvertTo-ErrorRecord ([OpenStackOps.Volumes.VolumeReattachFailedException]::new($result, 'volume v1 on web-1')) 'VolumeReattach' 'v1'
        $r.FullyQualifiedErrorId | Should -Be "VolumeReattach$Status"
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 'v1'
        $r.ErrorDetails | Should -BeNullOrEmpty
        $r.Exception.Message | Should -Be "Could not reattach volume v1 on web-1 ($Status at attach): cinder said no"
    }

    It 'a server that did not come back after <Action> (<Status>): <Id>, <Category>, the server, what to do' -ForEach @(
        @{ Action = 'HardReboot'; Status = 'ERROR'; Id = 'NodeServerRestartFailed'; Category = 'InvalidResult'; Todo = 'Look at the instance''s nova-compute log lines and instance actions (request req-1).' }
        @{ Action = 'Start'; Status = 'SHUTOFF'; Id = 'NodeServerRestartTimeout'; Category = 'OperationTimeout'; Todo = 'Try Restart-NodeServer -Hard -ServerId s1, which regenerates the domain XML.' }
    ) {
        $result = [OpenStackOps.Node.Recovery.ServerRestartResult]@{ ServerId = 's1'; ServerName = 'web-1'; Action = $Action; Status = $Status; Message = 'still down'; RequestId = 'req-1' }
        $r = ConvertTo-ErrorRecord ([OpenStackOps.Node.Recovery.ServerRestartFailedException]::new($result, 'c01')) 'NodeServerRestart' 's1'
        $r.FullyQualifiedErrorId | Should -Be $Id
        "$($r.CategoryInfo.Category)" | Should -Be $Category
        $r.TargetObject | Should -Be 's1'
        $r.Exception.Message | Should -Be "web-1 (s1) on c01 did not come back after $($Action): still down. "
        $r.ErrorDetails.RecommendedAction | Should -Be $Todo
    }

    It 'other failures: <operation>InvalidArgument, Cancelled or Failed' {
        (ConvertTo-ErrorRecord ([ArgumentException]::new('bad')) 'Op' 't').FullyQualifiedErrorId | Should -Be 'OpInvalidArgument'
        (ConvertTo-ErrorRecord ([OperationCanceledException]::new()) 'Op' 't').CategoryInfo.Category | Should -Be 'OperationStopped'
        $r = ConvertTo-ErrorRecord ([IO.IOException]::new('disk')) 'Op' 't'
        $r.FullyQualifiedErrorId | Should -Be 'OpFailed'
        "$($r.CategoryInfo.Category)" | Should -Be 'NotSpecified'
    }
}
