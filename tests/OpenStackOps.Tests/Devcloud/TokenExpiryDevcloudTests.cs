using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using OpenStackOps.Maintenance;
using OpenStackOps.Recovery;
using OpenStackOps.Sessions;
using OpenStackOps.Tests.Identity;
using Xunit;
using Xunit.Abstractions;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// Drains that outlive their token, against the devcloud's second keystone (tools/devcloud/lib/short-token.sh:
    /// 127.0.0.1:5001, tokens of 20 s, validated by nova like any other). Servers of the test's own (eight for the drain), booted on
    /// c01 with no network: c01 -> c02 with the machine's clock (renewed before expiry), then back with a clock that
    /// stands still (the token lapses at nova: 401, renewed, the request sent again). Each run takes longer than a token lives.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class TokenExpiryDevcloudTests
    {
        private readonly ITestOutputHelper _out;
        public TokenExpiryDevcloudTests(ITestOutputHelper output) => _out = output;

        private static readonly Uri ShortTokenKeystone = new Uri("http://127.0.0.1:5001/v3");
        private static string Dir => DevcloudProfiles.Directory;

        private sealed class FrozenClock : IClock
        {
            public DateTimeOffset UtcNow { get; } = DateTimeOffset.UtcNow;
        }

        [Fact]
        public async Task ADrainOutlivingItsTokenIsRenewedMidRunAndEveryResultAgreesWithNova()
        {
            await RequireShortTokenKeystoneAsync();
            int issuedBefore = TokensIssued();
            var log = new RecordingLog();
            using var session = await ConnectAsync(log, null);
            // Eight: one at a time from c01, each a few seconds with the fake driver, longer together than a 20 s token lives.
            var ids = await BootAsync(session, 8, "c01.example.com");
            try
            {
                // 1. The machine's clock: renewed before each token lapses, never refused. The session renews half a
                // lifetime before expiry: the token is let age until that point is 2 s away, so it falls inside the drain
                // however fast the drain is (a clean-clone run's frozen-clock drain took 18 s, less than a 20 s token).
                var connected = session.CurrentToken;
                var renewAt = connected.ExpiresAt - TimeSpan.FromTicks((connected.ExpiresAt - connected.IssuedAt).Ticks / 2);
                await AgeUntil(renewAt - TimeSpan.FromSeconds(2));
                var start = DateTimeOffset.UtcNow;
                var out1 = await DrainAsync(session, ids, "c02.example.com");
                var took1 = DateTimeOffset.UtcNow - start;
                Assert.True(start + took1 > renewAt, $"the drain took {took1.TotalSeconds:0} s and ended before the token was due for renewal");
                Assert.True(session.TokenRenewals >= 1, $"{session.TokenRenewals} renewals in {took1.TotalSeconds:0} s");
                Assert.True(session.CurrentToken.IssuedAt > start.AddSeconds(-1), "the token in use was issued during the drain");
                Assert.NotEqual(connected.Value.Reveal(), session.CurrentToken.Value.Reveal());
                Assert.DoesNotContain(log.Lines, l => l.Contains(" 401 from "));
                AssertTruthful(out1, ids, "c01.example.com", "c02.example.com", start);
                _out.WriteLine($"drain c01->c02: {took1.TotalSeconds:0} s, token life {(connected.ExpiresAt - connected.IssuedAt).TotalSeconds:0} s, {session.TokenRenewals} renewals, 401s: {log.Lines.Count(l => l.Contains(" 401 from "))}");

                // 2. A clock that stands still: the token lapses at nova, which answers 401; renewed and sent again.
                var log2 = new RecordingLog();
                using var frozen = await ConnectAsync(log2, new FrozenClock());
                // Let the token age until it has 5 s left at keystone, so it lapses at nova during the drain.
                await AgeUntil(frozen.CurrentToken.ExpiresAt - TimeSpan.FromSeconds(5));
                var start2 = DateTimeOffset.UtcNow;
                var out2 = await DrainAsync(frozen, ids, "c01.example.com");
                var took2 = DateTimeOffset.UtcNow - start2;
                Assert.True(frozen.TokenRenewals >= 1, $"{frozen.TokenRenewals} renewals in {took2.TotalSeconds:0} s");
                Assert.Contains(log2.Lines, l => l.Contains(" 401 from ") && l.Contains("authenticating again"));
                AssertTruthful(out2, ids, "c02.example.com", "c01.example.com", start2);
                _out.WriteLine($"drain c02->c01 (clock standing still): {took2.TotalSeconds:0} s, {frozen.TokenRenewals} renewals, 401s: " +
                               string.Join("; ", log2.Lines.Where(l => l.Contains(" 401 from ")).Select(l => l.Substring(l.IndexOf("401 from", StringComparison.Ordinal)))));

                // Keystone itself issued them: two connections and at least one renewal each.
                Assert.True(TokensIssued() - issuedBefore >= 4, $"keystone at 5001 issued {TokensIssued() - issuedBefore} tokens");
                _out.WriteLine($"keystone at 5001 issued {TokensIssued() - issuedBefore} tokens during the test");
            }
            finally
            {
                foreach (var id in ids)
                {
                    try { await session.Compute.Http.DeleteAsync("servers/" + id, CancellationToken.None); }
                    catch (OpenStackApiException) { }
                }
            }
        }

        private static async Task AgeUntil(DateTimeOffset when)
        {
            var wait = when - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }

        [Fact]
        public async Task AnEvacuationOutlivingItsTokenIsRenewedMidRunAndEveryResultAgreesWithNova()
        {
            await RequireShortTokenKeystoneAsync();
            using var session = await ConnectAsync(new RecordingLog(), null);
            var ids = await BootAsync(session, 5, "c03.example.com");
            var c03 = (await session.Compute.Services.ListAsync("c03.example.com", "nova-compute", CancellationToken.None)).Single();
            try
            {
                // Forced down: nova takes evacuations at once (c03's nova-compute keeps running; nothing here needs it dead).
                await session.Compute.Services.SetForcedDownAsync(c03, true, CancellationToken.None);
                var connected = session.CurrentToken;
                var servers = new List<OpenStackOps.Compute.Servers.Server>();
                foreach (var id in ids) servers.Add(await session.Compute.Servers.GetAsync(id, CancellationToken.None));
                var events = new MigrationEventQueue();
                var start = DateTimeOffset.UtcNow;
                await new EvacuationRun(session.Compute, new EvacuationOptions
                {
                    // One at a time, polled every 6 s: five evacuations take longer than a 20 s token lives.
                    FailedHost = "c03.example.com", Destination = "c02.example.com", ThrottleLimit = 1, Timeout = TimeSpan.FromSeconds(120),
                    PollInterval = TimeSpan.FromSeconds(6),
                }, events, "devcloud", null).RunAsync(servers, CancellationToken.None);
                var took = DateTimeOffset.UtcNow - start;
                var results = new List<MigrationResult>();
                while (events.TryDequeue(out var e)) if (e.Result != null) results.Add(e.Result);

                _out.WriteLine($"evacuation c03->c02: {took.TotalSeconds:0} s, {session.TokenRenewals} renewals since connect");
                Assert.True(took > connected.ExpiresAt - connected.IssuedAt, $"the evacuation took {took.TotalSeconds:0} s, no longer than a token lives");
                Assert.True(session.TokenRenewals >= 1, $"{session.TokenRenewals} renewals in {took.TotalSeconds:0} s");
                Assert.NotEqual(connected.Value.Reveal(), session.CurrentToken.Value.Reveal());
                Assert.Equal(ids.OrderBy(x => x), results.Select(r => r.ServerId).OrderBy(x => x));
                Assert.All(results, r => Assert.True(r.Outcome == MigrationOutcome.Completed, $"{r.ServerId}: {r.Status} {r.Message} {r.Error}"));
                foreach (var id in ids)
                {
                    Assert.Equal("c02.example.com", Sql($"select host from nova.instances where uuid='{id}'").Single());
                    Assert.Equal(new[] { "c03.example.com>c02.example.com evacuation" },
                        Sql($"select concat(source_compute, '>', dest_compute, ' ', migration_type) from nova.migrations where instance_uuid='{id}'"));
                }
            }
            finally
            {
                foreach (var id in ids)
                {
                    try { await session.Compute.Http.DeleteAsync("servers/" + id, CancellationToken.None); }
                    catch (OpenStackApiException) { }
                }
                // Nova refuses to force c03 up while its evacuations are 'done': c03's nova-compute marks them 'completed'
                // when it restarts (init_host). It keeps running here (other tests share it), so do what it would do, for
                // this test's records only; the fake driver's copies in its memory are reaped like any deleted guest.
                Sql("update nova.migrations set status='completed' where migration_type='evacuation' and status='done' " +
                    $"and source_compute='c03.example.com' and instance_uuid in ('{string.Join("','", ids)}')");
                await session.Compute.Services.SetForcedDownAsync(c03, false, CancellationToken.None);
            }
        }

        private static async Task<IReadOnlyList<MigrationResult>> DrainAsync(OpenStackSession session, List<string> ids, string destination)
        {
            var requests = new List<MigrationRequest>();
            foreach (var id in ids)
                requests.Add(new MigrationRequest(await session.Compute.Servers.GetAsync(id, CancellationToken.None), destination));
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            return await new LiveMigrationEngine(session.Compute).RunAsync(requests,
                new MigrationOptions { Timeout = TimeSpan.FromSeconds(120) }, new MigrationEventQueue(), cts.Token);
        }

        /// <summary>One result per server, Completed where nova's database puts it, and exactly one migration each in nova.</summary>
        private static void AssertTruthful(IReadOnlyList<MigrationResult> results, List<string> ids, string from, string to, DateTimeOffset since)
        {
            Assert.Equal(ids.OrderBy(x => x), results.Select(r => r.ServerId).OrderBy(x => x));
            Assert.All(results, r => Assert.True(r.Outcome == MigrationOutcome.Completed, $"{r.ServerId}: {r.Status} {r.Message} {r.Error}"));
            Assert.All(results, r => Assert.Equal(to, r.FinalHost));
            foreach (var id in ids)
            {
                Assert.Equal(to, Sql($"select host from nova.instances where uuid='{id}'").Single());
                var moves = Sql($"select concat(source_compute, '>', dest_compute, ' ', status) from nova.migrations where instance_uuid='{id}' " +
                                $"and created_at >= '{since.UtcDateTime.AddSeconds(-2):yyyy-MM-dd HH:mm:ss}'");
                Assert.Equal(new[] { $"{from}>{to} completed" }, moves);
            }
        }

        private static async Task<OpenStackSession> ConnectAsync(IApiLog log, IClock clock)
        {
            var profile = DevcloudProfiles.Load("devcloud");
            profile.AuthUrl = ShortTokenKeystone;
            return await OpenStackSession.ConnectAsync(profile, log, CancellationToken.None, clock: clock);
        }

        /// <summary>Boots <paramref name="count"/> servers without network on <paramref name="host"/> and waits for ACTIVE.</summary>
        private static async Task<List<string>> BootAsync(OpenStackSession session, int count, string host)
        {
            var seed = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "seed.json")));
            string tag = Guid.NewGuid().ToString("N").Substring(0, 6);
            var ids = new List<string>();
            for (int i = 1; i <= count; i++)
            {
                var body = new JsonObject
                {
                    ["server"] = new JsonObject
                    {
                        ["name"] = $"osops-token-{tag}-{i}",
                        ["imageRef"] = (string)seed["image"]["id"],
                        ["flavorRef"] = "1",
                        ["networks"] = "none",
                        ["availability_zone"] = "nova:" + host,
                    },
                };
                var r = await session.Compute.Http.PostAsync("servers", body, CancellationToken.None, "2.37");
                ids.Add((string)r.Body["server"]["id"]);
            }
            var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
            foreach (var id in ids)
            {
                while (true)
                {
                    var s = await session.Compute.Servers.GetAsync(id, CancellationToken.None);
                    if (s.Status == "ACTIVE") break;
                    Assert.True(s.Status != "ERROR" && DateTimeOffset.UtcNow < deadline, $"server {id} did not boot: {s.Status}");
                    await Task.Delay(1000);
                }
            }
            return ids;
        }

        private static async Task RequireShortTokenKeystoneAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                (await http.GetAsync(ShortTokenKeystone)).EnsureSuccessStatusCode();
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
            {
                Assert.Fail($"The devcloud's short-token keystone does not answer at {ShortTokenKeystone} ({e.Message}): " +
                            "tools/devcloud/up.sh starts it (lib/short-token.sh); on a devcloud that is already up, up.sh adds it.");
            }
        }

        /// <summary>Tokens the short-token keystone has issued so far, from its uwsgi request log.</summary>
        private static int TokensIssued()
            => File.ReadLines(Path.Combine(Dir, "log", "keystone-short.out")).Count(l => l.Contains("POST /v3/auth/tokens") && l.Contains("(HTTP/1.1 201)"));

        private static string[] Sql(string query)
        {
            var psi = new ProcessStartInfo("mariadb") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--defaults-file=" + Path.Combine(Dir, "mysql", "my.cnf"), "-uroot", "-N", "-e", query }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            string o = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return o.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
