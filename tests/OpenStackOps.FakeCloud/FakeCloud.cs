using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OpenStackOps.Testing
{
    /// <summary>
    /// A small Keystone + Nova on a loopback port, for what the real devcloud cannot produce on demand
    /// (a wrong password is fine there, but not a 503, an expired token, or a host named with shell
    /// metacharacters), and for asserting exactly which requests a pipeline sent. State is a few services,
    /// hypervisors and servers that PUTs really change.
    /// </summary>
    public sealed partial class FakeCloud : IDisposable
    {
        public const string Password = "right-password-S3cr3t";
        private readonly HttpListener _listener = new HttpListener();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _loop;
        private int _tokenCounter;

        public FakeCloud()
        {
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
            foreach (var host in new[] { "c01.example.com", "c02.example.com", "compute-1", "compute-10" })
                Services[host] = new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(), ["binary"] = "nova-compute", ["host"] = host, ["zone"] = "nova",
                    ["status"] = "enabled", ["state"] = "up", ["disabled_reason"] = null, ["forced_down"] = false,
                    ["updated_at"] = "2026-11-23T07:10:20.000000",
                };
        }

        public int Port { get; }
        public string AuthUrl => $"http://127.0.0.1:{Port}/identity/v3";
        public ConcurrentQueue<(string Method, string Path, string Body, Dictionary<string, string> Headers)> Requests { get; } =
            new ConcurrentQueue<(string, string, string, Dictionary<string, string>)>();
        public Dictionary<string, JsonObject> Services { get; } = new Dictionary<string, JsonObject>();
        public List<JsonObject> Servers { get; } = new List<JsonObject>();
        /// <summary>os-server-groups, as nova 2.64+ shows them (policy, rules, members).</summary>
        public List<JsonObject> ServerGroups { get; } = new List<JsonObject>();

        public void AddServerGroup(string name, string policy, params string[] memberNames)
            => ServerGroups.Add(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["name"] = name, ["policy"] = policy, ["rules"] = new JsonObject(), ["project_id"] = "p1",
                ["members"] = new JsonArray(memberNames.Select(n => (JsonNode)(string)Servers.First(x => (string)x["name"] == n)["id"]).ToArray()),
            });
        /// <summary>Answer the next N compute requests with this status (e.g. 503).</summary>
        public int FailNextComputeCalls { get; set; }
        public int FailStatus { get; set; } = 503;
        public string MaxMicroversion { get; set; } = "2.93";
        /// <summary>The status DELETE /v3/auth/tokens answers with (Keystone's own is 204).</summary>
        public int RevocationStatus { get; set; } = 204;
        /// <summary>Keystone refuses every password from now on (changed while a session runs): renewals fail.</summary>
        public bool RefuseAuthentication { get; set; }
        /// <summary>The status GET /v3/auth/projects answers with (a keystone that authenticates but cannot list is broken).</summary>
        public int IdentityStatus { get; set; } = 200;
        /// <summary>Answer updates of this host's service with 409.</summary>
        public string RefuseUpdatesOf { get; set; }

        public void AddServer(string name, string host, string status = "ACTIVE", string project = "p1")
        {
            Servers.Add(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["name"] = name, ["status"] = status,
                ["OS-EXT-SRV-ATTR:host"] = host, ["OS-EXT-SRV-ATTR:hypervisor_hostname"] = host,
                ["OS-EXT-SRV-ATTR:instance_name"] = "instance-" + (Servers.Count + 1).ToString("x8"),
                ["OS-EXT-STS:power_state"] = status == "ACTIVE" ? 1 : 4, ["OS-EXT-STS:vm_state"] = status == "ACTIVE" ? "active" : "stopped",
                ["OS-EXT-STS:task_state"] = null, ["tenant_id"] = project, ["user_id"] = "u1",
                ["flavor"] = new JsonObject { ["original_name"] = "m1.tiny", ["vcpus"] = 1, ["ram"] = 512, ["disk"] = 1 },
                ["image"] = new JsonObject { ["id"] = "img-1" }, ["host_status"] = "UP",
                // Two addresses each (v4 and v6), as a server on a dual-stack provider network has.
                ["addresses"] = new JsonObject { ["public"] = new JsonArray(
                    new JsonObject { ["addr"] = $"203.0.113.{100 + Servers.Count}", ["version"] = 4 },
                    new JsonObject { ["addr"] = $"2001:db8::{100 + Servers.Count}", ["version"] = 6 }) },
            });
        }

        public IEnumerable<string> RequestLines => Requests.Select(r => r.Method + " " + r.Path);

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception) { return; }
                try { Handle(ctx); }
                catch (Exception e) { Write(ctx, 500, "{\"computeFault\": {\"code\": 500, \"message\": \"" + e.Message.Replace("\"", "'") + "\"}}"); }
            }
        }

        private void Handle(HttpListenerContext ctx)
        {
            var req = ctx.Request;
            string body = new StreamReader(req.InputStream, Encoding.UTF8).ReadToEnd();
            string path = req.Url.AbsolutePath;
            var headers = req.Headers.AllKeys.ToDictionary(k => k, k => req.Headers[k], StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue((req.HttpMethod, req.Url.PathAndQuery, body, headers));

            if (path == "/identity/v3/auth/tokens" && req.HttpMethod == "POST")
            {
                var auth = JsonNode.Parse(body)?["auth"]?["identity"];
                string password = (string)auth?["password"]?["user"]?["password"];
                if (password != Password || RefuseAuthentication)
                {
                    Write(ctx, 401, "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", \"message\": \"The request you have made requires authentication.\"}}");
                    return;
                }
                ctx.Response.Headers["X-Subject-Token"] = "fake-token-" + Interlocked.Increment(ref _tokenCounter);
                Write(ctx, 201, TokenBody());
                return;
            }
            if (path == "/identity/v3/auth/tokens" && req.HttpMethod == "DELETE")
            {
                if (RevocationStatus == 204) { ctx.Response.StatusCode = 204; ctx.Response.Close(); }
                else Write(ctx, RevocationStatus, "{\"error\": {\"code\": " + RevocationStatus + ", \"title\": \"Service Unavailable\", \"message\": \"Keystone is restarting.\"}}");
                return;
            }
            if (path == "/identity/v3/auth/projects" && req.HttpMethod == "GET")
            {
                if (IdentityStatus != 200) { Write(ctx, IdentityStatus, "{\"error\": {\"code\": " + IdentityStatus + ", \"message\": \"keystone is unwell\"}}"); return; }
                Write(ctx, 200, "{\"projects\": [{\"id\": \"p-admin\", \"name\": \"admin\", \"domain_id\": \"default\", \"enabled\": true}]}");
                return;
            }
            if (HandleUsage(ctx, req.HttpMethod, path, System.Web.HttpUtility.ParseQueryString(req.Url.Query))) return;
            if (path.StartsWith("/placement/")) { HandlePlacement(ctx, req.HttpMethod, path.Substring("/placement".Length)); return; }
            if (path.StartsWith("/network/")) { HandleNetwork(ctx, req.HttpMethod, path.Substring("/network".Length), req.Url.Query, body); return; }
            if (!path.StartsWith("/compute/v2.1")) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"no route\"}}"); return; }
            if (FailNextComputeCalls > 0)
            {
                FailNextComputeCalls--;
                Write(ctx, FailStatus, "");
                return;
            }
            string rest = path.Substring("/compute/v2.1".Length).TrimEnd('/');
            var query = System.Web.HttpUtility.ParseQueryString(req.Url.Query);
            if (rest == "") { Write(ctx, 200, "{\"version\": {\"id\": \"v2.1\", \"status\": \"CURRENT\", \"version\": \"" + MaxMicroversion + "\", \"min_version\": \"2.1\"}}"); return; }
            if (rest == "/os-services" && req.HttpMethod == "GET")
            {
                var list = Services.Values.Where(s => (query["host"] == null || (string)s["host"] == query["host"]) && (query["binary"] == null || (string)s["binary"] == query["binary"]));
                Write(ctx, 200, new JsonObject { ["services"] = new JsonArray(list.Select(s => s.DeepClone()).ToArray()) }.ToJsonString());
                return;
            }
            if (rest.StartsWith("/os-services/") && req.HttpMethod == "PUT")
            {
                string id = rest.Substring("/os-services/".Length);
                var s = Services.Values.FirstOrDefault(x => (string)x["id"] == id);
                if (s == null) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Service not found.\"}}"); return; }
                if ((string)s["host"] == RefuseUpdatesOf) { Write(ctx, 409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Service is locked for maintenance.\"}}"); return; }
                var update = JsonNode.Parse(body);
                if ((string)update["status"] == "enabled" && update["disabled_reason"] != null) { Write(ctx, 400, "{\"badRequest\": {\"code\": 400, \"message\": \"Specifying 'disabled_reason' with status 'enabled' is invalid.\"}}"); return; }
                if (update["status"] != null) s["status"] = (string)update["status"];
                if ((string)update["status"] == "enabled") s["disabled_reason"] = null;
                if (update["disabled_reason"] != null) s["disabled_reason"] = (string)update["disabled_reason"];
                if (update["forced_down"] != null) s["forced_down"] = (bool)update["forced_down"];
                Write(ctx, 200, new JsonObject { ["service"] = s.DeepClone() }.ToJsonString());
                return;
            }
            if (rest == "/os-hypervisors/detail")
            {
                var hv = Services.Values.Select(s => (JsonNode)new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(), ["hypervisor_hostname"] = (string)s["host"], ["hypervisor_type"] = "fake",
                    ["host_ip"] = "127.0.0.1", ["state"] = (string)s["state"], ["status"] = (string)s["status"],
                    ["vcpus"] = 8, ["vcpus_used"] = Servers.Count(x => (string)x["OS-EXT-SRV-ATTR:host"] == (string)s["host"]),
                    ["memory_mb"] = 16384, ["memory_mb_used"] = 512, ["local_gb"] = 100, ["local_gb_used"] = 1,
                    ["running_vms"] = Servers.Count(x => (string)x["OS-EXT-SRV-ATTR:host"] == (string)s["host"]),
                    ["service"] = new JsonObject { ["host"] = (string)s["host"], ["id"] = (string)s["id"] },
                }).ToArray();
                Write(ctx, 200, new JsonObject { ["hypervisors"] = new JsonArray(hv) }.ToJsonString());
                return;
            }
            if (rest == "/servers" && req.HttpMethod == "GET")
            {
                var brief = Servers.Select(x => (JsonNode)new JsonObject { ["id"] = (string)x["id"], ["name"] = (string)x["name"] }).ToArray();
                Write(ctx, 200, new JsonObject { ["servers"] = new JsonArray(brief) }.ToJsonString());
                return;
            }
            if (rest.StartsWith("/servers/") && rest != "/servers/detail" && rest.Count(c => c == '/') == 2 && req.HttpMethod == "GET")
            {
                string id = rest.Substring("/servers/".Length);
                var server = Servers.FirstOrDefault(x => (string)x["id"] == id);
                if (server == null) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance " + id + " could not be found.\"}}"); return; }
                Write(ctx, 200, new JsonObject { ["server"] = server.DeepClone() }.ToJsonString());
                return;
            }
            if (rest == "/os-server-groups" && req.HttpMethod == "GET")
            {
                // As nova: all_projects=True for an admin, paged with limit/offset.
                int offset = int.TryParse(query["offset"], out int o) ? o : 0, limit = int.TryParse(query["limit"], out int l) ? l : 1000;
                Write(ctx, 200, new JsonObject { ["server_groups"] = new JsonArray(ServerGroups.Skip(offset).Take(limit).Select(g => g.DeepClone()).ToArray()) }.ToJsonString());
                return;
            }
            if (HandleMigrations(ctx, req.HttpMethod, rest, body, query)) return;
            if (rest == "/servers/detail")
            {
                var (list, more) = Paged(Servers.Where(s => (query["host"] == null || (string)s["OS-EXT-SRV-ATTR:host"] == query["host"]) && ChangedSince(s, query["changes-since"])),
                    query["limit"], query["marker"]);
                if (list == null) { Write(ctx, 400, "{\"badRequest\": {\"code\": 400, \"message\": \"marker [" + query["marker"] + "] not found\"}}"); return; }
                // As nova: the listing leaves the fault out; only GET /servers/{id} shows it. A full page links to the next.
                var detail = new JsonObject { ["servers"] = new JsonArray(list.Select(s => { var c = (JsonObject)s.DeepClone(); c.Remove("fault"); return (JsonNode)c; }).ToArray()) };
                if (more) detail["servers_links"] = new JsonArray(new JsonObject { ["rel"] = "next", ["href"] = $"http://127.0.0.1:{Port}/compute/v2.1/servers/detail?limit={query["limit"]}&marker={list[list.Count - 1]["id"]}" });
                Write(ctx, 200, detail.ToJsonString());
                return;
            }
            if (HandleInterfaces(ctx, req.HttpMethod, rest, body)) return;
            Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"no route " + rest + "\"}}");
        }

        private string TokenBody()
        {
            string compute = $"http://127.0.0.1:{Port}/compute/v2.1";
            var token = new JsonObject
            {
                ["token"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["expires_at"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.000000Z"),
                    ["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.000000Z"),
                    ["user"] = new JsonObject { ["id"] = "u-admin", ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["project"] = new JsonObject { ["id"] = "p-admin", ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" } },
                    ["roles"] = GrantsAdmin
                        ? new JsonArray(new JsonObject { ["id"] = "r1", ["name"] = "admin" }, new JsonObject { ["id"] = "r2", ["name"] = "member" })
                        : new JsonArray(new JsonObject { ["id"] = "r2", ["name"] = "member" }),
                    ["catalog"] = new JsonArray(
                        Entry("compute", "nova", compute),
                        Entry("network", "neutron", $"http://127.0.0.1:{Port}/network"),
                        Entry("placement", "placement", $"http://127.0.0.1:{Port}/placement"),
                        Entry("identity", "keystone", AuthUrl)),
                },
            };
            if (OffersImagesAndVolumes)
            {
                var catalog = (JsonArray)token["token"]["catalog"];
                catalog.Add(Entry("image", "glance", $"http://127.0.0.1:{Port}/image"));
                catalog.Add(Entry("volumev3", "cinderv3", $"http://127.0.0.1:{Port}/volume/v3/p-admin"));
            }
            return token.ToJsonString();
        }

        private static JsonObject Entry(string type, string name, string url) => new JsonObject
        {
            ["type"] = type, ["name"] = name, ["id"] = Guid.NewGuid().ToString(),
            ["endpoints"] = new JsonArray(
                new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["interface"] = "public", ["region"] = "RegionOne", ["region_id"] = "RegionOne", ["url"] = url },
                new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["interface"] = "internal", ["region"] = "RegionOne", ["region_id"] = "RegionOne", ["url"] = url }),
        };

        private static void Write(HttpListenerContext ctx, int status, string body)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers["x-openstack-request-id"] = "req-" + Guid.NewGuid();
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentLength64 = bytes.Length;
            ctx.Response.OutputStream.Write(bytes, 0, bytes.Length);
            ctx.Response.Close();
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            try { _loop.Wait(2000); } catch (AggregateException) { }
        }
    }
}
