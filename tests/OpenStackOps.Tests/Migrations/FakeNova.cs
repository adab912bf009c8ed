using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using OpenStackOps.Tests.Fakes;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>What a scripted migration does.</summary>
    public enum ScriptOutcome
    {
        /// <summary>Runs for the duration and completes on the destination.</summary>
        Complete,
        /// <summary>Fails in the compute and is rolled back: record 'failed', server ACTIVE on its source.</summary>
        RollBack,
        /// <summary>Fails too late to roll back: record 'error', server ERROR.</summary>
        ErrorState,
        /// <summary>The conductor's pre-check fails after the 202 (2.34+): record 'error', server untouched.</summary>
        PreCheckError,
        /// <summary>Stays 'running' until aborted or forced.</summary>
        Stuck,
        /// <summary>The record says completed but the server never left its source (nova lost track, LP #1414065).</summary>
        CompletedButNotMoved,
    }

    /// <summary>How the next migration of a server behaves.</summary>
    public sealed class MigrationScript
    {
        public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(8);
        public ScriptOutcome Outcome { get; set; } = ScriptOutcome.Complete;
        /// <summary>Where the scheduler puts it when no host is named.</summary>
        public string Destination { get; set; } = "c02.example.com";
        public string Reason { get; set; } = "Migration error: Live migration failed: guest paused by a libvirt error";
        /// <summary>False: the driver refuses abort (400), like drivers without support.</summary>
        public bool AbortSupported { get; set; } = true;
    }

    public sealed class FakeServer
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public string Host { get; set; }
        public string Status { get; set; } = "ACTIVE";
        public string VmState { get; set; } = "active";
        public string TaskState { get; set; }
        public bool Locked { get; set; }
        public string ProjectId { get; set; } = "feb7fc3375c74ac58e097dd20771747a";
        public int RamMb { get; set; } = 2048;
        public int DiskGb { get; set; } = 20;
        public DateTimeOffset Updated { get; set; }
        public bool Deleted { get; set; }
    }

    public sealed class FakeMigration
    {
        public long Id { get; set; }
        public string Uuid { get; set; }
        public string InstanceUuid { get; set; }
        public string Type { get; set; } = "live-migration";
        public string Source { get; set; }
        public string Dest { get; set; }
        public string Status { get; set; } = "accepted";
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset? Updated { get; set; }
        public DateTimeOffset VisibleAt { get; set; }
        internal DateTimeOffset Start { get; set; }
        internal DateTimeOffset RunningAt { get; set; }
        internal DateTimeOffset? EndAt { get; set; }
        internal ScriptOutcome Outcome { get; set; }
        internal MigrationScript Script { get; set; }
        internal string OriginalStatus { get; set; }
        internal string OriginalVmState { get; set; }
        internal string RequestId { get; set; }
        internal bool Ended { get; set; }
        /// <summary>Cold: confirmResize accepted at this time.</summary>
        internal DateTimeOffset? ConfirmAt { get; set; }
        public bool Terminal => new[] { "completed", "failed", "error", "cancelled", "confirmed", "reverted" }.Contains(Status);
    }

    /// <summary>
    /// A stateful nova for engine tests: servers and migration records that evolve with a <see cref="VirtualClock"/>,
    /// the API shapes of nova's samples (os-migrations per microversion with changes-since and paging, servers,
    /// server migrations, instance actions), strict query checking, fault injection and request recording.
    /// Records are created by the "conductor" a moment after the 202 and carry second-resolution times like
    /// nova's MySQL columns.
    /// </summary>
    public sealed class FakeNova : HttpMessageHandler
    {
        private readonly object _gate = new object();
        private readonly VirtualClock _clock;
        private readonly Dictionary<string, MigrationScript> _scripts = new Dictionary<string, MigrationScript>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonObject> _actions = new Dictionary<string, JsonObject>();
        private readonly List<Fault> _faults = new List<Fault>();
        private long _nextMigrationId = 100;
        private int _nextRequest = 1;

        public FakeNova(VirtualClock clock, string maxVersion = "2.93")
        {
            _clock = clock;
            MaxVersion = maxVersion;
        }

        public string MaxVersion { get; set; }
        public Dictionary<string, FakeServer> Servers { get; } = new Dictionary<string, FakeServer>(StringComparer.OrdinalIgnoreCase);
        public List<FakeMigration> Migrations { get; } = new List<FakeMigration>();
        public List<RecordedRequest> Requests { get; } = new List<RecordedRequest>();
        /// <summary>Called after each request is recorded and answered (e.g. to press Ctrl+C at a chosen moment).</summary>
        public Action<RecordedRequest> OnRequest { get; set; }
        /// <summary>
        /// Awaited after a POST to a server's action was handled and before it is answered: a slow or held answer in
        /// real time (the virtual clock does not move), to see whether the engine's other sends wait for it.
        /// </summary>
        public Func<RecordedRequest, Task> BeforeActionAnswer { get; set; }
        private int _actionsInProgress;
        /// <summary>The most server-action POSTs that were in progress (sent, not yet answered) at the same moment.</summary>
        public int MaxConcurrentActions { get; private set; }
        /// <summary>The most records one os-migrations answer held.</summary>
        public int LargestMigrationListing { get; private set; }
        /// <summary>The most live migrations that were in progress at once, counted when each was submitted.</summary>
        public int MaxConcurrentSeen { get; private set; }
        /// <summary>How long the conductor takes to create the record after the 202.</summary>
        public TimeSpan RecordDelay { get; set; } = TimeSpan.FromMilliseconds(200);
        /// <summary>Virtual time each request takes.</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.Zero;
        /// <summary>
        /// A busy control plane: however many moves run at once, nova ends at most one per this interval (the devcloud on
        /// 2 cores ends one every ~2.5 s with 20 accepted at once, its neutron-server saturated). Null: no such limit.
        /// </summary>
        public TimeSpan? EndSpacing { get; set; }
        private DateTimeOffset _lastScheduledEnd = DateTimeOffset.MinValue;

        public FakeServer AddServer(string id, string name, string host = "c01.example.com", Action<FakeServer> configure = null)
        {
            var s = new FakeServer { Id = id, Name = name, Host = host, Updated = _clock.UtcNow - TimeSpan.FromDays(1) };
            configure?.Invoke(s);
            Servers[id] = s;
            return s;
        }

        public void Script(string serverId, MigrationScript script) => _scripts[serverId] = script;

        /// <summary>
        /// When set, asked for each live migration with the server and its destination (null: the scheduler chooses);
        /// a reason refuses it as nova's conductor does when the scheduler finds no valid host: the migration ends in
        /// error at once, the server stays as it was, the instance action carries the reason.
        /// </summary>
        public Func<FakeServer, string, string> SchedulerRefusal { get; set; }

        /// <summary>A migration record from before the run (history the engine must not mistake for its own).</summary>
        public FakeMigration AddHistory(string serverId, string source, string dest, string status, TimeSpan ago, string type = "live-migration")
        {
            var t = Trunc(_clock.UtcNow - ago);
            var m = new FakeMigration
            {
                Id = _nextMigrationId++, Uuid = Guid.NewGuid().ToString(), InstanceUuid = serverId, Type = type, Source = source, Dest = dest,
                Status = status, Created = t, Updated = t + TimeSpan.FromSeconds(9), VisibleAt = t, Ended = true, Start = t,
            };
            Migrations.Add(m);
            return m;
        }

        /// <summary>
        /// Answers the next <paramref name="times"/> requests that match with <paramref name="status"/>.
        /// <paramref name="processed"/>: nova handles the request first and only the answer is lost (a proxy's 503 or a
        /// reset after the request got through); <paramref name="reset"/>: the connection drops instead of an answer.
        /// </summary>
        public void FailNext(string method, string pathStart, int status, string body = null, int times = 1, TimeSpan? hang = null,
            bool processed = false, bool reset = false, string retryAfter = null)
        {
            lock (_gate) _faults.Add(new Fault { Method = method, PathStart = pathStart, Status = status, Body = body, Left = times, Hang = hang,
                                                 Processed = processed, Reset = reset, RetryAfter = retryAfter });
        }

        public IEnumerable<RecordedRequest> Calls(string method, string pathStart)
        {
            lock (_gate) return Requests.Where(r => r.Method == method && r.Uri.AbsolutePath.StartsWith("/v2.1/" + pathStart, StringComparison.Ordinal)).ToList();
        }

        /// <summary>POSTs of os-migrateLive or migrate.</summary>
        public List<RecordedRequest> MoveActions
        {
            get
            {
                lock (_gate)
                    return Requests.Where(r => r.Method == "POST" && r.Body != null &&
                                               (r.Body.Contains("\"os-migrateLive\"") || r.Body.Contains("\"migrate\""))).ToList();
            }
        }

        public int Count(string method, string pathStart) => Calls(method, pathStart).Count();

        public OpenStackOps.Compute.Servers.Server ServerObject(string id)
        {
            lock (_gate) return OpenStackOps.Compute.Servers.Server.FromJson(JsonNode.Parse(ServerJson(Servers[id]).ToJsonString()));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            string body = request.Content == null ? null : await request.Content.ReadAsStringAsync(ct);
            var recorded = new RecordedRequest(request, body);
            bool action = recorded.Method == "POST" && recorded.Uri.AbsolutePath.EndsWith("/action", StringComparison.Ordinal);
            if (!action) return await AnswerAsync(request, recorded, ct);
            lock (_gate) MaxConcurrentActions = Math.Max(MaxConcurrentActions, ++_actionsInProgress);
            try
            {
                return await AnswerAsync(request, recorded, ct);
            }
            finally
            {
                lock (_gate) _actionsInProgress--;
            }
        }

        private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, RecordedRequest recorded, CancellationToken ct)
        {
            Fault fault;
            (int status, JsonNode json, string requestId) answer;
            string raw = null;
            lock (_gate)
            {
                recorded.At = _clock.UtcNow;
                Requests.Add(recorded);
                if (Latency > TimeSpan.Zero) _clock.Advance(Latency);
                fault = _faults.FirstOrDefault(f => f.Left > 0 && f.Method == recorded.Method &&
                                                    recorded.Uri.AbsolutePath.StartsWith("/v2.1/" + f.PathStart, StringComparison.Ordinal));
                if (fault != null) fault.Left--;
                Refresh();
                if (fault != null)
                {
                    if (fault.Processed) Route(recorded, request);
                    // Faults answer with their body as given: HTML from a proxy, an empty body...
                    raw = fault.Body;
                    answer = (fault.Status, null, "req-fault-" + _nextRequest++);
                }
                else answer = Route(recorded, request);
            }
            // A hanging answer: the client's own request timeout cancels it.
            if (fault?.Hang != null) await Task.Delay(fault.Hang.Value, ct);
            if (fault?.Reset == true) throw new HttpRequestException("Connection reset by peer (FakeNova)");
            if (BeforeActionAnswer != null && recorded.Method == "POST" && recorded.Uri.AbsolutePath.EndsWith("/action", StringComparison.Ordinal))
                await BeforeActionAnswer(recorded);
            OnRequest?.Invoke(recorded);
            var response = new HttpResponseMessage((HttpStatusCode)answer.status)
            {
                Content = new StringContent(raw ?? answer.json?.ToJsonString() ?? "", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            if (answer.requestId != null) response.Headers.TryAddWithoutValidation("x-openstack-request-id", answer.requestId);
            if (fault?.RetryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", fault.RetryAfter);
            return response;
        }

        private (int, JsonNode, string) Route(RecordedRequest r, HttpRequestMessage request)
        {
            string path = r.Uri.AbsolutePath;
            var query = HttpUtility.ParseQueryString(r.Uri.Query);
            string mvText = r.Header("OpenStack-API-Version");
            var mv = mvText == null ? 1 : int.Parse(mvText.Split(' ')[1].Split('.')[1], CultureInfo.InvariantCulture);
            string reqId = "req-" + _nextRequest++.ToString("D4", CultureInfo.InvariantCulture);
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v2.1, servers, {id}, ...

            if (r.Method == "GET" && path == "/v2.1/")
                return (200, JsonNode.Parse(NovaFixture.VersionDocument(MaxVersion)), null);
            if (r.Method == "GET" && path == "/v2.1/os-migrations") return ListMigrations(query, mv, reqId);
            if (parts.Length >= 3 && parts[1] == "servers")
            {
                if (parts[2] == "detail" && r.Method == "GET") return ListServers(query, reqId);
                if (!Servers.TryGetValue(parts[2], out var server) || server.Deleted)
                    return NotFound("Instance " + parts[2] + " could not be found.", reqId);
                if (parts.Length == 3 && r.Method == "GET") return (200, new JsonObject { ["server"] = ServerJson(server) }, reqId);
                if (parts.Length == 4 && parts[3] == "action" && r.Method == "POST") return ServerAction(server, JsonNode.Parse(r.Body), mv, reqId);
                if (parts.Length == 4 && parts[3] == "os-instance-actions" && r.Method == "GET")
                    return (200, new JsonObject { ["instanceActions"] = new JsonArray(_actions.Values
                        .Where(a => (string)a["instance_uuid"] == server.Id).Reverse().Select(a => (JsonNode)a.DeepClone()).ToArray()) }, reqId);
                if (parts.Length == 5 && parts[3] == "os-instance-actions" && r.Method == "GET")
                    return _actions.TryGetValue(parts[4], out var action)
                        ? (200, new JsonObject { ["instanceAction"] = action.DeepClone() }, reqId)
                        : NotFound("Action for request_id " + parts[4] + " on instance " + server.Id + " not found", reqId);
                if (parts.Length >= 5 && parts[3] == "migrations") return ServerMigration(server, parts, r, mv, reqId);
            }
            Assert.Fail($"FakeNova: unexpected request {r.Method} {r.PathAndQuery}");
            return (500, null, reqId);
        }

        // ---- actions ------------------------------------------------------------------------------------------

        private (int, JsonNode, string) ServerAction(FakeServer s, JsonNode body, int mv, string reqId)
        {
            var now = _clock.UtcNow;
            if (body["os-migrateLive"] is JsonObject live)
            {
                // The token is an admin's: nova lets an admin move a locked server (check_instance_lock).
                if (s.TaskState != null || (s.VmState != "active" && s.VmState != "paused"))
                    return Conflict($"Cannot 'os-migrateLive' instance {s.Id} while it is in {(s.TaskState != null ? "task_state " + s.TaskState : "vm_state " + s.VmState)}", reqId);
                var script = _scripts.TryGetValue(s.Id, out var sc) ? sc : new MigrationScript();
                _scripts.Remove(s.Id);
                string refusal = SchedulerRefusal?.Invoke(s, (string)live["host"]);
                if (refusal != null) script = new MigrationScript { Outcome = ScriptOutcome.PreCheckError, Reason = refusal };
                string dest = (string)live["host"] ?? script.Destination;
                var m = NewMigration(s, dest, "live-migration", script, reqId, now);
                m.Outcome = script.Outcome;
                m.RunningAt = now + TimeSpan.FromSeconds(1);
                m.EndAt = script.Outcome == ScriptOutcome.Stuck ? (DateTimeOffset?)null
                    : script.Outcome == ScriptOutcome.PreCheckError ? now + TimeSpan.FromMilliseconds(500)
                    : now + script.Duration;
                if (EndSpacing.HasValue && m.EndAt.HasValue && m.Outcome != ScriptOutcome.PreCheckError)
                {
                    if (_lastScheduledEnd != DateTimeOffset.MinValue && m.EndAt.Value < _lastScheduledEnd + EndSpacing.Value)
                        m.EndAt = _lastScheduledEnd + EndSpacing.Value;
                    _lastScheduledEnd = m.EndAt.Value;
                }
                s.TaskState = "migrating";
                s.Status = "MIGRATING";
                s.Updated = Trunc(now);
                Action(reqId, s, "live-migration", now);
                int inProgress = Migrations.Count(x => x.Type == "live-migration" && !x.Terminal && !x.Ended);
                MaxConcurrentSeen = Math.Max(MaxConcurrentSeen, inProgress);
                return (202, null, reqId);
            }
            if (body.AsObject().ContainsKey("migrate"))
            {
                if (s.TaskState != null || (s.VmState != "active" && s.VmState != "stopped"))
                    return Conflict($"Cannot 'migrate' instance {s.Id} while it is in vm_state {s.VmState}", reqId);
                var script = _scripts.TryGetValue(s.Id, out var sc) ? sc : new MigrationScript { Duration = TimeSpan.FromSeconds(6) };
                _scripts.Remove(s.Id);
                string dest = (string)body["migrate"]?["host"] ?? script.Destination;
                var m = NewMigration(s, dest, "migration", script, reqId, now);
                m.Status = "pre-migrating";
                m.RunningAt = now + TimeSpan.FromSeconds(1);
                m.EndAt = now + script.Duration;
                s.TaskState = "resize_prep";
                s.Status = "RESIZE";
                s.Updated = Trunc(now);
                Action(reqId, s, "migrate", now);
                return (202, null, reqId);
            }
            if (body.AsObject().ContainsKey("confirmResize"))
            {
                var m = Migrations.LastOrDefault(x => x.InstanceUuid == s.Id && x.Status == "finished");
                if (s.Status != "VERIFY_RESIZE" || m == null)
                    return Conflict($"Cannot 'confirmResize' instance {s.Id} while it is in vm_state {s.VmState}", reqId);
                m.Status = "confirming";
                m.Updated = Trunc(now);
                m.ConfirmAt = now + TimeSpan.FromSeconds(1);
                return (204, null, reqId);
            }
            Assert.Fail("FakeNova: unexpected action " + body.ToJsonString());
            return (500, null, reqId);
        }

        private FakeMigration NewMigration(FakeServer s, string dest, string type, MigrationScript script, string reqId, DateTimeOffset now)
        {
            var m = new FakeMigration
            {
                Id = _nextMigrationId++, Uuid = Guid.NewGuid().ToString(), InstanceUuid = s.Id, Type = type, Source = s.Host, Dest = dest,
                Start = now, VisibleAt = now + RecordDelay, Created = Trunc(now + RecordDelay), Updated = null,
                Script = script, OriginalStatus = s.Status, OriginalVmState = s.VmState, RequestId = reqId,
            };
            Migrations.Add(m);
            return m;
        }

        private void Action(string reqId, FakeServer s, string action, DateTimeOffset now)
            => _actions[reqId] = new JsonObject
            {
                ["action"] = action, ["instance_uuid"] = s.Id, ["request_id"] = reqId, ["message"] = null,
                ["project_id"] = s.ProjectId, ["user_id"] = "admin", ["start_time"] = Time(now), ["updated_at"] = Time(now),
                ["events"] = new JsonArray(),
            };

        private void FailAction(FakeMigration m, string eventName, string reason)
        {
            var a = _actions[m.RequestId];
            a["message"] = "Error";
            ((JsonArray)a["events"]).Add(new JsonObject
            {
                ["event"] = eventName, ["result"] = "Error", ["start_time"] = Time(m.Start), ["finish_time"] = Time(m.EndAt ?? m.Start),
                ["traceback"] = "Traceback (most recent call last):\n  File \"nova/compute/manager.py\", line 9790\nnova.exception.MigrationError: " + reason + "\n",
                ["details"] = reason, ["host"] = m.Source, ["hostId"] = "",
            });
        }

        // ---- time -----------------------------------------------------------------------------------------------

        /// <summary>Plays every scripted step whose time has come.</summary>
        private void Refresh()
        {
            var now = _clock.UtcNow;
            foreach (var m in Migrations.Where(x => !x.Ended))
            {
                var s = Servers[m.InstanceUuid];
                if (m.Type == "live-migration")
                {
                    if (m.Status == "accepted" && now >= m.RunningAt && m.Outcome != ScriptOutcome.PreCheckError)
                    {
                        m.Status = "running";
                        m.Updated = Trunc(m.RunningAt);
                    }
                    if (m.EndAt.HasValue && now >= m.EndAt.Value) EndLive(m, s);
                }
                else
                {
                    if (m.Status == "pre-migrating" && now >= m.RunningAt) { m.Status = "migrating"; m.Updated = Trunc(m.RunningAt); }
                    if (m.Status == "migrating" && m.EndAt.HasValue && now >= m.EndAt.Value)
                    {
                        m.Status = "finished";
                        m.Updated = Trunc(m.EndAt.Value);
                        s.Host = m.Dest;
                        s.Status = "VERIFY_RESIZE";
                        s.VmState = "resized";
                        s.TaskState = null;
                        s.Updated = Trunc(m.EndAt.Value);
                    }
                    if (m.Status == "confirming" && m.ConfirmAt.HasValue && now >= m.ConfirmAt.Value)
                    {
                        m.Status = "confirmed";
                        m.Updated = Trunc(m.ConfirmAt.Value);
                        m.Ended = true;
                        s.Status = "SHUTOFF";
                        s.VmState = "stopped";
                        s.Updated = Trunc(m.ConfirmAt.Value);
                    }
                }
            }
        }

        private void EndLive(FakeMigration m, FakeServer s)
        {
            var at = m.EndAt.Value;
            m.Ended = true;
            m.Updated = Trunc(at);
            s.TaskState = null;
            s.Updated = Trunc(at);
            switch (m.Outcome)
            {
                case ScriptOutcome.Complete:
                    m.Status = "completed";
                    s.Host = m.Dest;
                    s.Status = m.OriginalStatus;
                    break;
                case ScriptOutcome.CompletedButNotMoved:
                    m.Status = "completed";
                    s.Status = m.OriginalStatus;
                    break;
                case ScriptOutcome.RollBack:
                    m.Status = "failed";
                    s.Status = m.OriginalStatus;
                    FailAction(m, "compute_live_migration", m.Script.Reason);
                    break;
                case ScriptOutcome.ErrorState:
                    m.Status = "error";
                    s.Status = "ERROR";
                    s.VmState = "error";
                    FailAction(m, "compute_live_migration", m.Script.Reason);
                    break;
                case ScriptOutcome.PreCheckError:
                    m.Status = "error";
                    s.Status = m.OriginalStatus;
                    FailAction(m, "conductor_live_migrate_instance", m.Script.Reason);
                    break;
                default: // aborted
                    m.Status = "cancelled";
                    s.Status = m.OriginalStatus;
                    break;
            }
        }

        // ---- reads ----------------------------------------------------------------------------------------------

        private static readonly string[] QueryV20 = { "hidden", "host", "instance_uuid", "source_compute", "status", "migration_type" };
        private static readonly string[] QueryV259 = QueryV20.Concat(new[] { "limit", "marker", "changes-since" }).ToArray();

        private (int, JsonNode, string) ListMigrations(System.Collections.Specialized.NameValueCollection q, int mv, string reqId)
        {
            foreach (string key in q.AllKeys)
            {
                // nova 2.59+ refuses unknown parameters; before 2.59 paging keys do not exist (the client must not send them).
                if (!(mv >= 59 ? QueryV259 : QueryV20).Contains(key))
                    return (400, JsonNode.Parse($"{{\"badRequest\": {{\"code\": 400, \"message\": \"Invalid input for query parameters {key}.\"}}}}"), reqId);
            }
            IEnumerable<FakeMigration> list = Migrations.Where(m => _clock.UtcNow >= m.VisibleAt);
            if (q["source_compute"] != null) list = list.Where(m => m.Source == q["source_compute"]);
            if (q["instance_uuid"] != null) list = list.Where(m => m.InstanceUuid == q["instance_uuid"]);
            if (q["migration_type"] != null) list = list.Where(m => m.Type == q["migration_type"]);
            if (q["changes-since"] != null)
            {
                var since = DateTimeOffset.Parse(q["changes-since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                list = list.Where(m => m.Updated.HasValue && m.Updated.Value >= since); // NULL updated_at never matches, as in SQL
            }
            var sorted = mv >= 59 ? list.OrderByDescending(m => m.Created).ThenByDescending(m => m.Id).ToList() : list.OrderBy(m => m.Id).ToList();
            if (q["marker"] != null)
            {
                int at = sorted.FindIndex(m => m.Uuid == q["marker"]);
                Assert.True(at >= 0, "unknown marker");
                sorted = sorted.Skip(at + 1).ToList();
            }
            int limit = q["limit"] != null ? int.Parse(q["limit"], CultureInfo.InvariantCulture) : 1000;
            var page = mv >= 59 ? sorted.Take(limit).ToList() : sorted;
            LargestMigrationListing = Math.Max(LargestMigrationListing, page.Count);
            var array = new JsonArray(page.Select(m => (JsonNode)MigrationJson(m, mv)).ToArray());
            var result = new JsonObject { ["migrations"] = array };
            if (mv >= 59 && page.Count == limit && sorted.Count > limit)
                result["migrations_links"] = new JsonArray(new JsonObject
                {
                    ["href"] = $"http://nova.test:8774/v2.1/os-migrations?limit={limit}&marker={page.Last().Uuid}", ["rel"] = "next",
                });
            return (200, result, reqId);
        }

        private JsonObject MigrationJson(FakeMigration m, int mv, bool progress = false)
        {
            var j = new JsonObject
            {
                ["created_at"] = Time(m.Created), ["dest_compute"] = m.Dest, ["dest_host"] = "127.0.0.1", ["dest_node"] = m.Dest,
                ["id"] = m.Id, [progress ? "server_uuid" : "instance_uuid"] = m.InstanceUuid,
                ["source_compute"] = m.Source, ["source_node"] = m.Source, ["status"] = m.Status,
                ["updated_at"] = m.Updated.HasValue ? Time(m.Updated.Value) : null,
            };
            if (!progress)
            {
                j["new_instance_type_id"] = 2;
                j["old_instance_type_id"] = 2;
                if (mv >= 23) j["migration_type"] = m.Type;
            }
            if (mv >= 59) j["uuid"] = m.Uuid;
            if (progress)
            {
                double done = Math.Min(1, Math.Max(0, (_clock.UtcNow - m.RunningAt).TotalSeconds / Math.Max(1, m.Script.Duration.TotalSeconds - 1)));
                long total = 2L << 30;
                j["memory_total_bytes"] = total;
                j["memory_processed_bytes"] = (long)(total * done);
                j["memory_remaining_bytes"] = total - (long)(total * done);
                j["disk_total_bytes"] = 0;
                j["disk_processed_bytes"] = 0;
                j["disk_remaining_bytes"] = 0;
            }
            return j;
        }

        private (int, JsonNode, string) ListServers(System.Collections.Specialized.NameValueCollection q, string reqId)
        {
            Assert.Equal("1", q["all_tenants"]);
            IEnumerable<FakeServer> list = Servers.Values;
            if (q["changes-since"] != null)
            {
                var since = DateTimeOffset.Parse(q["changes-since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                list = list.Where(s => s.Updated >= since);
            }
            if (q["host"] != null) list = list.Where(s => s.Host == q["host"] && !s.Deleted);
            var array = new JsonArray(list.OrderBy(s => s.Id).Select(s => (JsonNode)ServerJson(s)).ToArray());
            return (200, new JsonObject { ["servers"] = array }, reqId);
        }

        private (int, JsonNode, string) ServerMigration(FakeServer s, string[] parts, RecordedRequest r, int mv, string reqId)
        {
            long id = long.Parse(parts[4], CultureInfo.InvariantCulture);
            var m = Migrations.FirstOrDefault(x => x.Id == id && x.InstanceUuid == s.Id);
            bool inProgress = m != null && m.Type == "live-migration" && !m.Ended && _clock.UtcNow >= m.VisibleAt;
            if (r.Method == "GET" && parts.Length == 5)
                return inProgress ? (200, new JsonObject { ["migration"] = MigrationJson(m, mv, progress: true) }, reqId)
                    : NotFound($"In-progress live migration {id} is not found for server {s.Id}.", reqId);
            if (r.Method == "DELETE" && parts.Length == 5)
            {
                if (!inProgress || m.Status != "running" || !m.Script.AbortSupported)
                    return (400, JsonNode.Parse($"{{\"badRequest\": {{\"code\": 400, \"message\": \"Migration {id} state of instance {s.Id} is {m?.Status}. Cannot abort-live-migration while the migration is in this state.\"}}}}"), reqId);
                m.Outcome = ScriptOutcome.Stuck; // ends as cancelled
                m.EndAt = _clock.UtcNow + TimeSpan.FromSeconds(1);
                return (202, null, reqId);
            }
            if (r.Method == "POST" && parts.Length == 6 && parts[5] == "action")
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"force_complete\": null}"), JsonNode.Parse(r.Body)), "force_complete body");
                if (!inProgress || m.Status != "running")
                    return Conflict($"Cannot 'force_complete' migration {id} while it is in status {m?.Status}", reqId);
                m.Outcome = ScriptOutcome.Complete;
                m.EndAt = _clock.UtcNow + TimeSpan.FromSeconds(1);
                return (202, null, reqId);
            }
            Assert.Fail($"FakeNova: unexpected {r.Method} {r.PathAndQuery}");
            return (500, null, reqId);
        }

        internal static JsonObject ServerJson(FakeServer s) => new JsonObject
        {
            ["id"] = s.Id, ["name"] = s.Name, ["status"] = s.Deleted ? "DELETED" : s.Status,
            ["OS-EXT-STS:vm_state"] = s.Deleted ? "deleted" : s.VmState, ["OS-EXT-STS:task_state"] = s.TaskState,
            ["OS-EXT-STS:power_state"] = s.VmState == "stopped" ? 4 : 1,
            ["OS-EXT-SRV-ATTR:host"] = s.Host, ["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.Host,
            ["tenant_id"] = s.ProjectId, ["user_id"] = "9a7c1b0d5f8e4e6f8b2f0c3d4e5f6a7b", ["locked"] = s.Locked,
            ["flavor"] = new JsonObject { ["original_name"] = "m1.small", ["ram"] = s.RamMb, ["disk"] = s.DiskGb, ["vcpus"] = 1 },
            ["image"] = new JsonObject { ["id"] = "0dff96ff-bf1e-4550-85cc-f264ca2e29d9" },
            ["updated"] = s.Updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["created"] = "2026-11-20T07:56:52Z",
        };

        private static (int, JsonNode, string) Conflict(string message, string reqId)
            => (409, new JsonObject { ["conflictingRequest"] = new JsonObject { ["code"] = 409, ["message"] = message } }, reqId);

        private static (int, JsonNode, string) NotFound(string message, string reqId)
            => (404, new JsonObject { ["itemNotFound"] = new JsonObject { ["code"] = 404, ["message"] = message } }, reqId);

        /// <summary>nova's DATETIME columns keep whole seconds.</summary>
        private static DateTimeOffset Trunc(DateTimeOffset t) => new DateTimeOffset(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

        private sealed class Fault
        {
            public string Method;
            public string PathStart;
            public int Status;
            public string Body;
            public int Left;
            public TimeSpan? Hang;
            public bool Processed;
            public bool Reset;
            public string RetryAfter;
        }
    }
}
