using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>Move-ServerLive really running against the fake nova: throttling, outcomes, Ctrl+C.</summary>
    public class MoveServerLiveRunTests
    {
        private static FakeCloudSession WithServersOn(string host, int count)
        {
            var s = new FakeCloudSession();
            for (int i = 1; i <= count; i++) s.Cloud.AddServer($"drain-{i}", host);
            return s;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void ThrottleLimitCapsTheMigrationsInFlightAcrossThePipeline(int throttle)
        {
            using var s = WithServersOn("compute-1", 5);
            s.Cloud.MigrationDuration = TimeSpan.FromMilliseconds(500);
            var r = s.Run($"Get-NodeServer compute-1 | Where-Object Name -like 'drain-*' | Move-ServerLive -Destination c02 -ThrottleLimit {throttle}");
            r.ThrowOnErrors();
            Assert.Equal(5, r.Output.Count);
            Assert.All(r.Output, o => Assert.Equal("Completed", P(o, "Status")));
            Assert.All(r.Output, o => Assert.Equal("c02.example.com", P(o, "FinalHost")));
            Assert.Equal(throttle, s.Cloud.MaxConcurrentMigrations);
            Assert.Equal(5, s.Cloud.LiveMigrateRequests);
        }

        [Fact]
        public void PollingIsBatchedNotOneGetPerServerPerTick()
        {
            using var s = WithServersOn("compute-1", 6);
            s.Cloud.MigrationDuration = TimeSpan.FromMilliseconds(1500);
            var r = s.Run("Get-NodeServer compute-1 | Where-Object Name -like 'drain-*' | Move-ServerLive -Destination c02 -ThrottleLimit 6");
            r.ThrowOnErrors();
            Assert.All(r.Output, o => Assert.Equal("Completed", P(o, "Status")));
            int perServerGets = s.Cloud.RequestLines.Count(l => l.StartsWith("GET /compute/v2.1/servers/") && !l.Contains("detail"));
            int migrationLists = s.Cloud.RequestLines.Count(l => l.StartsWith("GET /compute/v2.1/os-migrations"));
            Assert.Equal(0, perServerGets);
            Assert.InRange(migrationLists, 1, 12); // six servers in flight together: each list call covers all of them
        }

        [Fact]
        public void MovesQueuedBehindTheHostsLimitDoNotCostPollsOfTheirOwn()
        {
            // nova-compute runs one live migration per source host by default; the rest wait 'queued'.
            using var s = WithServersOn("compute-1", 6);
            s.Cloud.MigrationDuration = TimeSpan.FromMilliseconds(1500);
            s.Cloud.PerSourceHostLimit = 1;
            int before = s.Cloud.Requests.Count;
            var r = s.Run("Get-NodeServer compute-1 | Where-Object Name -like 'drain-*' | Move-ServerLive -Destination c02 -ThrottleLimit 6");
            r.ThrowOnErrors();
            Assert.All(r.Output, o => Assert.Equal("Completed", P(o, "Status")));
            Assert.Equal(1, s.Cloud.MaxConcurrentMigrations);
            // Everything after the listing of the host's servers: the pipeline's own calls.
            int calls = s.Cloud.Requests.Skip(before).Count(q => q.Path.StartsWith("/compute/") && !q.Path.StartsWith("/compute/v2.1/servers/detail?all_tenants=1&host="));
            // The issue's budget: at most 4 API calls per migrated server.
            Assert.True(calls <= 6 * 4, $"{calls} calls for 6 servers: {string.Join(", ", s.Cloud.RequestLines.Skip(before))}");
        }

        [Fact]
        public void ARefusedDestinationIsAFailedResultWithAnErrorRecordAndTheServerStays()
        {
            using var s = WithServersOn("compute-1", 2);
            s.Cloud.RefuseMigrationsTo = "c02.example.com";
            var r = s.Run("Get-NodeServer compute-1 | Where-Object Name -like 'drain-*' | Move-ServerLive -Destination c02");
            Assert.Equal(2, r.Output.Count);
            Assert.All(r.Output, o => Assert.Contains(P(o, "Status"), new[] { "Failed", "RolledBack" }));
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e => Assert.StartsWith("NovaLiveMigrate", e.FullyQualifiedErrorId));
            Assert.All(s.Cloud.Servers.Where(x => ((string)x["name"]).StartsWith("drain-")), x => Assert.Equal("compute-1", (string)x["OS-EXT-SRV-ATTR:host"]));
        }

        [Fact]
        public void StoppingThePipelineIssuesNoNewMigrations()
        {
            using var s = WithServersOn("compute-1", 4);
            s.Cloud.MigrationDuration = TimeSpan.FromSeconds(2);
            using var ps = s.Host.Create("Get-NodeServer compute-1 | Where-Object Name -like 'drain-*' | Move-ServerLive -Destination c02 -ThrottleLimit 1");
            var running = ps.BeginInvoke();
            var wait = Stopwatch.StartNew();
            while (s.Cloud.LiveMigrateRequests == 0 && wait.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
            Assert.Equal(1, s.Cloud.LiveMigrateRequests);

            var stopping = Stopwatch.StartNew();
            ps.Stop(); // what Ctrl+C does
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {stopping.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);

            // Stop returns once the run has ended (no run goes on behind the prompt): nothing can ask for a
            // migration any more, so the count now is final, with no sleep. A run that ignored the stop would
            // either hold Stop past 5 s, or ask for the second migration when the first ends (2 s in the fake).
            Assert.Equal(1, s.Cloud.LiveMigrateRequests);
        }
    }
}
