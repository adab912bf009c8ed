using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using OpenStackOps.Http;
using OpenStackOps.Network;

namespace OpenStackOps.Tests.Fakes
{
    /// <summary>A NetworkClient wired to a scripted HTTP handler, and JSON shaped like neutron's API reference.</summary>
    public sealed class NeutronFixture
    {
        public const string Endpoint = "http://neutron.test:9696";
        public const string NetworkId = "4bbda9aa-1083-42c9-8369-e18156251491";
        public const string SubnetId = "4279c70a-7218-4c7e-94e5-7bd4c045644e";
        public const string ProjectId = "52f0574689f14c8a99e7ca22c4eb5720";

        public NeutronFixture()
        {
            Handler = new FakeHttpHandler();
            Calls = new ApiCallCounter();
            Http = new ServiceClient("network", new Uri(Endpoint), new HttpClient(Handler), new StaticTokenSource("tok-1"), NullApiLog.Instance, Calls);
            Neutron = new NetworkClient(Http);
        }

        public FakeHttpHandler Handler { get; }
        public ApiCallCounter Calls { get; }
        public ServiceClient Http { get; }
        public NetworkClient Neutron { get; }

        public static string Network(string name = "public", bool shared = true) =>
            new JsonObject { ["network"] = NetworkJson(name, shared) }.ToJsonString();

        public static JsonObject NetworkJson(string name = "public", bool shared = true) => new JsonObject
        {
            ["id"] = NetworkId, ["name"] = name, ["project_id"] = "admin-project", ["tenant_id"] = "admin-project",
            ["shared"] = shared, ["router:external"] = true, ["status"] = "ACTIVE", ["subnets"] = new JsonArray(SubnetId),
        };

        /// <summary>96.118.182.0/27 like the guide's Public_AGILE, gateway .1, pool .2-.30 (29 addresses).</summary>
        public static string Subnets(string cidr = "96.118.182.0/27", string gateway = "96.118.182.1", string poolStart = "96.118.182.2", string poolEnd = "96.118.182.30") =>
            new JsonObject
            {
                ["subnets"] = new JsonArray(new JsonObject
                {
                    ["id"] = SubnetId, ["name"] = "public-v4", ["network_id"] = NetworkId, ["ip_version"] = 4, ["cidr"] = cidr,
                    ["gateway_ip"] = gateway, ["enable_dhcp"] = false,
                    ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = poolStart, ["end"] = poolEnd }),
                }),
            }.ToJsonString();

        public static JsonObject PortJson(string id, string ip, string name = "", string deviceId = "", string deviceOwner = "") => new JsonObject
        {
            ["id"] = id, ["name"] = name, ["network_id"] = NetworkId, ["project_id"] = ProjectId, ["tenant_id"] = ProjectId,
            ["status"] = "DOWN", ["mac_address"] = "fa:16:3e:fb:65:fc", ["admin_state_up"] = true,
            ["device_id"] = deviceId, ["device_owner"] = deviceOwner, ["binding:host_id"] = "", ["binding:profile"] = new JsonObject(),
            ["fixed_ips"] = new JsonArray(new JsonObject { ["subnet_id"] = SubnetId, ["ip_address"] = ip }),
            ["description"] = "", ["created_at"] = "2026-11-23T09:03:50Z", ["updated_at"] = "2026-11-23T09:03:50Z",
        };

        public static string Port(string id, string ip, string name = "") => new JsonObject { ["port"] = PortJson(id, ip, name) }.ToJsonString();

        public static string Ports(params (string Id, string Ip)[] ports) =>
            new JsonObject { ["ports"] = new JsonArray(ports.Select(p => (JsonNode)PortJson(p.Id, p.Ip, "ip-recovery-test")).ToArray()) }.ToJsonString();

        public static string Availability(long used, long total = 29) => new JsonObject
        {
            ["network_ip_availability"] = new JsonObject
            {
                ["network_id"] = NetworkId, ["network_name"] = "public", ["used_ips"] = used, ["total_ips"] = total,
                ["subnet_ip_availability"] = new JsonArray(new JsonObject
                    { ["subnet_id"] = SubnetId, ["cidr"] = "96.118.182.0/27", ["ip_version"] = 4, ["used_ips"] = used, ["total_ips"] = total }),
            },
        }.ToJsonString();

        public static string QuotaDetails(long limit, long used) => new JsonObject
        {
            ["quota"] = new JsonObject { ["port"] = new JsonObject { ["limit"] = limit, ["used"] = used, ["reserved"] = 0 } },
        }.ToJsonString();

        public static string NeutronError(string type, string message) =>
            new JsonObject { ["NeutronError"] = new JsonObject { ["type"] = type, ["message"] = message, ["detail"] = "" } }.ToJsonString();

        public const string PolicyForbidden = "{\"NeutronError\": {\"type\": \"PolicyNotAuthorized\", \"message\": \"(rule:create_port and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:subnet_id and rule:create_port:fixed_ips:ip_address))) is disallowed by policy\", \"detail\": \"\"}}";

        /// <summary>The lookups every recovery starts with, for a network named "public" with availability visible (admin) or not.</summary>
        public void ExpectPlan(string ip, long? usedIps = 3)
        {
            Handler.Expect("GET", "/v2.0/networks?name=public").Respond(200, "{\"networks\": [" + NetworkJson().ToJsonString() + "]}");
            Handler.Expect("GET", "/v2.0/subnets?network_id=" + NetworkId).Respond(200, Subnets());
            Handler.Expect("GET", $"/v2.0/ports?network_id={NetworkId}&fixed_ips=ip_address%3D{ip}").Respond(200, "{\"ports\": []}");
            if (usedIps == null)
                Handler.Expect("GET", "/v2.0/network-ip-availabilities/" + NetworkId).Respond(404, NeutronError("HTTPNotFound", "The resource could not be found."));
            else
                Handler.Expect("GET", "/v2.0/network-ip-availabilities/" + NetworkId).Respond(200, Availability(usedIps.Value));
        }
    }
}
