using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace OpenStackOps.Testing
{
    /// <summary>Placement's read side: one provider per compute service host (a small node's inventory), and the allocations a test puts there.</summary>
    public sealed partial class FakeCloud
    {
        private readonly Dictionary<string, string> _providerUuids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Consumer uuid, provider (host) name, resources.</summary>
        public List<(string Consumer, string Provider, Dictionary<string, long> Resources)> Allocations { get; } =
            new List<(string, string, Dictionary<string, long>)>();

        /// <summary>Allocates each server's flavor on its own host, as nova's scheduler does.</summary>
        public void AllocateServersWhereTheyRun()
        {
            foreach (var s in Servers)
                Allocations.Add(((string)s["id"], (string)s["OS-EXT-SRV-ATTR:hypervisor_hostname"],
                    new Dictionary<string, long> { ["VCPU"] = 1, ["MEMORY_MB"] = 512, ["DISK_GB"] = 1 }));
        }

        /// <summary>Puts an allocation of <paramref name="vcpus"/> VCPU for <paramref name="consumer"/> on a host's provider.</summary>
        public void AddAllocation(string consumer, string host, long vcpus)
            => Allocations.Add((consumer, host, new Dictionary<string, long> { ["VCPU"] = vcpus }));

        /// <summary>Usages are the flavors of the servers on each host now (they follow migrations), not <see cref="Allocations"/>.</summary>
        public bool UsagesFromServers { get; set; }

        /// <summary>A host's MEMORY_MB total instead of the small node's 16384 (a host made full).</summary>
        public Dictionary<string, long> MemoryTotal { get; } = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

        public string ProviderUuid(string host)
        {
            lock (_providerUuids)
                return _providerUuids.TryGetValue(host, out var id) ? id : _providerUuids[host] = Guid.NewGuid().ToString();
        }

        private void HandlePlacement(HttpListenerContext ctx, string method, string rest)
        {
            rest = rest.TrimEnd('/');
            if (method == "GET" && rest == "/resource_providers")
            {
                var providers = Services.Values.Select(s => (JsonNode)new JsonObject { ["uuid"] = ProviderUuid((string)s["host"]), ["name"] = (string)s["host"], ["generation"] = 1 }).ToArray();
                Write(ctx, 200, new JsonObject { ["resource_providers"] = new JsonArray(providers) }.ToJsonString());
                return;
            }
            const string prefix = "/resource_providers/";
            if (method == "GET" && rest.StartsWith(prefix) && rest.EndsWith("/allocations"))
            {
                string uuid = rest.Substring(prefix.Length, rest.Length - prefix.Length - "/allocations".Length);
                string host = Services.Keys.FirstOrDefault(h => ProviderUuid(h) == uuid);
                if (host == null) { Write(ctx, 404, "{\"errors\": [{\"status\": 404, \"title\": \"Not Found\", \"detail\": \"No resource provider with uuid " + uuid + " found\"}]}"); return; }
                var byConsumer = new JsonObject();
                foreach (var a in Allocations.Where(a => string.Equals(a.Provider, host, StringComparison.OrdinalIgnoreCase)))
                {
                    var resources = new JsonObject();
                    foreach (var r in a.Resources) resources[r.Key] = r.Value;
                    byConsumer[a.Consumer] = new JsonObject { ["resources"] = resources };
                }
                Write(ctx, 200, new JsonObject { ["allocations"] = byConsumer, ["resource_provider_generation"] = 1 }.ToJsonString());
                return;
            }
            if (method == "GET" && rest.StartsWith(prefix) && (rest.EndsWith("/inventories") || rest.EndsWith("/usages")))
            {
                string uuid = rest.Substring(prefix.Length, rest.LastIndexOf('/') - prefix.Length);
                string host = Services.Keys.FirstOrDefault(h => ProviderUuid(h) == uuid);
                if (host == null) { Write(ctx, 404, "{\"errors\": [{\"status\": 404, \"title\": \"Not Found\"}]}"); return; }
                if (rest.EndsWith("/inventories"))
                {
                    // A small node, with nova's default ratios and some reserved memory.
                    Write(ctx, 200, "{\"resource_provider_generation\": 1, \"inventories\": {" +
                        "\"VCPU\": {\"total\": 8, \"reserved\": 0, \"min_unit\": 1, \"max_unit\": 8, \"step_size\": 1, \"allocation_ratio\": 16.0}, " +
                        "\"MEMORY_MB\": {\"total\": " + (MemoryTotal.TryGetValue(host, out long mem) ? mem : 16384) + ", \"reserved\": 512, \"min_unit\": 1, \"max_unit\": 16384, \"step_size\": 1, \"allocation_ratio\": 1.5}, " +
                        "\"DISK_GB\": {\"total\": 100, \"reserved\": 0, \"min_unit\": 1, \"max_unit\": 100, \"step_size\": 1, \"allocation_ratio\": 1.0}}}");
                    return;
                }
                var usages = new JsonObject();
                if (UsagesFromServers)
                {
                    var on = Servers.Where(x => string.Equals((string)x["OS-EXT-SRV-ATTR:host"], host, StringComparison.OrdinalIgnoreCase)).ToList();
                    usages["VCPU"] = on.Sum(x => (long)x["flavor"]["vcpus"].GetValue<int>());
                    usages["MEMORY_MB"] = on.Sum(x => (long)x["flavor"]["ram"].GetValue<int>());
                    usages["DISK_GB"] = on.Sum(x => (long)x["flavor"]["disk"].GetValue<int>());
                    Write(ctx, 200, new JsonObject { ["usages"] = usages, ["resource_provider_generation"] = 1 }.ToJsonString());
                    return;
                }
                foreach (var a in Allocations.Where(a => string.Equals(a.Provider, host, StringComparison.OrdinalIgnoreCase)))
                    foreach (var r in a.Resources)
                        usages[r.Key] = (usages[r.Key]?.GetValue<long>() ?? 0) + r.Value;
                Write(ctx, 200, new JsonObject { ["usages"] = usages, ["resource_provider_generation"] = 1 }.ToJsonString());
                return;
            }
            Write(ctx, 404, "{\"errors\": [{\"status\": 404, \"title\": \"Not Found\", \"detail\": \"no route " + rest + "\"}]}");
        }
    }
}
