using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    public class MoveServerLivePipelineTests
    {
        [Fact]
        public void WhatIfPassThruIsThePlanAndChangesNothing()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-NodeServer c01 | Move-ServerLive -Destination c02 -WhatIf -PassThru");
            r.ThrowOnErrors();
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.StartsWith("POST /compute"));
            var plans = r.Output.ToDictionary(o => P(o, "ServerName"));
            Assert.Equal("Planned", P(plans["web-1"], "Status"));
            Assert.Equal("Live", P(plans["web-1"], "Kind"));
            Assert.Equal("c02.example.com", P(plans["web-1"], "RequestedDestination")); // the short name was resolved
            Assert.Equal("Skipped", P(plans["web-2"], "Status"));                        // SHUTOFF
            Assert.Contains("SHUTOFF", P(plans["web-2"], "Message"));
            Assert.All(r.Output, o => Assert.Equal("OpenStackOps.Maintenance.MigrationResult", o.BaseObject.GetType().FullName));
        }

        [Fact]
        public void ColdMigrateStoppedPlansTheStoppedServerToo()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-NodeServer c01 | Move-ServerLive -ColdMigrateStopped -WhatIf -PassThru | Where-Object ServerName -eq web-2");
            r.ThrowOnErrors();
            var plan = Assert.Single(r.Output);
            Assert.Equal("Planned", P(plan, "Status"));
            Assert.Equal("Cold", P(plan, "Kind"));
        }

        [Fact]
        public void SavedResultsBindBackAndReturnToTheirSourceHost()
        {
            using var s = new FakeCloudSession();
            // Plans serialized and read back as Import-Clixml would give them: deserialized objects.
            var r = s.Run("$plans = Get-NodeServer c01 | Move-ServerLive -Destination c02 -WhatIf -PassThru; " +
                "$saved = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($plans)); " +
                "$saved | Move-ServerLive -WhatIf -PassThru");
            r.ThrowOnErrors();
            var back = r.Output.Skip(0).Where(o => P(o, "Message") != null && P(o, "Message").Contains("already on")).ToList();
            // The servers are still on c01 (nothing moved): the return trip to c01 is a no-op for each.
            Assert.Equal(2, back.Count);
            Assert.All(back, o => Assert.Equal("Skipped", P(o, "Status")));
            Assert.Equal(2, s.Cloud.RequestLines.Count(l => l.StartsWith("GET /compute/v2.1/servers/") && !l.Contains("detail")));
        }

        [Fact]
        public void AnUnknownDestinationStopsBeforeAnythingMoves()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-NodeServer c01 | Move-ServerLive -Destination c99");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("ComputeNodeNotFound,OpenStackOps.Commands.Compute.MoveServerLiveCommand", error.FullyQualifiedErrorId);
            Assert.Equal("c99", error.TargetObject);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.StartsWith("POST /compute"));
        }

        [Fact]
        public void AnUnknownServerNameIsObjectNotFound()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Move-ServerLive no-such-server -WhatIf");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("ServerNotFound,OpenStackOps.Commands.Compute.MoveServerLiveCommand", error.FullyQualifiedErrorId);
            Assert.Equal("no-such-server", error.TargetObject);
        }
    }
}
