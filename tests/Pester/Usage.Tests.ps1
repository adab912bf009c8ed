# The weekly usage report (Get-ProjectQuotaUsage, Get-ImageUsage, Get-LargestServer, Get-NetworkIpAvailability; the
# hypervisor part is Get-NodeCapacity) against the in-process fake cloud: what each returns, what it costs in calls
# (pages and projects, never servers, images or networks), and that it exports readably. The same questions against
# the real services, compared with the openstack CLI's answers, are in tests/OpenStackOps.Module.Tests/Devcloud/UsageDevcloudTests.cs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function New-UsageCloud([int] $Extra = 0) {
        $cloud = New-FakeCloud
        $cloud.OffersImagesAndVolumes = $true
        for ($i = 0; $i -lt $Extra; $i++) { $cloud.AddServer("app-$i", 'c02.example.com', 'ACTIVE', 'p3') }
        $null = $cloud.AddImage('cirros', 21430272, 'public', 'p-admin', 'img-1')
        $null = $cloud.AddImage('debian-12', 2147483648, 'public')
        $null = $cloud.AddImage('alpha-golden', 1073741824, 'private', 'p1')
        $cloud
    }
    function Set-Flavor($cloud, [string] $name, [int] $vcpus, [int] $ram, [int] $disk) {
        $server = $cloud.Servers | Where-Object { [string]$_['name'] -eq $name }
        $server['flavor'] = [System.Text.Json.Nodes.JsonNode]::Parse("{""original_name"": ""f-$name"", ""vcpus"": $vcpus, ""ram"": $ram, ""disk"": $disk}")
    }
    function Measure-Call($session, [scriptblock] $run) {
        $before = $session.ApiCalls
        $null = & $run
        $session.ApiCalls - $before
    }
}

Describe 'Get-ProjectQuotaUsage' {
    BeforeAll { $cloud = New-UsageCloud; $session = Connect-FakeCloud $cloud -PassThru }
    AfterAll { Disconnect-OpenStack; $cloud.Dispose() }

    It 'gives every project''s nova, cinder and neutron quotas with limit, use and what is left' {
        $rows = @(Get-ProjectQuotaUsage)
        $rows | Should -HaveCount 21 -Because '3 projects x (4 nova + 2 cinder + 1 neutron quotas)'
        ($rows.ProjectName | Sort-Object -Unique) | Should -Be @('admin', 'alpha', 'gamma')
        $cores = $rows | Where-Object { $_.ProjectName -eq 'alpha' -and $_.Resource -eq 'cores' }
        $cores.Service | Should -Be 'compute'
        $cores.Limit | Should -Be 20
        $cores.InUse | Should -Be 2 -Because 'web-1 and db-1 are alpha''s, one vCPU each'
        $cores.Free | Should -Be 18
        $cores.UsedPercent | Should -Be 10
        $cores.Cloud | Should -Not -BeNullOrEmpty
        $keys = $rows | Where-Object { $_.ProjectName -eq 'alpha' -and $_.Resource -eq 'key_pairs' }
        $keys.Unlimited | Should -BeTrue
        $keys.Free | Should -BeNullOrEmpty
        ($rows | Where-Object { $_.ProjectName -eq 'alpha' -and $_.Resource -eq 'gigabytes' }).InUse | Should -Be 40
        ($rows | Where-Object { $_.Service -eq 'network' }).Resource | Sort-Object -Unique | Should -Be 'port'
    }

    It 'costs one project listing plus one call per project and service, and filters by project and service' {
        (Measure-Call $session { Get-ProjectQuotaUsage }) | Should -Be 10 -Because '1 keystone listing + 3 projects x 3 services'
        $rows = @(Get-ProjectQuotaUsage -Project gam* -Service compute)
        $rows.Resource | Should -Be @('cores', 'instances', 'key_pairs', 'ram')
        $rows.ProjectId | Sort-Object -Unique | Should -Be 'p3'
        (Measure-Call $session { Get-ProjectQuotaUsage -Project p3 -Service compute }) | Should -Be 2
    }

    It 'a project it does not know is an error; one a service refuses is an error for that project only' {
        $e = $null
        $null = Get-ProjectQuotaUsage -Project nosuch -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ProjectNotFound,*'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $cloud.QuotaForbiddenProjects.Add('p3')
        try {
            $rows = @(Get-ProjectQuotaUsage -Service compute -ErrorVariable e -ErrorAction SilentlyContinue)
            $rows.ProjectName | Sort-Object -Unique | Should -Be @('admin', 'alpha')
            $e | Should -HaveCount 1
            $e[0].FullyQualifiedErrorId | Should -BeLike 'QuotaListProjectUsageForbidden,*'
            $e[0].TargetObject | Should -Be 'gamma'
        }
        finally { $cloud.QuotaForbiddenProjects.Clear() }
    }

    It 'exports to CSV with numbers an operator can sort and sum' {
        $csv = Join-Path $TestDrive 'quotas.csv'
        Get-ProjectQuotaUsage -Service compute | Export-Csv $csv
        $rows = Import-Csv $csv
        ($rows | Where-Object Resource -eq 'instances' | Measure-Object InUse -Sum).Sum | Should -Be 2 -Because "web-1 and db-1 are alpha's; web-2's project p2 is not among keystone's"
        ($rows | Where-Object { $_.ProjectName -eq 'alpha' -and $_.Resource -eq 'cores' }).UsedPercent | Should -Be '10'
    }
}

