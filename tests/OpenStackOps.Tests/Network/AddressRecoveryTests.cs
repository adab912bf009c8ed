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

        private static AddressRecovery Engine(NeutronFixture n, IApiLog log = null)
            => new AddressRecovery(n.Neutron, log) { TemporaryName = () => "ip-recovery-test" };

        private static AddressRecoveryRequest Request(string ip = "96.118.182.7", RecoveryMode mode = RecoveryMode.Auto, int? batch = null)
            => new AddressRecoveryRequest(ip) { Network = "public", Name = "web01.sys.example.com", Mode = mode, BatchSize = batch, ProjectId = NeutronFixture.ProjectId };

        /// <summary>The body of the sweep's k-th single create.</summary>
        private static string SingleBody(int k, string ip) => new JsonObject
        {
            ["port"] = new JsonObject { ["network_id"] = Net, ["name"] = $"ip-recovery-test-{k}", ["description"] = $"Restore-PortAddress {ip}: temporary, deleted when the run ends" },
        }.ToJsonString();

        /// <summary>A temporary port of the sweep as neutron returns it.</summary>
        private static string Temp(string id, string ip) => NeutronFixture.Port(id, ip, "ip-recovery-test-" + id);

        private static string TempList(params (string Id, string Ip)[] ports) => new JsonObject
        {
            ["ports"] = new JsonArray(ports.Select(p => (JsonNode)NeutronFixture.PortJson(p.Id, p.Ip, "ip-recovery-test-" + p.Id)).ToArray()),
        }.ToJsonString();

        private static string Cleanup => $"/v2.0/ports?network_id={Net}&project_id={NeutronFixture.ProjectId}";

        /// <summary>Only single creates were sent, none a bulk, and each had a name of its own.</summary>
        private static void AssertSingleCreates(NeutronFixture n, int count, string ip = "96.118.182.7")
        {
            var creates = n.Handler.Requests.Where(r => r.Method == "POST" && JsonNode.Parse(r.Body)["port"]?["fixed_ips"] == null).ToList();
            Assert.All(creates, r => Assert.Null(JsonNode.Parse(r.Body)["ports"]));
            Assert.Equal(Enumerable.Range(1, count).Select(k => SingleBody(k, ip)).OrderBy(x => x), creates.Select(r => JsonNode.Parse(r.Body).ToJsonString()).OrderBy(x => x));
        }

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
            n.Handler.InAnyOrder = true;
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 10));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("a", "96.118.182.12"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("b", "96.118.182.20"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("c", "96.118.182.7"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("d", "96.118.182.9"));
            var rename = n.Handler.Expect("PUT", "/v2.0/ports/c").Respond(200, NeutronFixture.Port("c", "96.118.182.7", "web01.sys.example.com"));
            foreach (var id in new[] { "a", "b", "d" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var r = await Engine(n).RestoreAsync(Request(batch: 2), CancellationToken.None);

            n.Handler.AssertAllUsed();
            AssertSingleCreates(n, 4);
            PortsApiTests.AssertJson("{\"port\": {\"name\": \"web01.sys.example.com\", \"description\": \"\"}}", rename.Request.Body);
            Assert.Equal(RecoveryStrategy.Sweep, r.StrategyUsed);
            Assert.True(r.ExactForbidden);
            Assert.Equal("c", r.PortId);
            Assert.Equal("web01.sys.example.com", r.PortName);
            Assert.Equal(4, r.PortsCreated);
            Assert.Equal(3, r.PortsDeleted);
            Assert.Equal(5, r.CreateRequests); // the refused exact create, then 2 waves of 2
            Assert.Equal(14, r.ApiCalls); // 4 lookups, the refused create, quota, 4 creates, rename, 3 deletes
        }

        [Fact]
        public async Task TheDefaultWaveIsAboutTheSquareRootOfHalfTheFreeAddresses()
        {
            var n = new NeutronFixture();
            n.Handler.InAnyOrder = true;
            n.ExpectPlan("96.118.182.7", usedIps: 3); // 26 free -> ceil(sqrt(13)) = 4
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(-1, 10));
            foreach (var (id, ip) in new[] { ("a", "96.118.182.3"), ("b", "96.118.182.7"), ("c", "96.118.182.4"), ("d", "96.118.182.5") })
                n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp(id, ip));
            n.Handler.Expect("PUT", "/v2.0/ports/b").Respond(200, NeutronFixture.Port("b", "96.118.182.7", "web01.sys.example.com"));
            foreach (var id in new[] { "a", "c", "d" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var r = await Engine(n).RestoreAsync(Request(mode: RecoveryMode.Sweep), CancellationToken.None);

            n.Handler.AssertAllUsed();
            AssertSingleCreates(n, 4);
            Assert.Equal(4, r.BatchSize);
            Assert.False(r.ExactForbidden);
        }

        [Fact]
        public async Task TheQuotaCapsTheWave()
        {
            var n = new NeutronFixture();
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(12, 11));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("a", "96.118.182.7"));
            n.Handler.Expect("PUT", "/v2.0/ports/a").Respond(200, NeutronFixture.Port("a", "96.118.182.7", "web01.sys.example.com"));

            var r = await Engine(n).RestoreAsync(Request(mode: RecoveryMode.Sweep, batch: 10), CancellationToken.None);

            n.Handler.AssertAllUsed();
            AssertSingleCreates(n, 1);
            Assert.Equal(1, r.BatchSize);
        }

        [Fact]
        public async Task AFailureMidSweepDeletesEveryPortItCreatedIncludingOnesOnlyFoundByName()
        {
            var n = new NeutronFixture();
            n.Handler.InAnyOrder = true;
            n.ExpectPlan("96.118.182.7");
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("a", "96.118.182.12"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("b", "96.118.182.20"));
            // The second wave: one create made its port, the other failed (and may have made one too).
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("c", "96.118.182.22"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(500, NeutronFixture.NeutronError("HTTPInternalServerError", "Request Failed: internal server error while processing your request."));
            // Ports of the run are found by their names; another port of the project is not touched.
            n.Handler.Expect("GET", Cleanup).Respond(200, TempList(("a", "96.118.182.12"), ("b", "96.118.182.20"), ("c", "96.118.182.22"), ("e", "96.118.182.21"))
                .Replace("]}", "," + NeutronFixture.PortJson("keep", "96.118.182.23", "web02").ToJsonString() + "]}"));
            foreach (var id in new[] { "a", "b", "c", "e" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var e = await Assert.ThrowsAsync<OpenStackApiException>(() => Engine(n).RestoreAsync(Request(batch: 2), CancellationToken.None));

            Assert.Equal(ApiErrorKind.ServerError, e.Kind);
            n.Handler.AssertAllUsed();
            Assert.DoesNotContain(n.Handler.Requests, r => r.Method == "DELETE" && r.PathAndQuery.EndsWith("/keep"));
        }

        [Fact]
        public async Task CancellationMidSweepDeletesEveryPortItCreated()
        {
            var n = new NeutronFixture();
            n.Handler.InAnyOrder = true;
            using var cts = new CancellationTokenSource();
            n.ExpectPlan("96.118.182.7", usedIps: null); // non-admin: the pool size is the estimate
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("a", "96.118.182.12"));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp("b", "96.118.182.20"));
            n.Handler.Expect("GET", Cleanup).Respond(200, TempList(("a", "96.118.182.12"), ("b", "96.118.182.20")));
            n.Handler.Expect("DELETE", "/v2.0/ports/a").Respond(204);
            n.Handler.Expect("DELETE", "/v2.0/ports/b").Respond(204);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine(n, new CancelOn("Wave 1:", cts)).RestoreAsync(Request(batch: 2), cts.Token));

            n.Handler.AssertAllUsed();
        }

        [Fact]
        public async Task WhenEveryFreeAddressWasDrawnTheAddressIsNotObtainableAndNothingStays()
        {
            var n = new NeutronFixture();
            n.Handler.InAnyOrder = true;
            n.Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NeutronFixture.NetworkJson().ToJsonString() + "]}");
            n.Handler.Expect("GET", "/v2.0/subnets?network_id=" + Net).Respond(200, NeutronFixture.Subnets(poolStart: "96.118.182.2", poolEnd: "96.118.182.7"));
            n.Handler.Expect("GET", $"/v2.0/ports?network_id={Net}&fixed_ips=ip_address%3D96.118.182.4").Respond(200, "{\"ports\": []}");
            n.Handler.Expect("GET", "/v2.0/network-ip-availabilities/" + Net).Respond(404, NeutronFixture.NeutronError("HTTPNotFound", "The resource could not be found."));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(403, NeutronFixture.PolicyForbidden);
            n.Handler.Expect("GET", $"/v2.0/quotas/{NeutronFixture.ProjectId}/details").Respond(200, NeutronFixture.QuotaDetails(50, 0));
            // 6 in the pool; another project's port holds .4 (invisible): 5 free. A wave of 6 singles: 5 ports, and the
            // sixth finds the pool empty, which (unlike a bulk of 6) takes no address from it.
            foreach (var (id, ip) in new[] { ("a", "96.118.182.2"), ("b", "96.118.182.3"), ("c", "96.118.182.5"), ("d", "96.118.182.6"), ("e", "96.118.182.7") })
                n.Handler.Expect("POST", "/v2.0/ports").Respond(201, Temp(id, ip));
            n.Handler.Expect("POST", "/v2.0/ports").Respond(409, NeutronFixture.NeutronError("IpAddressGenerationFailure", "No more IP addresses available on network " + Net + "."));
            n.Handler.Expect("GET", Cleanup).Respond(200, TempList(("a", "96.118.182.2"), ("b", "96.118.182.3"), ("c", "96.118.182.5"), ("d", "96.118.182.6"), ("e", "96.118.182.7")));
            foreach (var id in new[] { "a", "b", "c", "d", "e" }) n.Handler.Expect("DELETE", "/v2.0/ports/" + id).Respond(204);

            var request = new AddressRecoveryRequest("96.118.182.4") { Network = "public", BatchSize = 6, ProjectId = NeutronFixture.ProjectId };
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => Engine(n).RestoreAsync(request, CancellationToken.None));

            n.Handler.AssertAllUsed();
            AssertSingleCreates(n, 6, "96.118.182.4");
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
