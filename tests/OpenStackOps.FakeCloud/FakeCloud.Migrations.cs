using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace OpenStackOps.Testing
{
    /// <summary>
    /// Live migrations in the fake nova: os-migrateLive creates a record that runs for <see cref="MigrationDuration"/>
    /// and then completes (the server moves) or, for a refused destination, fails (the server stays). Time advances
    /// when requests arrive, like a cloud seen only through its API. Counts how many ran at once.
    /// </summary>
    public sealed partial class FakeCloud
    {
        private readonly object _migrationLock = new object();
        private sealed class Move
        {
            public JsonObject Record, Server;
            public DateTime? Ends; // null while queued behind the source host's limit
        }
        private readonly List<Move> _running = new List<Move>();
        private long _migrationIds = 100;

        public List<JsonObject> Migrations { get; } = new List<JsonObject>();
        public TimeSpan MigrationDuration { get; set; } = TimeSpan.FromMilliseconds(600);
        /// <summary>Migrations to this host fail (the conductor's pre-checks refuse it) and the server stays.</summary>
        public string RefuseMigrationsTo { get; set; }
        /// <summary>nova-compute's max_concurrent_live_migrations of every source host (0: unlimited); the rest wait 'queued'.</summary>
        public int PerSourceHostLimit { get; set; }
        /// <summary>The most live migrations that were queued or running at the same moment.</summary>
        public int MaxConcurrentMigrations { get; private set; }
        public int LiveMigrateRequests => Requests.Count(r => r.Method == "POST" && r.Body != null && r.Body.Contains("os-migrateLive"));

        private static string Now() => Stamp(DateTime.UtcNow);
        private static string Stamp(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);

        private static bool ChangedSince(JsonObject server, string since)
        {
            if (since == null) return true;
            var at = DateTimeOffset.Parse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            string updated = (string)server["updated"];
            return updated != null && DateTimeOffset.Parse(updated, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) >= at.AddSeconds(-1);
        }

        private void Advance()
        {
            lock (_migrationLock)
            {
                while (true)
                {
                    // Whatever ended first frees its host's slot first: walk time forward one event at a time.
                    var next = _running.Where(m => m.Ends.HasValue && m.Ends.Value <= DateTime.UtcNow).OrderBy(m => m.Ends.Value).FirstOrDefault();
                    StartQueued(next?.Ends ?? DateTime.UtcNow);
                    if (next == null) break;
                    _running.Remove(next);
                    bool refused = (string)next.Record["dest_compute"] == RefuseMigrationsTo;
                    next.Record["status"] = refused ? "error" : "completed";
                    // Stamped when it really ended, not when a request happened to look.
                    next.Record["updated_at"] = Stamp(next.Ends.Value);
                    if (!refused)
                    {
                        next.Server["OS-EXT-SRV-ATTR:host"] = (string)next.Record["dest_compute"];
                        next.Server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = (string)next.Record["dest_compute"];
                    }
                    next.Server["OS-EXT-STS:task_state"] = null;
                    next.Server["updated"] = Stamp(next.Ends.Value);
                    StartQueued(next.Ends.Value);
                }
            }
        }

        private void StartQueued(DateTime at)
        {
            foreach (var m in _running.Where(m => !m.Ends.HasValue).ToList())
            {
                string source = (string)m.Record["source_compute"];
                if (PerSourceHostLimit > 0 && _running.Count(x => x.Ends.HasValue && (string)x.Record["source_compute"] == source) >= PerSourceHostLimit) continue;
                m.Ends = at + MigrationDuration;
                m.Record["status"] = "running";
                m.Record["updated_at"] = Stamp(at);
            }
        }

        private bool HandleMigrations(HttpListenerContext ctx, string method, string rest, string body, NameValueCollection query)
        {
            Advance();
            if (method == "POST" && rest.StartsWith("/servers/") && rest.EndsWith("/action") && body.Contains("os-migrateLive"))
            {
                string id = rest.Split('/')[2];
                var server = Servers.FirstOrDefault(x => (string)x["id"] == id);
                if (server == null) { Write(ctx, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance " + id + " could not be found.\"}}"); return true; }
                if ((string)server["status"] != "ACTIVE" || server["OS-EXT-STS:task_state"] != null)
                {
                    Write(ctx, 409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'os-migrateLive' instance " + id + " while it is in task_state migrating\"}}");
                    return true;
                }
                string dest = (string)JsonNode.Parse(body)["os-migrateLive"]["host"] ?? Services.Keys.First(h => h != (string)server["OS-EXT-SRV-ATTR:host"]);
                lock (_migrationLock)
                {
                    var record = new JsonObject
                    {
                        ["id"] = ++_migrationIds, ["uuid"] = Guid.NewGuid().ToString(), ["instance_uuid"] = id,
                        ["migration_type"] = "live-migration", ["status"] = "queued",
                        ["source_compute"] = (string)server["OS-EXT-SRV-ATTR:host"], ["source_node"] = (string)server["OS-EXT-SRV-ATTR:host"],
                        ["dest_compute"] = dest, ["dest_node"] = dest, ["dest_host"] = "127.0.0.1",
                        ["created_at"] = Now(), ["updated_at"] = Now(), ["project_id"] = (string)server["tenant_id"], ["user_id"] = "u1",
                    };
                    Migrations.Add(record);
                    server["OS-EXT-STS:task_state"] = "migrating";
                    server["updated"] = Now();
                    _running.Add(new Move { Record = record, Server = server });
                    StartQueued(DateTime.UtcNow);
                    MaxConcurrentMigrations = Math.Max(MaxConcurrentMigrations, _running.Count(m => m.Ends.HasValue));
                }
                Write(ctx, 202, "");
                return true;
            }
            if (method == "GET" && rest == "/os-migrations")
            {
                IEnumerable<JsonObject> list;
                lock (_migrationLock) list = Migrations.Select(m => (JsonObject)m.DeepClone()).ToList();
                if (query["source_compute"] != null) list = list.Where(m => (string)m["source_compute"] == query["source_compute"]);
                if (query["instance_uuid"] != null) list = list.Where(m => (string)m["instance_uuid"] == query["instance_uuid"]);
                if (query["status"] != null) list = list.Where(m => (string)m["status"] == query["status"]);
                if (query["changes-since"] != null)
                {
                    var since = DateTimeOffset.Parse(query["changes-since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    list = list.Where(m => DateTimeOffset.Parse((string)m["updated_at"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) >= since.AddSeconds(-1));
                }
                list = list.OrderByDescending(m => (long)m["id"]);
                if (query["limit"] != null) list = list.Take(int.Parse(query["limit"], CultureInfo.InvariantCulture));
                Write(ctx, 200, new JsonObject { ["migrations"] = new JsonArray(list.Cast<JsonNode>().ToArray()) }.ToJsonString());
                return true;
            }
            return false;
        }
    }
}
