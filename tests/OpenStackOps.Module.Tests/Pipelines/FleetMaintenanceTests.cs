using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>Invoke-FleetMaintenance on the fake cloud: nova's services, placement, server groups and live migration.</summary>
    public class FleetMaintenanceTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "fleet-module-" + Guid.NewGuid().ToString("N"));

        public FleetMaintenanceTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static FakeCloudSession Session()
        {
            var s = new FakeCloudSession();
            s.Cloud.UsagesFromServers = true;
            s.Cloud.MigrationDuration = TimeSpan.FromMilliseconds(300);
            s.Cloud.PerSourceHostLimit = 1;
            return s;
        }

        private static string Status(FakeCloudSession s, string host) => (string)s.Cloud.Services[host]["status"];
        private static string HostOf(FakeCloudSession s, string server) => (string)s.Cloud.Servers.First(x => (string)x["name"] == server)["OS-EXT-SRV-ATTR:host"];

        [Fact]
        public void AFleetRunDisablesDrainsMaintainsChecksAndEnablesEachNodeAndWritesStateRecordAndSummary()
        {
            using var s = Session();
            string state = Path.Combine(_dir, "run.json"), record = Path.Combine(_dir, "run.jsonl");
            var r = s.Run($"$maintained = @(); Get-ComputeNode compute-1, compute-10 | Invoke-FleetMaintenance -Reason 'CHG-18 kernel' -MaxNodesOut 1 -HealthCheck Nova " +
                          $"-StatePath '{state}' -RecordPath '{record}' -MaintenanceScript {{ param($n) $script:maintained += $n }} -Confirm:$false -Verbose; $maintained");
            r.ThrowOnErrors();
            var summary = r.Output[0];
            Assert.Equal("OpenStackOps.Maintenance.Fleet.FleetMaintenanceSummary", summary.BaseObject.GetType().FullName);
            Assert.Equal("Completed", P(summary, "Status"));
            Assert.Equal("2", P(summary, "NodesDone"));
            Assert.Equal("2", P(summary, "ServersMoved"));
            Assert.Equal(new[] { "compute-1", "compute-10" }, r.Output.Skip(1).Select(o => o.ToString()).ToArray());
            Assert.Equal("enabled", Status(s, "compute-1"));
            Assert.Equal("enabled", Status(s, "compute-10"));
            // app-1 went to a node not to be maintained (c01/c02), not to compute-10, which came after it.
            Assert.Contains(HostOf(s, "app-1"), new[] { "c01.example.com", "c02.example.com" });
            Assert.NotEqual("compute-10", HostOf(s, "app-10"));
            // The reason was given to nova with each disable.
            var disables = s.Cloud.Requests.Where(q => q.Method == "PUT" && q.Path.StartsWith("/compute/v2.1/os-services/") && q.Body.Contains("disabled")).ToList();
            Assert.Equal(2, disables.Count);
            Assert.All(disables, q => Assert.Contains("CHG-18 kernel", q.Body));
            // The state: every node Done; the record: one JSON object per line, ending with the summary.
            var saved = JsonNode.Parse(File.ReadAllText(state));
            Assert.All(saved["Nodes"].AsArray(), n => Assert.Equal("Done", (string)n["Step"]));
            var lines = File.ReadAllLines(record).Select(l => JsonNode.Parse(l)).ToList();
            Assert.Equal("RunStarted", (string)lines[0]["event"]);
            Assert.Equal("Summary", (string)lines[^1]["event"]);
            Assert.Equal(2, lines.Count(l => (string)l["event"] == "ServerMoved"));
            Assert.Contains(r.Progress, p => p.Activity == "Invoke-FleetMaintenance" && p.StatusDescription.Contains("wave 1"));
        }

        [Fact]
        public void WhatIfPassThruReturnsTheWholePlanAndChangesNothing()
        {
            using var s = Session();
            s.Cloud.AddServerGroup("db", "anti-affinity", "app-1", "app-10");
            int before = s.Cloud.Requests.Count;
            var r = s.Run("Get-ComputeNode compute-1, compute-10, c02 | Invoke-FleetMaintenance -Reason x -MaxNodesOut 2 -WhatIf -PassThru");
            r.ThrowOnErrors();
            var plan = r.Output.Single();
            Assert.Equal("OpenStackOps.Maintenance.Fleet.FleetPlan", plan.BaseObject.GetType().FullName);
            var waves = Items(plan, "Waves");
            // compute-1 and compute-10 hold members of one anti-affinity group: never in one wave.
            Assert.Equal(new[] { "compute-1", "c02.example.com" }, ((System.Collections.IEnumerable)waves[0].Properties["Nodes"].Value).Cast<object>().Select(o => o.ToString()).ToArray());
            Assert.Equal(new[] { "compute-10" }, ((System.Collections.IEnumerable)waves[1].Properties["Nodes"].Value).Cast<object>().Select(o => o.ToString()).ToArray());
            var moves = Items(plan, "Moves");
            var app1 = moves.First(m => P(m, "ServerName") == "app-1");
            Assert.Equal("c01.example.com", P(app1, "Destination"));
            Assert.NotEqual("compute-10", P(moves.First(m => P(m, "ServerName") == "app-10"), "Destination"));
            Assert.DoesNotContain(s.Cloud.Requests.Skip(before), q => q.Method != "GET");
        }

        [Fact]
        public void AWaveTheRestCannotTakeIsRefusedWithFleetCapacityShortAndTheNodeIsNotTouched()
        {
            using var s = Session();
            foreach (var h in new[] { "c01.example.com", "c02.example.com", "compute-10" }) s.Cloud.MemoryTotal[h] = 512; // (512 - 512 reserved) x 1.5 = 0 free
            var r = s.Run("Get-ComputeNode compute-1 | Invoke-FleetMaintenance -Reason x -HealthCheck None -MaintenanceScript { } -Confirm:$false");
            var e = Assert.Single(r.Errors);
            Assert.Equal("FleetCapacityShort,OpenStackOps.Commands.Compute.InvokeFleetMaintenanceCommand", e.FullyQualifiedErrorId);
            Assert.Equal("LimitsExceeded", e.CategoryInfo.Category.ToString());
            Assert.Equal("compute-1", e.TargetObject);
            Assert.Contains("MEMORY_MB short by 512 in zone nova (needs 512, 0 free)", e.Exception.Message);
            Assert.Equal("enabled", Status(s, "compute-1"));
            Assert.Equal(0, s.Cloud.LiveMigrateRequests);
            Assert.Equal("Stopped", P(r.Output.Single(), "Status"));
        }

        [Fact]
        public void AFailedMaintenanceLeavesTheNodeDisabledAndStopEndsTheRun()
        {
            using var s = Session();
            var r = s.Run("Get-ComputeNode compute-1, compute-10 | Invoke-FleetMaintenance -Reason x -HealthCheck None -MaintenanceScript { param($n) throw \"disk full on $n\" } -Confirm:$false");
            var e = Assert.Single(r.Errors);
            Assert.StartsWith("FleetMaintenanceFailed,", e.FullyQualifiedErrorId);
            Assert.Contains("disk full on compute-1", e.Exception.Message);
            Assert.Equal("disabled", Status(s, "compute-1"));
            Assert.Equal("enabled", Status(s, "compute-10"));          // -OnNodeFailure Stop: never started
            var summary = r.Output.Single();
            Assert.Equal("Stopped", P(summary, "Status"));
            Assert.Equal("1", P(summary, "NodesFailed"));
        }

        [Fact]
        public void StopAfterDrainThenASecondRunWithTheStateFinishesWithoutRedoingTheDrain()
        {
            using var s = Session();
            string state = Path.Combine(_dir, "pause.json");
            var first = s.Run($"Get-ComputeNode compute-1 | Invoke-FleetMaintenance -Reason x -StopAfterDrain -StatePath '{state}' -HealthCheck Nova -Confirm:$false");
            first.ThrowOnErrors();
            Assert.Equal("Paused", P(first.Output.Single(), "Status"));
            Assert.Equal("disabled", Status(s, "compute-1"));
            Assert.NotEqual("compute-1", HostOf(s, "app-1"));
            int moves = s.Cloud.LiveMigrateRequests;

            var second = s.Run($"Get-ComputeNode compute-1 | Invoke-FleetMaintenance -Reason x -StopAfterDrain -StatePath '{state}' -HealthCheck Nova -Confirm:$false");
            second.ThrowOnErrors();
            Assert.Equal("Completed", P(second.Output.Single(), "Status"));
            Assert.Equal("enabled", Status(s, "compute-1"));
            Assert.Equal(moves, s.Cloud.LiveMigrateRequests);
        }

        [Fact]
        public void WithoutAMaintenanceScriptOrStopAfterDrainItRefusesBeforeAnyChange()
        {
            using var s = Session();
            var r = s.Run("Get-ComputeNode compute-1 | Invoke-FleetMaintenance -Reason x -Confirm:$false");
            Assert.Equal("FleetMaintenanceNotGiven,OpenStackOps.Commands.Compute.InvokeFleetMaintenanceCommand", r.AllErrors.Single().FullyQualifiedErrorId);
            Assert.DoesNotContain(s.Cloud.Requests, q => q.Method == "PUT");
        }
    }
}
