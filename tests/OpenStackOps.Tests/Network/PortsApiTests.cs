using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Network.Ports;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Network
{
    public class PortsApiTests
    {
        internal static void AssertJson(string expected, string actual)
            => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

        [Fact]
        public async Task ListByAddressUsesNeutronsFixedIpsFilter()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/ports?network_id=net-1&fixed_ips=ip_address%3D2001%3Adb8%3A%3A7")
                .Respond(200, "{\"ports\": [" + NeutronFixture.PortJson("p1", "2001:db8::7", "web01", "srv-1", "compute:nova").ToJsonString() + "]}");
            var ports = await n.Neutron.Ports.ListAsync(new PortQuery { NetworkId = "net-1", IpAddress = "2001:db8::7" }, CancellationToken.None);
            var p = Assert.Single(ports);
            Assert.Equal("srv-1", p.ServerId);
            Assert.True(p.IsServerPort);
            Assert.False(p.IsFree);
            Assert.True(p.HasAddress("2001:0db8:0:0::7"));
            Assert.Equal("tok-1", n.Handler.Requests[0].Header("X-Auth-Token"));
        }

        [Fact]
        public async Task CreateWithAnExactAddressSendsSubnetAndAddress()
        {
            var n = new NeutronFixture();
            var post = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Port("p1", "96.118.182.107", "example-fqdn-01.sys.example.com"), "req-create-1");
            var port = await n.Neutron.Ports.CreateAsync(new PortCreateRequest("net-1", "example-fqdn-01.sys.example.com")
                { SubnetId = "sub-1", IpAddress = "96.118.182.107" }, CancellationToken.None);
            AssertJson("{\"port\": {\"network_id\": \"net-1\", \"name\": \"example-fqdn-01.sys.example.com\", \"fixed_ips\": [{\"subnet_id\": \"sub-1\", \"ip_address\": \"96.118.182.107\"}]}}", post.Request.Body);
            Assert.StartsWith("application/json", post.Request.Header("Content-Type"));
            Assert.Equal("req-create-1", port.RequestId);
            Assert.Equal(new[] { "96.118.182.107" }, port.IpAddresses);
        }

        [Fact]
        public async Task BulkCreateSendsOnePortsArray()
        {
            var n = new NeutronFixture();
            var post = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "10.0.0.5"), ("b", "10.0.0.9")));
            var ports = await n.Neutron.Ports.CreateBulkAsync(new[] { new PortCreateRequest("net-1", "x"), new PortCreateRequest("net-1", "x") }, CancellationToken.None);
            AssertJson("{\"ports\": [{\"network_id\": \"net-1\", \"name\": \"x\"}, {\"network_id\": \"net-1\", \"name\": \"x\"}]}", post.Request.Body);
            Assert.Equal(new[] { "a", "b" }, ports.Select(p => p.Id));
            Assert.Equal(1, n.Calls.Count);
        }

        [Fact]
        public async Task ClearAttachmentIsTheGuidesPortSet()
        {
            var n = new NeutronFixture();
            var put = n.Handler.Expect("PUT", "/v2.0/ports/p1").Respond(200, NeutronFixture.Port("p1", "96.118.182.107"));
            var port = await n.Neutron.Ports.ClearAttachmentAsync("p1", CancellationToken.None);
            AssertJson("{\"port\": {\"device_id\": \"\", \"device_owner\": \"\", \"binding:profile\": {}}}", put.Request.Body);
            Assert.True(port.IsFree);
        }

        [Fact]
        public async Task DeleteSaysWhetherThePortWasStillThere()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("DELETE", "/v2.0/ports/p1").Respond(204);
            n.Handler.Expect("DELETE", "/v2.0/ports/p2").Respond(404, NeutronFixture.NeutronError("PortNotFound", "Port p2 could not be found."));
            Assert.True(await n.Neutron.Ports.DeleteAsync("p1", CancellationToken.None));
            Assert.False(await n.Neutron.Ports.DeleteAsync("p2", CancellationToken.None));
        }

        [Fact]
        public async Task NovaAttachAndDetachUseOsInterfaceWithThePortId()
        {
            var nova = new NovaFixture();
            nova.ExpectVersionDocument("2.93");
            var post = nova.Handler.Expect("POST", "/v2.1/servers/srv-1/os-interface")
                .Respond(200, "{\"interfaceAttachment\": {\"port_id\": \"p1\", \"net_id\": \"net-1\", \"port_state\": \"ACTIVE\", \"mac_addr\": \"fa:16:3e:fb:65:fc\", \"fixed_ips\": []}}", "req-attach");
            var delete = nova.Handler.Expect("DELETE", "/v2.1/servers/srv-1/os-interface/p1").Respond(202, null, "req-detach");
            Assert.Equal("req-attach", await nova.Compute.Interfaces.AttachPortAsync("srv-1", "p1", CancellationToken.None));
            Assert.Equal("req-detach", await nova.Compute.Interfaces.DetachPortAsync("srv-1", "p1", CancellationToken.None));
            AssertJson("{\"interfaceAttachment\": {\"port_id\": \"p1\"}}", post.Request.Body);
            Assert.Equal("compute 2.93", delete.Request.Header("OpenStack-API-Version"));
            nova.Handler.AssertAllUsed();
        }

        [Theory]
        [InlineData("10.1", false)]
        [InlineData("300.1.2.3", false)]
        [InlineData("1.2.3.4.5", false)]
        [InlineData("01.2.3.4x", false)]
        [InlineData("2001:db8::/64", false)]
        [InlineData("web01", false)]
        [InlineData("203.0.113.7", true)]
        [InlineData("2001:DB8::7", true)]
        public void AddressesAreParsedStrictly(string text, bool valid)
            => Assert.Equal(valid, OpenStackOps.Network.IpAddressText.TryParseStrict(text, out _));

        [Fact]
        public void CidrContainment()
        {
            OpenStackOps.Network.IpAddressText.TryParseStrict("198.51.100.14", out var inside);
            OpenStackOps.Network.IpAddressText.TryParseStrict("198.51.100.16", out var outside);
            OpenStackOps.Network.IpAddressText.TryParseStrict("2001:db8::1:7", out var v6);
            Assert.True(OpenStackOps.Network.IpAddressText.InCidr(inside, "198.51.100.0/28"));
            Assert.False(OpenStackOps.Network.IpAddressText.InCidr(outside, "198.51.100.0/28"));
            Assert.False(OpenStackOps.Network.IpAddressText.InCidr(inside, "2001:db8::/64"));
            Assert.True(OpenStackOps.Network.IpAddressText.InCidr(v6, "2001:db8::/64"));
        }
    }
}
