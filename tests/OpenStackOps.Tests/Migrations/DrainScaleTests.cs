using System;
using System.Linq;
using System.Threading.Tasks;
using OpenStackOps.Maintenance;
using Xunit;

namespace OpenStackOps.Tests.Migrations
{
    /// <summary>
    /// A rolling drain costs the same API calls per server whatever the fleet's size, and a poll lists what changed
    /// lately, not every record of the run (benchmarks/fleet-drain.sh measures the rest). Counts, not timings.
    /// </summary>
    public class DrainScaleTests
    {
        private static async Task<(double CallsPerServer, int LargestListing)> RollingDrainAsync(int servers)
        {
            var h = new EngineHarness();
            var ids = Enumerable.Range(1, servers / 10).SelectMany(i => h.AddServers(10, $"h{i:D3}.example.com", $"h{i}")).ToList();
            var rng = new Random(7);
            foreach (var id in ids) h.Nova.Script(id, new MigrationScript { Duration = TimeSpan.FromSeconds(20 + rng.Next(41)) });
            h.Nova.Latency = TimeSpan.FromMilliseconds(40);

            var results = await h.RunAsync(new MigrationOptions { ThrottleLimit = 10, ThrottleLimitPerHost = 2 }, ids);

            Assert.Equal(servers, results.Count(r => r.Outcome == MigrationOutcome.Completed));
            Assert.Equal(servers, h.Nova.MoveActions.Count);
            return ((double)h.Calls.Count / servers, h.Nova.LargestMigrationListing);
        }

        [Fact]
        public async Task ApiCallsPerServerDoNotGrowWithTheFleetAndPollsListOnlyRecentChanges()
        {
            var small = await RollingDrainAsync(50);
            var large = await RollingDrainAsync(500);

            Assert.True(large.CallsPerServer <= small.CallsPerServer * 1.05,
                $"{small.CallsPerServer:F2} calls per server at 50, {large.CallsPerServer:F2} at 500");
            // A poll of the 500-server drain sees the last few minutes' records, not all 500 of the run.
            Assert.True(large.LargestListing < 200, $"a poll listed {large.LargestListing} records");
        }
    }
}
