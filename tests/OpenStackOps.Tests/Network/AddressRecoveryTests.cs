using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Network.Recovery;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Network
{
    /// <summary>Restore-PortAddress's engine, request by request, against a scripted neutron.</summary>
    public class AddressRecoveryTests
    {
        private const string Net = NeutronFixture.NetworkId;
        private const string Sub = NeutronFixture.SubnetId;
        private const string TempDescription = "Restore-PortAddress 96.118.182.7: temporary, deleted when the run ends";

        private static AddressRecovery Engine(NeutronFixture n, IApiLog log = null)
            => new AddressRecovery(n.Neutron, log) { TemporaryName = () => "ip-recovery-test" };

        private static AddressRecoveryRequest Request(string ip = "96.118.182.7", RecoveryMode mode = RecoveryMode.Auto, int? batch = null)
            => new AddressRecoveryRequest(ip) { Network = "public", Name = "web01.sys.example.com", Mode = mode, BatchSize = batch, ProjectId = NeutronFixture.ProjectId };

        private static string BulkBody(int count) => new JsonObject
        {
            ["ports"] = new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject
                { ["network_id"] = Net, ["name"] = "ip-recovery-test", ["description"] = TempDescription }).ToArray()),
        }.ToJsonString();

        private sealed class CancelOn : IApiLog
        {
            private readonly string _text;
            private readonly CancellationTokenSource _cts;
            public CancelOn(string text, CancellationTokenSource cts) { _text = text; _cts = cts; }
            public void Verbose(string message) { if (message.Contains(_text)) _cts.Cancel(); }
            public void Debug(string message) { }
        }

        [Fact]
        public async Task TheExactPathIsOneCreateWithSubnetAndAddress()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            var post = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Port("won", "96.118.182.7", "web01.sys.example.com"), "req-exact");

            var r = await Engine(n).RestoreAsync(Request(), CancellationToken.None);

            n.Handler.AssertAllUsed();
            PortsApiTests.AssertJson("{\"port\": {\"network_id\": \"" + Net + "\", \"name\": \"web01.sys.example.com\", \"fixed_ips\": [{\"subnet_id\": \"" + Sub + "\", \"ip_address\": \"96.118.182.7\"}]}}", post.Request.Body);
            Assert.Equal(RecoveryStrategy.Exact, r.StrategyUsed);
            Assert.Equal("won", r.PortId);
            Assert.Equal(1, r.PortsCreated);
            Assert.Equal(0, r.PortsDeleted);
            Assert.Equal(5, r.ApiCalls); // network, subnets, holder lookup, availability, create
            Assert.Equal(26, r.FreeAddresses);
            Assert.True(r.FreeAddressesExact);
        }

        [Fact]
        public async Task A403OnTheExactPathSweepsKeepsTheWinnerAndDeletesTheRest()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 10));
            var bulk1 = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.12"), ("b", "96.118.182.20")));
            var bulk2 = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("c", "96.118.182.7"), ("d", "96.118.182.9")));
            var rename = n.Handler.Expect("PUT", "/v2.0/ports/c").Respond(200, NeutronFixture.Port("c", "96.118.182.7", "web01.sys.example.com"));
            n.Handler.Expect("DELETE", "/v2.0/ports/a").Respond(204);
            n.Handler.Expect("DELETE", "/v2.0/ports/b").Respond(204);
            n.Handler.Expect("DELETE", "/v2.0/ports/d").Respond(204);

            var r = await Engine(n).RestoreAsync(Request(batch: 2), CancellationToken.None);

            n.Handler.AssertAllUsed();
            PortsApiTests.AssertJson(BulkBody(2), bulk1.Request.Body);
            PortsApiTests.AssertJson(BulkBody(2), bulk2.Request.Body);
            PortsApiTests.AssertJson("{\"port\": {\"name\": \"web01.sys.example.com\", \"description\": \"\"}}", rename.Request.Body);
            Assert.Equal(RecoveryStrategy.Sweep, r.StrategyUsed);
            Assert.True(r.ExactForbidden);
            Assert.Equal("c", r.PortId);
            Assert.Equal("web01.sys.example.com", r.PortName);
            Assert.Equal(4, r.PortsCreated);
            Assert.Equal(3, r.PortsDeleted);
            Assert.Equal(3, r.CreateRequests);
            Assert.Equal(12, r.ApiCalls); // 4 lookups, the refused create, quota, 2 bulk creates, rename, 3 deletes
        }

        [Fact]
        public async Task TheDefaultBatchIsAboutTheSquareRootOfHalfTheFreeAddresses()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7", usedIps: 3); // 26 free -> ceil(sqrt(13)) = 4
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(-1, 10));
            var bulk = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.3"), ("b", "96.118.182.7"), ("c", "96.118.182.4"), ("d", "96.118.182.5")));
            n.Handler.Expect("PUT", "/v2.0/ports/b").Respond(200, NeutronFixture.Port("b", "96.118.182.7", "web01.sys.example.com"));
            foreach (var id in new[] { "a", "c", "d" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var r = await Engine(n).RestoreAsync(Request(mode: RecoveryMode.Sweep), CancellationToken.None);

            n.Handler.AssertAllUsed();
            PortsApiTests.AssertJson(BulkBody(4), bulk.Request.Body);
            Assert.Equal(4, r.BatchSize);
            Assert.False(r.ExactForbidden);
        }

        [Fact]
        public async Task TheQuotaCapsTheBatch()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(12, 11));
            var bulk = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.7")));
            n.Handler.Expect("PUT", "/v2.0/ports/a").Respond(200, NeutronFixture.Port("a", "96.118.182.7", "web01.sys.example.com"));

            var r = await Engine(n).RestoreAsync(Request(mode: RecoveryMode.Sweep, batch: 10), CancellationToken.None);

            n.Handler.AssertAllUsed();
            PortsApiTests.AssertJson(BulkBody(1), bulk.Request.Body);
            Assert.Equal(1, r.BatchSize);
        }

        [Fact]
        public async Task AFailureMidSweepDeletesEveryPortItCreatedIncludingOnesOnlyFoundByName()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.12"), ("b", "96.118.182.20")));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(500, NeutronFixture.NeutronError("HTTPInternalServerError", "Request Failed: internal server error while processing your request."));
            // The failed request may still have made ports: they carry the run's name.
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&name=ip-recovery-test").Respond(200, NeutronFixture.Ports(("a", "96.118.182.12"), ("b", "96.118.182.20"), ("e", "96.118.182.21")));
            foreach (var id in new[] { "a", "b", "e" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Engine(n).RestoreAsync(Request(batch: 2), CancellationToken.None));

            Assert.Equal(ApiErrorKind.ServerError, e.Kind);
            n.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task CancellationMidSweepDeletesEveryPortItCreated()
        {
            var n = new NeutronFixture();
            using var cts = new CancellationTokenSource();
            n.ExpectPlan("96.118.182.7", usedIps: null); // non-admin: the pool size is the estimate
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.12"), ("b", "96.118.182.20")));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&name=ip-recovery-test").Respond(200, NeutronFixture.Ports(("a", "96.118.182.12"), ("b", "96.118.182.20")));
            n.Handler.Expect("DELETE", "/v2.0/ports/a").Respond(204);
            n.Handler.Expect("DELETE", "/v2.0/ports/b").Respond(204);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine(n, new CancelOn("Request 1:", cts)).RestoreAsync(Request(batch: 2), cts.Token));

            n.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task WhenEveryFreeAddressWasDrawnTheAddressIsNotObtainableAndNothingStays()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NeutronFixture.NetworkJson().ToJsonString() + "]}");
            n.Handler.Expect("GET", "/v2.0/subnets?network_id=" + Net).Respond(200, NeutronFixture.Subnets(poolStart: "96.118.182.2", poolEnd: "96.118.182.7"));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&fixed_ips=ip_address%3D96.118.182.4").Respond(200, "{\"ports\": []}");
            n.Handler.Expect("GET", "/v2.0/network-ip-availabilities/" + Net).Respond(404, NeutronFixture.NeutronError("HTTPNotFound", "The resource could not be found."));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            // 6 in the pool; another project's port holds .4 (invisible): 5 free. A bulk of 6 fails as a whole.
            n.Handler.Expect("POST", "/v2.0/ports").Respond(409, NeutronFixture.NeutronError("IpAddressGenerationFailure", "No more IP addresses available on network " + Net + "."));
            var second = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Ports(("a", "96.118.182.2"), ("b", "96.118.182.3"), ("c", "96.118.182.5"), ("d", "96.118.182.6"), ("e", "96.118.182.7")));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&name=ip-recovery-test").Respond(200, "{\"ports\": []}");
            foreach (var id in new[] { "a", "b", "c", "d", "e" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var request = new AddressRecoveryRequest("96.118.182.4") { Network = "public", BatchSize = 6, ProjectId = NeutronFixture.ProjectId };
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(request, CancellationToken.None));

            n.Handler.AssertAllUsed();
            Assert.Equal(5, JsonNode.Parse(second.Request.Body)["ports"].AsArray().Count);
            Assert.Equal(AddressRecoveryFailure.NotObtainable, e.Failure);
            Assert.Equal(5, e.PortsCreated);
            Assert.Equal(5, e.PortsDeleted);
            Assert.Empty(e.LeftBehind);
        }

        [Fact]
        public async Task AnAddressHeldByAPortSaysWhichAndCreatesNothing()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NeutronFixture.NetworkJson().ToJsonString() + "]}");
            n.Handler.Expect("GET", "/v2.0/subnets?network_id=" + Net).Respond(200, NeutronFixture.Subnets());
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&fixed_ips=ip_address%3D96.118.182.7")
                .Respond(200, "{\"ports\": [" + NeutronFixture.PortJson("holder", "96.118.182.7", "web01", "srv-1", "compute:nova").ToJsonString() + "]}");

            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(Request(), CancellationToken.None));

            n.Handler.AssertAllUsed();
            Assert.Equal(AddressRecoveryFailure.AddressInUse, e.Failure);
            Assert.Equal("holder", e.Holder.Id);
            Assert.Contains("srv-1", e.Message);
            Assert.Equal(0, e.PortsCreated);
        }

        [Theory]
        [InlineData("10.1")]
        [InlineData("96.118.182.256")]
        [InlineData("not-an-address")]
        [InlineData("96.118.182.0/27")]
        public async Task AMalformedAddressIsRefusedBeforeAnyRequest(string ip)
        {
            var n = new NeutronFixture();
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(Request(ip), CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.InvalidAddress, e.Failure);
            Assert.Empty(n.Handler.Requests);
        }

        [Theory]
        [InlineData("192.0.2.9", AddressRecoveryFailure.NotInNetwork)]
        [InlineData("96.118.182.1", AddressRecoveryFailure.GatewayAddress)]
        public async Task AnAddressOutsideTheSubnetsOrTheGatewayIsRefusedAfterReadingThem(string ip, AddressRecoveryFailure failure)
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NeutronFixture.NetworkJson().ToJsonString() + "]}");
            n.Handler.Expect("GET", "/v2.0/subnets?network_id=" + Net).Respond(200, NeutronFixture.Subnets());
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(Request(ip), CancellationToken.None));
            Assert.Equal(failure, e.Failure);
            Assert.All(n.Handler.Requests, r => Assert.Equal("GET", r.Method));
        }

        [Fact]
        public async Task AnIPv6AddressIsAskedForInNeutronsCanonicalForm()
        {
            var n = new NeutronFixture();
            n.Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NeutronFixture.NetworkJson().ToJsonString() + "]}");
            n.Handler.Expect("GET", "/v2.0/subnets?network_id=" + Net).Respond(200,
                NeutronFixture.Subnets("2001:558:fc0b:100::/64", "2001:558:fc0b:100::1", "2001:558:fc0b:100::2", "2001:558:fc0b:100:ffff:ffff:ffff:ffff"));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&fixed_ips=ip_address%3D2001%3A558%3Afc0b%3A100%3Af816%3A3eff%3Afefb%3A65fc").Respond(200, "{\"ports\": []}");
            n.Handler.Expect("GET", "/v2.0/network-ip-availabilities/" + Net).Respond(200, NeutronFixture.Availability(3, 100000));
            var post = n.Handler.Expect("POST", "/v2.0/ports").Respond(201, NeutronFixture.Port("v6", "2001:558:fc0b:100:f816:3eff:fefb:65fc", "web01.sys.example.com"));

            var r = await Engine(n).RestoreAsync(Request("2001:558:FC0B:100:F816:3EFF:FEFB:65FC"), CancellationToken.None);

            n.Handler.AssertAllUsed();
            Assert.Contains("\"ip_address\":\"2001:558:fc0b:100:f816:3eff:fefb:65fc\"", post.Request.Body);
            Assert.Equal(RecoveryStrategy.Exact, r.StrategyUsed);
            Assert.Equal("v6", r.PortId);
        }

        [Fact]
        public async Task ExactModeReportsAPolicyRefusalInsteadOfSweeping()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(Request(mode: RecoveryMode.Exact), CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.ExactForbidden, e.Failure);
            n.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task ARaceLostOnTheExactPathNamesTheNewHolder()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(409, NeutronFixture.NeutronError("IpAddressInUse", "Unable to complete operation for network. The IP address 96.118.182.7 is in use."));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&fixed_ips=ip_address%3D96.118.182.7")
                .Respond(200, "{\"ports\": [" + NeutronFixture.PortJson("racer", "96.118.182.7").ToJsonString() + "]}");
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(Request(), CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.AddressInUse, e.Failure);
            Assert.Equal("racer", e.Holder.Id);
        }
    }
}
