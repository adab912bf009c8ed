using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute;
using OpenStackOps.Http;
using OpenStackOps.Maintenance;
using OpenStackOps.Tests.Fakes;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>The engine wired to a <see cref="FakeNova"/> through the real ServiceClient, on a virtual clock.</summary>
    public sealed class EngineHarness
    {
        /// <param name="tokens">The session's tokens on the harness's clock (default: one token that never lapses).</param>
        public EngineHarness(string maxVersion = "2.93", Func<VirtualClock, ITokenSource> tokens = null)
        {
            Clock = new VirtualClock();
            Nova = new FakeNova(Clock, maxVersion);
            Calls = new ApiCallCounter();
            Http = new ServiceClient("compute", new Uri(NovaFixture.Endpoint), new HttpClient(Nova), tokens?.Invoke(Clock) ?? new StaticTokenSource("tok-1"),
                NullApiLog.Instance, Calls, MicroversionHeader.Compute);
            Compute = new ComputeClient(Http);
            Events = new MigrationEventQueue();
            Engine = new LiveMigrationEngine(Compute, Clock);
        }

        public VirtualClock Clock { get; }
        public FakeNova Nova { get; }
        public ApiCallCounter Calls { get; }
        public ServiceClient Http { get; }
        public ComputeClient Compute { get; }
        public MigrationEventQueue Events { get; }
        public LiveMigrationEngine Engine { get; }

        /// <summary>Adds servers web-1..web-n on c01 and returns their ids.</summary>
        public List<string> AddServers(int n, string host = "c01.example.com", string prefix = "web")
        {
            var ids = new List<string>();
            for (int i = 1; i <= n; i++)
            {
                string id = $"00000000-0000-4000-8000-{Nova.Servers.Count + 1:D12}";
                Nova.AddServer(id, $"{prefix}-{i}", host);
                ids.Add(id);
            }
            return ids;
        }

        public MigrationRequest Request(string id, string destination = null) => new MigrationRequest(Nova.ServerObject(id), destination);

        /// <summary>Options with a readable explicit timeout; tests change what they are about.</summary>
        public static MigrationOptions Options(Action<MigrationOptions> configure = null)
        {
            var o = new MigrationOptions { Timeout = TimeSpan.FromSeconds(120) };
            configure?.Invoke(o);
            return o;
        }

        public Task<IReadOnlyList<MigrationResult>> RunAsync(MigrationOptions options, IEnumerable<string> ids, CancellationToken ct = default)
            => Engine.RunAsync(ids.Select(id => Request(id)).ToList(), options, Events, ct);

        public Task<IReadOnlyList<MigrationResult>> RunAsync(MigrationOptions options, params MigrationRequest[] requests)
            => Engine.RunAsync(requests, options, Events, CancellationToken.None);

        public List<MigrationEvent> DrainEvents()
        {
            var list = new List<MigrationEvent>();
            while (Events.TryDequeue(out var e)) list.Add(e);
            return list;
        }

        public static MigrationResult For(IEnumerable<MigrationResult> results, string id) => results.Single(r => r.ServerId == id);
    }
}
