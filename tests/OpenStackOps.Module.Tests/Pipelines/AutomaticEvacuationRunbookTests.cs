using System.IO;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>examples/Watch-ComputeNodeFailure.ps1: the decisions of the automatic-evacuation monitor, on the fake cloud.</summary>
    public class AutomaticEvacuationRunbookTests
    {
        private static readonly string Runbook = Path.Combine(ModulePaths.RepositoryRoot, "examples", "Watch-ComputeNodeFailure.ps1");
        private static FakeCloudSession WithDeadNode()
        {
            var s = new FakeCloudSession();
            s.Cloud.Services["compute-1"]["state"] = "down";
            return s;
        }

        private static bool Mutated(FakeCloudSession s) => s.Cloud.Requests.Any(r => r.Method != "GET" && !r.Path.Contains("/auth/tokens"));

        [Fact]
        public void AConfirmedSilentNodeIsPlannedForEvacuationUnderWhatIfWithoutFencing()
        {
            using var s = WithDeadNode();
            var r = s.Run($"$global:fenced = @(); & '{Runbook}' -ConfirmChecks 2 -IntervalSeconds 0 -Probe {{ $false }} -Fence {{ param($n) $global:fenced += $n; $true }} -WhatIf");
            r.ThrowOnErrors();
            var decision = r.Output.First();
            Assert.Equal("compute-1", P(decision, "Node"));
            Assert.Equal("2", P(decision, "Checks"));
            Assert.Equal("PlanEvacuation", P(decision, "Action"));
            var plan = Assert.Single(r.Output.Skip(1));
            Assert.Equal("app-1", P(plan, "ServerName"));
            Assert.Equal("Planned", P(plan, "Status"));
            Assert.Equal("LostRebuiltFromImage", P(plan, "DataFate"));
            Assert.Empty(s.Run("$global:fenced").Output);
            Assert.False(Mutated(s));
        }

        [Fact]
        public void ANodeThatStillAnswersIsLeftToAHuman()
        {
            using var s = WithDeadNode();
            var r = s.Run($"$global:fenced = @(); & '{Runbook}' -ConfirmChecks 1 -IntervalSeconds 0 -Probe {{ $true }} -Fence {{ param($n) $global:fenced += $n; $true }} -Confirm:$false");
            r.ThrowOnErrors();
            var decision = Assert.Single(r.Output);
            Assert.Equal("None", P(decision, "Action"));
            Assert.Contains("still answers", P(decision, "Reason"));
            Assert.Empty(s.Run("$global:fenced").Output);
            Assert.False(Mutated(s));
        }

        [Fact]
        public void AFailedFenceMeansNoEvacuation()
        {
            using var s = WithDeadNode();
            var r = s.Run($"& '{Runbook}' -ConfirmChecks 1 -IntervalSeconds 0 -Probe {{ $false }} -Fence {{ param($n) $false }} -Confirm:$false");
            r.ThrowOnErrors();
            var decision = Assert.Single(r.Output);
            Assert.Equal("None", P(decision, "Action"));
            Assert.Contains("fencing did not succeed", P(decision, "Reason"));
            Assert.False(Mutated(s));
        }

        [Fact]
        public void AForcedDownNodeWasDealtWithAndIsNeitherFencedNorEvacuatedAgain()
        {
            using var s = WithDeadNode();
            s.Cloud.Services["compute-1"]["forced_down"] = true;
            var r = s.Run($"& '{Runbook}' -ConfirmChecks 2 -IntervalSeconds 0 -Probe {{ $false }} -Fence {{ throw 'must not fence again' }} -Confirm:$false");
            r.ThrowOnErrors();
            var decision = Assert.Single(r.Output);
            Assert.Equal("compute-1", P(decision, "Node"));
            Assert.Equal("forced-down", P(decision, "State"));
            Assert.Equal("None", P(decision, "Action"));
            Assert.Contains("Enable-ComputeNode compute-1 -ClearForcedDown", P(decision, "Reason"));
            Assert.Contains("1 server(s) still on it", P(decision, "Reason"));
            Assert.False(Mutated(s));
        }

        [Fact]
        public void HealthyNodesAreNotTouched()
        {
            using var s = new FakeCloudSession();
            var r = s.Run($"& '{Runbook}' -ConfirmChecks 1 -IntervalSeconds 0 -Probe {{ $false }} -Fence {{ throw 'must not fence' }} -Confirm:$false");
            r.ThrowOnErrors();
            Assert.Empty(r.Output);
            Assert.False(Mutated(s));
        }
    }
}
