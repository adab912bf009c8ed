using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace OpenStackOps.Testing
{
    /// <summary>
    /// What the weekly usage report reads: keystone's projects, nova's, cinder's and neutron's quotas, glance's images
    /// (paged), neutron's network-ip-availabilities (paged), with the listings capped at <see cref="MaxLimit"/> per page as
    /// the real services cap them (nova's max_limit, glance's api_limit_max), so a test can make them page.
    /// </summary>
    public sealed partial class FakeCloud
    {
        /// <summary>The most items one page of servers, images or IP availabilities holds (nova's max_limit: 1000).</summary>
        public int MaxLimit { get; set; } = 1000;

        /// <summary>Puts glance (image) and cinder (volumev3) in the catalog: off by default, as the control-plane tests count the APIs.</summary>
        public bool OffersImagesAndVolumes { get; set; }

        /// <summary>Whether the tokens carry the admin role (true) or only member, as a non-admin user's would.</summary>
        public bool GrantsAdmin { get; set; } = true;

        public List<(string Id, string Name)> Projects { get; } = new List<(string, string)> { ("p1", "alpha"), ("p3", "gamma"), ("p-admin", "admin") };

        public List<JsonObject> Images { get; } = new List<JsonObject>();

        /// <summary>Extra networks for network-ip-availabilities (the public network is always there).</summary>
        public List<JsonObject> IpAvailabilities { get; } = new List<JsonObject>();

        /// <summary>Projects whose quota calls a service answers with 403 (as a policy that hides one project).</summary>
        public HashSet<string> QuotaForbiddenProjects { get; } = new HashSet<string>();

        public JsonObject AddImage(string name, long size, string visibility = "public", string owner = "p-admin", string id = null)
        {
            var image = new JsonObject
            {
                ["id"] = id ?? Guid.NewGuid().ToString(), ["name"] = name, ["status"] = "active", ["visibility"] = visibility,
                ["owner"] = owner, ["size"] = size, ["disk_format"] = "qcow2", ["container_format"] = "bare", ["protected"] = false,
                ["created_at"] = "2026-11-01T10:00:00Z",
            };
            Images.Add(image);
            return image;
        }

        /// <summary>(items after the marker, capped at the limit and <see cref="MaxLimit"/>, whether more follow).</summary>
        private (List<JsonObject> Page, bool More) Paged(IEnumerable<JsonObject> all, string limit, string marker, string idKey = "id")
        {
            var list = all.ToList();
            int start = 0;
            if (marker != null)
            {
                int at = list.FindIndex(x => (string)x[idKey] == marker);
                if (at < 0) return (null, false);
                start = at + 1;
            }
            int size = Math.Min(MaxLimit, int.TryParse(limit, out int l) ? l : MaxLimit);
            var page = list.Skip(start).Take(size).ToList();
            return (page, start + page.Count < list.Count);
        }

        private bool HandleUsage(HttpListenerContext ctx, string method, string path, System.Collections.Specialized.NameValueCollection q)
        {
            if (method != "GET") return false;
            if (path == "/identity/v3/projects")
            {
                Write(ctx, 200, new JsonObject { ["projects"] = new JsonArray(Projects.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["enabled"] = true, ["domain_id"] = "default" }).ToArray()) }.ToJsonString());
                return true;
            }
            if (path.StartsWith("/compute/v2.1/os-quota-sets/") && path.EndsWith("/detail"))
            {
                string project = path.Split('/')[4];
                if (QuotaForbiddenProjects.Contains(project)) { Write(ctx, 403, "{\"forbidden\": {\"code\": 403, \"message\": \"Policy doesn't allow os_compute_api:os-quota-sets:detail to be performed.\"}}"); return true; }
                var mine = Servers.Where(s => (string)s["tenant_id"] == project).ToList();
                Write(ctx, 200, new JsonObject
                {
                    ["quota_set"] = new JsonObject
                    {
                        ["id"] = project,
                        ["cores"] = Figures(20, mine.Sum(s => (int)s["flavor"]["vcpus"]), "in_use"),
                        ["instances"] = Figures(10, mine.Count, "in_use"),
                        ["ram"] = Figures(51200, mine.Sum(s => (int)s["flavor"]["ram"]), "in_use"),
                        ["key_pairs"] = Figures(-1, 0, "in_use"),
                    },
                }.ToJsonString());
                return true;
            }
            if (path.StartsWith("/volume/v3/p-admin/os-quota-sets/"))
            {
                string project = path.Substring("/volume/v3/p-admin/os-quota-sets/".Length);
                Write(ctx, 200, new JsonObject
                {
                    ["quota_set"] = new JsonObject
                    {
                        ["id"] = project, ["gigabytes"] = Figures(1000, project == "p1" ? 40 : 0, "in_use"), ["volumes"] = Figures(10, project == "p1" ? 2 : 0, "in_use"),
                    },
                }.ToJsonString());
                return true;
            }
            if (path == "/image/v2/images")
            {
                var (page, more) = Paged(Images, q["limit"], q["marker"]);
                if (page == null) { Write(ctx, 400, "{\"message\": \"marker not found\"}"); return true; }
                var body = new JsonObject { ["images"] = new JsonArray(page.Select(i => i.DeepClone()).ToArray()), ["first"] = "/v2/images" };
                if (more) body["next"] = $"/v2/images?limit={q["limit"]}&marker={page[page.Count - 1]["id"]}";
                Write(ctx, 200, body.ToJsonString());
                return true;
            }
            if (path == "/network/v2.0/network-ip-availabilities")
            {
                var all = new List<JsonObject>
                {
                    new JsonObject
                    {
                        ["network_id"] = PublicNetworkId, ["network_name"] = "public", ["project_id"] = "p-admin", ["used_ips"] = Ports.Count, ["total_ips"] = 13,
                        ["subnet_ip_availability"] = new JsonArray(new JsonObject { ["subnet_id"] = PublicSubnetId, ["subnet_name"] = "public-v4", ["cidr"] = "203.0.113.0/28", ["ip_version"] = 4, ["used_ips"] = Ports.Count, ["total_ips"] = 13 }),
                    },
                };
                all.AddRange(IpAvailabilities);
                var (page, more) = Paged(all, q["limit"], q["marker"], "network_id");
                var body = new JsonObject { ["network_ip_availabilities"] = new JsonArray(page.Select(i => i.DeepClone()).ToArray()) };
                if (more) body["network_ip_availabilities_links"] = new JsonArray(new JsonObject { ["rel"] = "next", ["href"] = $"http://127.0.0.1:{Port}/network/v2.0/network-ip-availabilities?limit={q["limit"]}&marker={page[page.Count - 1]["network_id"]}" });
                Write(ctx, 200, body.ToJsonString());
                return true;
            }
            return false;
        }

        private static JsonObject Figures(long limit, long used, string usedKey) => new JsonObject { ["limit"] = limit, [usedKey] = used, ["reserved"] = 0 };
    }
}
