using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>
    /// examples/Invoke-PlannedMaintenance.ps1 in two halves on the fake cloud, each half in its own session as a
    /// scheduled job would run them: the drain's results cross the maintenance window only as the state file.
    /// </summary>
    public sealed class PlannedMaintenanceRunbookTests : IDisposable
    {
        private static readonly string Runbook = Path.Combine(ModulePaths.RepositoryRoot, "examples", "Invoke-PlannedMaintenance.ps1");
        private readonly string _state = Path.Combine(Path.GetTempPath(), "osops-drain-" + Guid.NewGuid().ToString("N") + ".xml");

        public void Dispose() => File.Delete(_state);

        private static FakeCloudSession WithDrainableNode()
        {
            var s = new FakeCloudSession();
            s.Cloud.AddServer("drain-1", "compute-1");
            s.Cloud.MigrationDuration = TimeSpan.FromMilliseconds(200);
            return s;
        }

        [Fact]
        public void TheReturnPhasePlansUnderWhatIfAndMovesBackForRealFromTheStateFile()
        {
            using (var drain = WithDrainableNode())
            {
                var d = drain.Run($"& '{Runbook}' -Node compute-1 -Reason 'CHG-1' -Destination c02 -Phase Drain -StatePath '{_state}'");
                d.ThrowOnErrors();
                Assert.Equal(new[] { "Disable", "Drain", "Verify" }, d.Output.Select(o => P(o, "Step")));
                Assert.Equal(2, Items(d.Output[1]).Count(o => P(o, "Status") == "Completed"));

                // The state file read back in another session: text statuses, so the filter still finds them.
                using var later = new PowerShellHost();
                var read = later.Run($"@(Import-Clixml '{_state}' | Where-Object Status -eq 'Completed').Count");
                read.ThrowOnErrors();
                Assert.Equal("2", read.Output.Single().ToString());

                // The return half, against the same cloud, from a new session that only has the file.
                var plan = drain.Run($"& '{Runbook}' -Node compute-1 -Phase Return -StatePath '{_state}' -WhatIf");
                plan.ThrowOnErrors();
                Assert.Equal(new[] { "Enable", "MoveBack" }, plan.Output.Select(o => P(o, "Step")));
                var planned = Items(plan.Output[1]);
                Assert.Equal(2, planned.Length);                       // today's bug: 0, it kept only 'Planned' results
                Assert.All(planned, o => Assert.Equal("Planned", P(o, "Status")));
                Assert.All(planned, o => Assert.Equal("compute-1", P(o, "RequestedDestination")));
                Assert.Equal(0, drain.Run("@(Get-NodeServer compute-1).Count").Output.Single().BaseObject);

                var back = drain.Run($"& '{Runbook}' -Node compute-1 -Phase Return -StatePath '{_state}'");
                back.ThrowOnErrors();
                var moved = Items(back.Output.Single(o => P(o, "Step") == "MoveBack"));
                Assert.Equal(2, moved.Length);
                Assert.All(moved, o => Assert.Equal("Completed", P(o, "Status")));
                Assert.All(moved, o => Assert.Equal("compute-1", P(o, "FinalHost")));
            }
        }
    }
}
