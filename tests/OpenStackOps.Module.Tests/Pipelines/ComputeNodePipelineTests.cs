using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Pipelines
{
    public class ComputeNodePipelineTests
    {
        private static string Host(PSObject o) => RunResult.Prop<string>(o, "Host");

        [Fact]
        public void TheBriefsPipelineDisablesTheNodeAndListsItsServers()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-ComputeNode c01 | Disable-ComputeNode -Reason patching -PassThru | Get-NodeServer");
            r.ThrowOnErrors();
            Assert.Equal(new[] { "web-1", "web-2" }, r.Output.Select(o => RunResult.Prop<string>(o, "Name")).OrderBy(n => n));
            Assert.All(r.Output, o => Assert.Equal("OpenStackOps.Compute.Servers.Server", o.BaseObject.GetType().FullName));
            Assert.Equal("disabled", (string)s.Cloud.Services["c01.example.com"]["status"]);
            Assert.Equal("patching", (string)s.Cloud.Services["c01.example.com"]["disabled_reason"]);
            Assert.Equal("enabled", (string)s.Cloud.Services["c02.example.com"]["status"]);
        }

        [Fact]
        public void WhatIfChangesNothingAndPassThruReturnsThePlannedNode()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Disable-ComputeNode c01 -Reason patching -WhatIf -PassThru");
            r.ThrowOnErrors();
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.StartsWith("PUT"));
            Assert.Equal("enabled", (string)s.Cloud.Services["c01.example.com"]["status"]);
            var node = Assert.Single(r.Output);
            Assert.Equal("disabled", RunResult.Prop<string>(node, "Status"));
            Assert.Equal("patching", RunResult.Prop<string>(node, "DisabledReason"));
            Assert.True(RunResult.Prop<bool>(node, "Planned"));
        }

        [Fact]
        public void DisablingTwiceWithTheSameReasonSendsOneUpdate()
        {
            using var s = new FakeCloudSession();
            s.Run("Disable-ComputeNode c01 -Reason patching").ThrowOnErrors();
            s.Run("Disable-ComputeNode c01 -Reason patching").ThrowOnErrors();
            Assert.Single(s.Cloud.RequestLines, l => l.StartsWith("PUT /compute/v2.1/os-services/"));
            s.Run("Enable-ComputeNode c01").ThrowOnErrors();
            s.Run("Enable-ComputeNode c01").ThrowOnErrors();
            Assert.Equal(2, s.Cloud.RequestLines.Count(l => l.StartsWith("PUT /compute/v2.1/os-services/")));
            Assert.Equal("enabled", (string)s.Cloud.Services["c01.example.com"]["status"]);
            Assert.Null(s.Cloud.Services["c01.example.com"]["disabled_reason"]);
        }

        [Fact]
        public void EnableAfterDisableRoundTripsAndPassThruShowsTheResult()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Disable-ComputeNode c01.example.com -Reason x -PassThru | Enable-ComputeNode -PassThru");
            r.ThrowOnErrors();
            var node = Assert.Single(r.Output);
            Assert.Equal("enabled", RunResult.Prop<string>(node, "Status"));
            Assert.False(RunResult.Prop<bool>(node, "Planned"));
            Assert.NotNull(RunResult.Prop<string>(node, "RequestId"));
        }

        [Fact]
        public void ExactNamesNeverSelectALongerHost()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-NodeServer compute-1");
            r.ThrowOnErrors();
            Assert.Equal(new[] { "app-1" }, r.Output.Select(o => RunResult.Prop<string>(o, "Name")));
            Assert.Contains("GET /compute/v2.1/servers/detail?all_tenants=1&host=compute-1&limit=1000", s.Cloud.RequestLines);
        }

        [Fact]
        public void WildcardsMatchOnlyWhenTyped()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-ComputeNode 'compute-*'");
            r.ThrowOnErrors();
            Assert.Equal(new[] { "compute-1", "compute-10" }, r.Output.Select(Host));
        }

        [Fact]
        public void PlainStringsBindFromThePipeline()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("'c01', 'c02' | Get-NodeServer | Where-Object Status -eq ACTIVE");
            r.ThrowOnErrors();
            Assert.Equal(new[] { "db-1", "web-1" }, r.Output.Select(o => RunResult.Prop<string>(o, "Name")).OrderBy(n => n));
        }

        [Fact]
        public void NodesCarryTheirFiguresAndIdentity()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-ComputeNode");
            r.ThrowOnErrors();
            Assert.Equal(4, r.Output.Count);
            var c01 = r.Output.Single(o => Host(o) == "c01.example.com");
            Assert.Equal(2, RunResult.Prop<int?>(c01, "RunningVms"));
            Assert.Equal(8, RunResult.Prop<int?>(c01, "Vcpus"));
            Assert.Equal("up", RunResult.Prop<string>(c01, "State"));
            Assert.Equal("127.0.0.1", RunResult.Prop<string>(c01, "Cloud"));
            // One services listing and one hypervisor listing, whatever the number of nodes.
            Assert.Single(s.Cloud.RequestLines, l => l.StartsWith("GET /compute/v2.1/os-services"));
            Assert.Single(s.Cloud.RequestLines, l => l.StartsWith("GET /compute/v2.1/os-hypervisors/detail"));
        }

        [Fact]
        public void AnUnknownHostIsAnObjectNotFoundErrorNamingIt()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Get-NodeServer c99, c01");
            var error = Assert.Single(r.Errors);
            Assert.Equal("ComputeNodeNotFound,OpenStackOps.Commands.Compute.GetNodeServerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("c99", error.TargetObject);
            Assert.Contains("'c99'", error.Exception.Message);
            Assert.Equal(2, r.Output.Count); // c01's servers still come
        }

        [Fact]
        public void DisableNeedsAReason()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Disable-ComputeNode c01 -Reason ''");
            Assert.NotNull(r.Terminating ?? r.Errors.FirstOrDefault());
            Assert.StartsWith("ParameterArgumentValidationError", (r.Terminating ?? r.Errors[0]).FullyQualifiedErrorId);
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.StartsWith("PUT"));
        }

        [Fact]
        public void A503OnAReadIsRetried()
        {
            using var s = new FakeCloudSession();
            s.Cloud.FailNextComputeCalls = 1;
            var r = s.Run("Get-ComputeNode c01 -Verbose");
            r.ThrowOnErrors();
            Assert.Single(r.Output);
            Assert.Contains(r.Verbose, v => v.Contains("ServiceUnavailable") && v.Contains("retry 1"));
        }

        [Fact]
        public void ANovaRefusalIsANonTerminatingErrorWithIdCategoryAndTarget()
        {
            using var s = new FakeCloudSession();
            s.Cloud.RefuseUpdatesOf = "c01.example.com";
            var r = s.Run("Disable-ComputeNode c01, c02 -Reason patching -PassThru");
            var error = Assert.Single(r.Errors);
            Assert.Equal("NovaDisableComputeNodeConflict,OpenStackOps.Commands.Compute.DisableComputeNodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Equal("c01.example.com", error.TargetObject);
            Assert.Contains("Service is locked for maintenance", error.Exception.Message);
            Assert.Equal(new[] { "c02.example.com" }, r.Output.Select(Host)); // the second host still happens
        }
    }
}
