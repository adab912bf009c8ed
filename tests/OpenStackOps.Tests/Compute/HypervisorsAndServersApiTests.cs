using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class HypervisorsAndServersApiTests
    {
        [Fact]
        public async Task HypervisorsAreAskedAt287AtMostSoTheResourceFiguresAreThere()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Compute.Hypervisors.PageSize = 1;
            var first = nova.Handler.Expect("GET", "/v2.1/os-hypervisors/detail?limit=1").Respond(200, NovaFixture.Load("hypervisors-detail-v2.53-page1.json"));
            nova.Handler.Expect("GET", "/v2.1/os-hypervisors/detail?limit=1&marker=b1e43b5f-eec1-44e0-9f10-7b4945c0226d")
                .Respond(200, NovaFixture.Load("hypervisors-detail-v2.53-page2.json"));

            var hypervisors = await nova.Compute.Hypervisors.ListDetailAsync(CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("compute 2.87", first.Request.Header("OpenStack-API-Version"));
            Assert.Equal(new[] { "c01.example.com", "c02.example.com" }, hypervisors.Select(h => h.ServiceHost));
            var c01 = hypervisors[0];
            Assert.Equal(16, c01.Vcpus);
            Assert.Equal(5, c01.VcpusUsed);
            Assert.Equal(8192, c01.MemoryMb);
            Assert.Equal(4608, c01.MemoryMbUsed);
            Assert.Equal(3, c01.RunningVms);
        }

        [Fact]
        public async Task HypervisorsBefore233AreOnePage()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.32");
            nova.Handler.Expect("GET", "/v2.1/os-hypervisors/detail").Respond(200, NovaFixture.Load("hypervisors-detail-v2.53-page2.json"));
            var hypervisors = await nova.Compute.Hypervisors.ListDetailAsync(CancellationToken.None);
            Assert.Single(hypervisors);
            nova.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task ServersOfAHostAreListedExactlyAcrossProjectsAndPages()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Compute.Servers.PageSize = 1;
            var first = nova.Handler.Expect("GET", "/v2.1/servers/detail?all_tenants=1&host=c01.example.com&limit=1")
                .Respond(200, NovaFixture.Load("servers-details-v2.93-page1.json"));
            nova.Handler.Expect("GET", "/v2.1/servers/detail?all_tenants=1&host=c01.example.com&limit=1&marker=9168b536-cd40-4630-b43f-b259807c6e87")
                .Respond(200, NovaFixture.Load("servers-details-v2.93-page2.json"));

            var servers = await nova.Compute.Servers.ListOnHostAsync("c01.example.com", CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("compute 2.93", first.Request.Header("OpenStack-API-Version"));
            Assert.Equal(2, servers.Count);
            var web = servers[0];
            Assert.Equal("web-1", web.Name);
            Assert.Equal("ACTIVE", web.Status);
            Assert.Equal(PowerState.Running, web.Power);
            Assert.Null(web.TaskState);
            Assert.Equal("c01.example.com", web.Host);
            Assert.Equal("c01.example.com", web.HypervisorHostname);
            Assert.Equal("instance-0000002a", web.InstanceName);
            Assert.Equal("m1.tiny", web.Flavor);
            Assert.Equal("70a599e0-31e7-49b7-b260-868f441e862b", web.ImageId);
            Assert.False(web.BootFromVolume);
            Assert.Equal(new[] { "public=203.0.113.21" }, web.Addresses);
            Assert.Equal("UP", web.HostStatus);
            Assert.Equal("6f70656e737461636b20342065766572", web.ProjectId);

            var db = servers[1];
            Assert.True(db.BootFromVolume);
            Assert.Equal(PowerState.Shutdown, db.Power);
            Assert.Equal("MAINTENANCE", db.HostStatus);
            Assert.True(db.Locked);
            Assert.Equal(new[] { "public=203.0.113.22", "public=2001:db8::22", "private=198.51.100.7" }, db.Addresses);
            Assert.Equal(new[] { "a26887c6-c47b-4654-abb5-dfadf7d3f803" }, db.AttachedVolumeIds);
        }

        [Fact]
        public async Task HostNamesAreEscapedInTheQuery()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            nova.Handler.Expect("GET", "/v2.1/servers/detail?all_tenants=1&host=c01%26all_tenants%3D0&limit=1000").Respond(200, "{\"servers\": []}");
            var servers = await nova.Compute.Servers.ListOnHostAsync("c01&all_tenants=0", CancellationToken.None);
            Assert.Empty(servers);
            nova.Handler.AssertAllUsed();
        }
    }
}
