using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace OpenStackOps.Testing
{
    /// <summary>
    /// A minimal neutron for the port cmdlets: one shared network "public" with subnet 203.0.113.0/28 (pool .2-.14),
    /// ports with random addresses from the pool, atomic bulk creates, the fixed_ips filter, ip availability, quota
    /// details, and a switch that makes asking for an exact address a policy refusal (403) as for a non-admin.
    /// Plus nova's os-interface attach/detach, which changes the fake ports.
    /// </summary>
    public sealed partial class FakeCloud
    {
        public const string PublicNetworkId = "4bbda9aa-1083-42c9-8369-e18156251491";
        public const string PublicSubnetId = "4279c70a-7218-4c7e-94e5-7bd4c045644e";
        private readonly Random _random = new Random(7);

        public List<JsonObject> Ports { get; } = new List<JsonObject>();
        /// <summary>
        /// Faults for the next port creates (POST /v2.0/ports), one per request, as a load balancer in front of
        /// neutron-server produces them: a status (503, 429 with Retry-After...) or a reset connection, with the ports
        /// created first (<see cref="PortFault.Processed"/>: the answer was lost) or not.
        /// </summary>
        public Queue<PortFault> PortCreateFaults { get; } = new Queue<PortFault>();
        public int PortCreateRequests { get; private set; }
        /// <summary>Answer fixed_ips with ip_address with 403, as neutron's default policy does for a member on a shared network.</summary>
        public bool ForbidExactAddress { get; set; }

        public JsonObject AddPort(string name, string ip, string deviceId = "", string deviceOwner = "", string created = "2026-11-23T09:00:00Z")
        {
            var port = NewPort(name, ip, "");
            port["device_id"] = deviceId;
            port["device_owner"] = deviceOwner;
            port["created_at"] = created;
            Ports.Add(port);
            return port;
        }

        private JsonObject NewPort(string name, string ip, string description) => new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["name"] = name ?? "", ["network_id"] = PublicNetworkId, ["project_id"] = "p-admin",
            ["tenant_id"] = "p-admin", ["status"] = "DOWN", ["mac_address"] = "fa:16:3e:00:00:" + (Ports.Count % 256).ToString("x2"),
            ["device_id"] = "", ["device_owner"] = "", ["binding:host_id"] = "", ["binding:profile"] = new JsonObject(),
            ["fixed_ips"] = new JsonArray(new JsonObject { ["subnet_id"] = PublicSubnetId, ["ip_address"] = ip }),
            ["description"] = description ?? "", ["created_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["updated_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };

        /// <summary>Neutron's agents (GET /v2.0/agents): one alive openvswitch agent per compute host at start.</summary>
        public List<JsonObject> Agents { get; } = new List<JsonObject>();

        /// <summary>Adds an agent as neutron lists it.</summary>
        public void AddAgent(string binary, string host, bool alive, bool adminStateUp = true)
            => Agents.Add(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["binary"] = binary, ["host"] = host, ["agent_type"] = "Open vSwitch agent",
                ["alive"] = alive, ["admin_state_up"] = adminStateUp, ["heartbeat_timestamp"] = "2026-12-06 23:50:10",
            });

        private static string Ip(JsonObject port) => (string)port["fixed_ips"][0]["ip_address"];

        private IEnumerable<string> Pool => Enumerable.Range(2, 13).Select(i => "203.0.113." + i);

        private void HandleNetwork(HttpListenerContext ctx, string method, string path, string query, string body)
        {
            var q = System.Web.HttpUtility.ParseQueryString(query);
            if (path == "/v2.0/networks" && method == "GET")
            {
                bool match = q["name"] == null || q["name"] == "public";
                Write(ctx, 200, "{\"networks\": [" + (match ? NetworkJson() : "") + "]}");
                return;
            }
            if (path == "/v2.0/agents" && method == "GET")
            {
                Write(ctx, 200, new JsonObject { ["agents"] = new JsonArray(Agents.Select(a => a.DeepClone()).ToArray()) }.ToJsonString());
                return;
            }
            if (path == "/v2.0/networks/" + PublicNetworkId) { Write(ctx, 200, "{\"network\": " + NetworkJson() + "}"); return; }
            if (path.StartsWith("/v2.0/networks/")) { Write(ctx, 404, NeutronError("NetworkNotFound", "Network could not be found.")); return; }
            if (path == "/v2.0/subnets" && method == "GET")
            {
                bool match = q["network_id"] == null || q["network_id"] == PublicNetworkId;
                Write(ctx, 200, "{\"subnets\": [" + (match ? SubnetJson() : "") + "]}");
                return;
            }
            if (path == "/v2.0/network-ip-availabilities/" + PublicNetworkId)
            {
                int used = Ports.Count;
                Write(ctx, 200, new JsonObject
                {
                    ["network_ip_availability"] = new JsonObject
                    {
                        ["network_id"] = PublicNetworkId, ["used_ips"] = used, ["total_ips"] = 13,
                        ["subnet_ip_availability"] = new JsonArray(new JsonObject { ["subnet_id"] = PublicSubnetId, ["used_ips"] = used, ["total_ips"] = 13 }),
                    },
                }.ToJsonString());
                return;
            }
            if (path.StartsWith("/v2.0/quotas/") && path.EndsWith("/details"))
            {
                Write(ctx, 200, "{\"quota\": {\"port\": {\"limit\": 50, \"used\": " + Ports.Count + ", \"reserved\": 0}}}");
                return;
            }
            if (path == "/v2.0/ports" && method == "GET")
            {
                string ipFilter = q["fixed_ips"]?.StartsWith("ip_address=") == true ? q["fixed_ips"].Substring("ip_address=".Length) : null;
                var list = Ports.Where(p => (q["network_id"] == null || (string)p["network_id"] == q["network_id"])
                                            && (q["device_id"] == null || (string)p["device_id"] == q["device_id"])
                                            && (q["name"] == null || (string)p["name"] == q["name"])
                                            && (ipFilter == null || Ip(p) == ipFilter));
                Write(ctx, 200, new JsonObject { ["ports"] = new JsonArray(list.Select(p => p.DeepClone()).ToArray()) }.ToJsonString());
                return;
            }
            if (path == "/v2.0/ports" && method == "POST")
            {
                PortCreateRequests++;
                var fault = PortCreateFaults.Count > 0 ? PortCreateFaults.Dequeue() : null;
                if (fault != null && !fault.Processed) { Fail(ctx, fault); return; }
                var request = JsonNode.Parse(body);
                var wanted = request["ports"] is JsonArray many ? many.Select(x => x.AsObject()).ToList() : new List<JsonObject> { request["port"].AsObject() };
                var free = Pool.Where(ip => Ports.All(p => Ip(p) != ip)).ToList();
                var made = new List<JsonObject>();
                foreach (var w in wanted)
                {
                    string exact = (string)w["fixed_ips"]?[0]?["ip_address"];
                    if (exact != null && ForbidExactAddress) { Write(ctx, 403, NeutronError("PolicyNotAuthorized", "(rule:create_port and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:ip_address))) is disallowed by policy")); return; }
                    if (exact != null && !free.Contains(exact)) { Write(ctx, 409, NeutronError("IpAddressInUse", $"Unable to complete operation for network {PublicNetworkId}. The IP address {exact} is in use.")); return; }
                    if (exact == null && free.Count == 0) { Write(ctx, 409, NeutronError("IpAddressGenerationFailure", $"No more IP addresses available on network {PublicNetworkId}.")); return; }
                    string ip = exact ?? free[_random.Next(free.Count)];
                    free.Remove(ip);
                    made.Add(NewPort((string)w["name"], ip, (string)w["description"]));
                }
                Ports.AddRange(made); // all or nothing, as ML2's bulk create
                if (fault != null) { Fail(ctx, fault); return; }   // neutron made them; the client never hears of it
                Write(ctx, 201, request["ports"] != null
                    ? new JsonObject { ["ports"] = new JsonArray(made.Select(p => p.DeepClone()).ToArray()) }.ToJsonString()
                    : new JsonObject { ["port"] = made[0].DeepClone() }.ToJsonString());
                return;
            }
            if (path.StartsWith("/v2.0/ports/"))
            {
                string id = path.Substring("/v2.0/ports/".Length);
                var port = Ports.FirstOrDefault(p => (string)p["id"] == id);
                if (port == null) { Write(ctx, 404, NeutronError("PortNotFound", $"Port {id} could not be found.")); return; }
                switch (method)
                {
                    case "GET": Write(ctx, 200, new JsonObject { ["port"] = port.DeepClone() }.ToJsonString()); return;
                    case "DELETE": Ports.Remove(port); Write(ctx, 204, ""); return;
                    case "PUT":
                        foreach (var kv in JsonNode.Parse(body)["port"].AsObject()) port[kv.Key] = kv.Value?.DeepClone();
                        Write(ctx, 200, new JsonObject { ["port"] = port.DeepClone() }.ToJsonString());
                        return;
                }
            }
            Write(ctx, 404, NeutronError("HTTPNotFound", "The resource could not be found."));
        }

        private bool HandleInterfaces(HttpListenerContext ctx, string method, string rest, string body)
        {
            var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0] != "servers" || parts[2] != "os-interface") return false;
            var server = Servers.FirstOrDefault(s => (string)s["id"] == parts[1]);
            if (server == null) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance " + parts[1] + " could not be found.\"}}"); return true; }
            if (method == "POST" && parts.Length == 3)
            {
                string portId = (string)JsonNode.Parse(body)["interfaceAttachment"]["port_id"];
                var port = Ports.First(p => (string)p["id"] == portId);
                port["device_id"] = (string)server["id"];
                port["device_owner"] = "compute:nova";
                port["binding:host_id"] = (string)server["OS-EXT-SRV-ATTR:host"];
                Write(ctx, 200, "{\"interfaceAttachment\": {\"port_id\": \"" + portId + "\", \"net_id\": \"" + PublicNetworkId + "\", \"port_state\": \"ACTIVE\"}}");
                return true;
            }
            if (method == "DELETE" && parts.Length == 4)
            {
                var port = Ports.FirstOrDefault(p => (string)p["id"] == parts[3] && (string)p["device_id"] == (string)server["id"]);
                if (port == null) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Port " + parts[3] + " is not attached\"}}"); return true; }
                port["device_id"] = "";
                port["device_owner"] = "";
                port["binding:host_id"] = "";
                Write(ctx, 202, "");
                return true;
            }
            return false;
        }

        private static void Fail(HttpListenerContext ctx, PortFault fault)
        {
            if (fault.Reset)
            {
                // HttpListener's Abort alone may still answer; a body cut short is a dropped connection to any client.
                ctx.Response.StatusCode = 201;
                ctx.Response.ContentLength64 = 4096;
                ctx.Response.OutputStream.Write(new byte[] { (byte)'{' }, 0, 1);
                ctx.Response.OutputStream.Flush();
                ctx.Response.Abort();
                return;
            }
            if (fault.RetryAfter != null) ctx.Response.Headers["Retry-After"] = fault.RetryAfter.Value.ToString();
            Write(ctx, fault.Status, fault.Status == 429 ? "{\"message\": \"Rate limit exceeded\"}" : "<html><body><h1>" + fault.Status + " Service Unavailable</h1></body></html>");
        }

        private static string NetworkJson() => new JsonObject
        {
            ["id"] = PublicNetworkId, ["name"] = "public", ["project_id"] = "p-admin", ["shared"] = true, ["router:external"] = true,
            ["subnets"] = new JsonArray(PublicSubnetId), ["status"] = "ACTIVE",
        }.ToJsonString();

        private static string SubnetJson() => new JsonObject
        {
            ["id"] = PublicSubnetId, ["name"] = "public-subnet", ["network_id"] = PublicNetworkId, ["ip_version"] = 4, ["cidr"] = "203.0.113.0/28",
            ["gateway_ip"] = "203.0.113.1", ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = "203.0.113.2", ["end"] = "203.0.113.14" }),
        }.ToJsonString();

        private static string NeutronError(string type, string message)
            => new JsonObject { ["NeutronError"] = new JsonObject { ["type"] = type, ["message"] = message, ["detail"] = "" } }.ToJsonString();
    }

    /// <summary>One injected fault of a port create (see <see cref="FakeCloud.PortCreateFaults"/>).</summary>
    public sealed class PortFault
    {
        public int Status { get; set; } = 503;
        /// <summary>The connection is dropped instead of answering.</summary>
        public bool Reset { get; set; }
        /// <summary>Neutron created the ports before the answer was lost.</summary>
        public bool Processed { get; set; }
        public int? RetryAfter { get; set; }
    }
}
