# Objects of the module's output types built by their type names, as an operator's script or test can, with
# realistic values in every settable property: the views' rendering is then tested without a cloud.
$script:SampleValues = @{
    Host = 'c01.example.com'; Node = 'c01.example.com'; Source = 'c01.example.com'; Destination = 'c02.example.com'
    SourceHost = 'c01.example.com'; DestinationHost = 'c02.example.com'; From = 'c01.example.com'; To = 'c02.example.com'
    Name = 'web-1'; ServerName = 'web-1'; Server = 'web-1'; Status = 'ACTIVE'; State = 'up'; Interface = 'public'; Zone = 'nova'
    Id = '3edbf4fb-fe84-4e02-97a8-d9786fdc0642'; ServerId = '3edbf4fb-fe84-4e02-97a8-d9786fdc0642'
    VolumeId = '8d3a1f0e-5b6c-4c2d-9e7f-0a1b2c3d4e5f'; PortId = '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'
    DisabledReason = 'patching, CHG-1234: kernel 6.1.0-28'; Message = 'moved'; IPAddress = '203.0.113.40'; Address = '127.0.0.1'
    User = 'osops'; Service = 'nova-compute'; Flavor = 'm1.tiny'; Device = '/dev/vdb'; Network = 'public'
    Duration = '00:01:05'; Elapsed = '00:01:05'
}
# Values a type accepts only from a fixed list (its text status, set by name).
$script:SampleValuesByType = @{
    'OpenStackOps.Maintenance.MigrationResult' = @{ Status = 'Completed'; Kind = 'Live' }
}

# -Property sets values of its own afterwards (the widest a real object shows, for a view's worst case).
function New-SampleObject([type] $Type, [hashtable] $Property = @{}) {
    $o = [Activator]::CreateInstance($Type)
    foreach ($p in $Type.GetProperties()) {
        if (-not $p.CanWrite -or -not $p.SetMethod.IsPublic) { continue }
        $t = [Nullable]::GetUnderlyingType($p.PropertyType) ?? $p.PropertyType
        $own = $script:SampleValuesByType[$Type.FullName]
        $value = if ($own -and $own.ContainsKey($p.Name)) { $own[$p.Name] }
        elseif ($script:SampleValues.ContainsKey($p.Name) -and $t -eq [string]) { $script:SampleValues[$p.Name] }
        elseif ($t -eq [string]) { $p.Name.ToLowerInvariant() }
        elseif ($t -in [int], [long], [double]) { 3 }
        elseif ($t -eq [bool]) { $false }   # flags such as Forced or Planned add words to a view
        elseif ($t -eq [DateTimeOffset]) { [DateTimeOffset]'2026-11-23T07:10:20Z' }
        elseif ($t -eq [DateTime]) { [DateTime]'2026-11-23T07:10:20Z' }
        elseif ($t -eq [TimeSpan]) { [TimeSpan]'00:01:05' }
        elseif ($t -eq [Guid]) { [Guid]'3edbf4fb-fe84-4e02-97a8-d9786fdc0642' }
        elseif ($t.IsEnum) { [Enum]::GetValues($t)[0] }
        elseif ($t -eq [string[]] -or $t -eq [OpenStackOps.ReadableList[string]]) { , [string[]]@($p.Name.ToLowerInvariant()) }
        else { continue }
        $p.SetValue($o, [Management.Automation.LanguagePrimitives]::ConvertTo($value, $p.PropertyType))
    }
    foreach ($name in $Property.Keys) { $o.$name = $Property[$name] }
    $o
}