Describe 'Get-ImageUsage' {
    AfterEach { Disconnect-OpenStack -ErrorAction SilentlyContinue; if ($cloud) { $cloud.Dispose(); $cloud = $null } }

    It 'gives each image with size, owner and visibility, and the servers booted from it; one servers name but glance lost shows as missing' {
        $cloud = New-UsageCloud
        ($cloud.Servers | Where-Object { [string]$_['name'] -eq 'db-1' })['image'] = [System.Text.Json.Nodes.JsonNode]::Parse('{"id": "gone-image"}')
        ($cloud.Servers | Where-Object { [string]$_['name'] -eq 'web-2' })['image'] = ''
        Connect-FakeCloud $cloud
        $images = @(Get-ImageUsage)
        $images.Name | Should -Be @('cirros', 'debian-12', 'alpha-golden', $null)
        $cirros = $images[0]
        $cirros.ServerCount | Should -Be 1 -Because 'web-1 boots from it; db-1 from a lost image; web-2 from a volume'
        $cirros.ServerIds | Should -Be @(($cloud.Servers | Where-Object { [string]$_['name'] -eq 'web-1' })['id'].ToString())
        $cirros.Visibility | Should -Be 'public'
        $cirros.Owner | Should -Be 'p-admin'
        $images[1].SizeGb | Should -Be 2
        $images[2].Visibility | Should -Be 'private'
        $images[2].ServerCount | Should -Be 0
        $images[3].Id | Should -Be 'gone-image'
        $images[3].Status | Should -Be 'missing'
        $images[3].ServerCount | Should -Be 1
        @(Get-ImageUsage -Name debian*).Name | Should -Be 'debian-12'
    }

    It 'costs the pages of the two listings: the same for 3 servers and for 63, one more per page' {
        $calls = foreach ($n in 0, 60) {
            $cloud = New-UsageCloud $n
            $session = Connect-FakeCloud $cloud -PassThru
            Measure-Call $session { Get-ImageUsage }
            $cloud.MaxLimit = 2
            Measure-Call $session { Get-ImageUsage }
            Disconnect-OpenStack; $cloud.Dispose(); $cloud = $null
        }
        $calls[0] | Should -Be 3 -Because "nova's version, one page of servers, one of images"
        $calls[2] | Should -Be $calls[0] -Because 'sixty servers more are still one page of 1000'
        $calls[1] | Should -Be (2 + 2) -Because 'with 2 a page: 3 servers are 2 pages, 3 images 2 (nova is not asked for its version again)'
        $calls[3] | Should -Be (32 + 2) -Because '63 servers are 32 pages of 2: calls grow with pages'
    }

    It 'exports readably: the servers as one text column in CSV, a list in JSON' {
        $cloud = New-UsageCloud
        Connect-FakeCloud $cloud
        $csv = Join-Path $TestDrive 'images.csv'
        Get-ImageUsage | Export-Csv $csv
        $row = Import-Csv $csv | Where-Object Name -eq 'cirros'
        $row.ServerIds | Should -Match '^[0-9a-f-]{36}, [0-9a-f-]{36}, [0-9a-f-]{36}$' -Because 'web-1, web-2 and db-1 boot from it'
        $row.ServerCount | Should -Be '3'
        $json = Get-ImageUsage | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        @($json | Where-Object Name -eq 'cirros')[0].ServerIds.Count | Should -Be 3
    }
}

Describe 'Get-LargestServer' {
    AfterEach { Disconnect-OpenStack -ErrorAction SilentlyContinue; if ($cloud) { $cloud.Dispose(); $cloud = $null } }

    It 'returns the -Top largest of every project by vCPU, RAM or disk, as servers' {
        $cloud = New-UsageCloud 5
        Set-Flavor $cloud 'web-2' 8 8192 80
        Set-Flavor $cloud 'app-3' 4 32768 40
        Set-Flavor $cloud 'db-1' 4 16384 500
        Connect-FakeCloud $cloud
        (Get-LargestServer -Top 3).Name | Should -Be @('web-2', 'app-3', 'db-1')
        (Get-LargestServer -Top 2 -By RamMb).Name | Should -Be @('app-3', 'db-1')
        (Get-LargestServer -Top 1 -By DiskGb).Name | Should -Be 'db-1'
        $top = Get-LargestServer -Top 1
        $top | Should -BeOfType ([OpenStackOps.Compute.Servers.Server])
        $top.FlavorVcpus | Should -Be 8
        $top.Flavor | Should -Be 'f-web-2'
        $top.ProjectId | Should -Be 'p2'
        @(Get-LargestServer) | Should -HaveCount 8 -Because 'the default top 10 of 8 servers is all of them'
    }

    It 'costs the same calls for 3 servers and for 63' {
        $calls = foreach ($n in 0, 60) {
            $cloud = New-UsageCloud $n
            $session = Connect-FakeCloud $cloud -PassThru
            Measure-Call $session { Get-LargestServer -Top 5 }
            Disconnect-OpenStack; $cloud.Dispose(); $cloud = $null
        }
        $calls[1] | Should -Be $calls[0]
        $calls[0] | Should -Be 2 -Because "nova's version and one page of servers"
    }
}

Describe 'Get-NetworkIpAvailability' {
    BeforeAll {
        $cloud = New-UsageCloud
        $null = $cloud.AddPort('p1', '203.0.113.5')
        $cloud.IpAvailabilities.Add([System.Text.Json.Nodes.JsonNode]::Parse(@'
{"network_id": "9a3c1e2d-0000-4000-8000-000000000002", "network_name": "tenant-net", "project_id": "p1", "used_ips": 252, "total_ips": 18446744073709551867,
 "subnet_ip_availability": [
   {"subnet_id": "s6", "subnet_name": "tenant-v6", "cidr": "2001:db8:1::/64", "ip_version": 6, "used_ips": 2, "total_ips": 18446744073709551614},
   {"subnet_id": "s4", "subnet_name": "tenant-v4", "cidr": "10.0.0.0/24", "ip_version": 4, "used_ips": 250, "total_ips": 253}]}
'@))
        $session = Connect-FakeCloud $cloud -PassThru
    }
    AfterAll { Disconnect-OpenStack; $cloud.Dispose() }

    It 'gives each network''s used, total and free addresses, IPv4 first, and an IPv6 /64 without overflow' {
        $nets = @(Get-NetworkIpAvailability)
        $nets.NetworkName | Should -Be @('public', 'tenant-net')
        $nets[0].UsedIps | Should -Be 1
        $nets[0].TotalIps | Should -Be 13
        $nets[0].FreeIps | Should -Be 12
        $tenant = $nets[1]
        $tenant.FreeIpv4 | Should -Be 3
        $tenant.UsedPercent | Should -Be 98.8 -Because 'the IPv4 subnet is what runs out: 250 of 253'
        $tenant.TotalIps | Should -Be ([decimal]'18446744073709551867')
        $tenant.Subnets.ToString() | Should -Be '10.0.0.0/24 250/253, 2001:db8:1::/64 2/18446744073709551614'
        (Get-NetworkIpAvailability tenant*).NetworkId | Should -Be '9a3c1e2d-0000-4000-8000-000000000002'
    }

    It 'follows neutron''s pages: one call per page, none per network' {
        (Measure-Call $session { Get-NetworkIpAvailability }) | Should -Be 1
        $cloud.MaxLimit = 1
        try { (Measure-Call $session { Get-NetworkIpAvailability }) | Should -Be 2 }
        finally { $cloud.MaxLimit = 1000 }
    }

    It 'a network it does not report is an error' {
        $e = $null
        $null = Get-NetworkIpAvailability nosuch -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNotFound,*'
    }

    It 'exports readably: subnets as text in CSV' {
        $csv = Join-Path $TestDrive 'ips.csv'
        Get-NetworkIpAvailability | Export-Csv $csv
        (Import-Csv $csv)[1].Subnets | Should -Be '10.0.0.0/24 250/253, 2001:db8:1::/64 2/18446744073709551614'
        (Import-Csv $csv)[1].FreeIpv4 | Should -Be '3'
    }
}

Describe 'The usage cmdlets in a session without the admin role' {
    BeforeAll { $cloud = New-UsageCloud; $cloud.GrantsAdmin = $false; $null = Connect-FakeCloud $cloud }
    AfterAll { Disconnect-OpenStack; $cloud.Dispose() }

    It '<Command> warns that it sees only what a non-admin may see' -ForEach @(
        @{ Command = 'Get-ProjectQuotaUsage'; Says = 'keystone lists' }
        @{ Command = 'Get-ImageUsage'; Says = 'glance and nova show' }
        @{ Command = 'Get-LargestServer'; Says = 'nova lists other projects' }
        @{ Command = 'Get-NetworkIpAvailability'; Says = 'neutron shows network IP availability only to admins' }
    ) {
        $null = & $Command -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike "The session's user has no admin role in project admin: *$Says*"
    }
}

Describe 'The usage cmdlets in an admin session' {
    BeforeAll { $cloud = New-UsageCloud; $null = Connect-FakeCloud $cloud }
    AfterAll { Disconnect-OpenStack; $cloud.Dispose() }

    It 'are not warned' {
        $null = Get-LargestServer -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 0
    }
}
