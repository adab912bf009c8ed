using System.IO;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>examples/Invoke-PlannedMaintenance.ps1 run for real and under -WhatIf against the devcloud.</summary>
    [Trait("Tier", "Devcloud")]
    public class PlannedMaintenanceRunbookDevcloudTests
    {
        private static readonly string Runbook = Path.Combine(ModulePaths.RepositoryRoot, "examples", "Invoke-PlannedMaintenance.ps1");

        private static PSObject StepNamed(RunResult r, string name) => r.Output.Single(o => P(o, "Step") == name);

        private static string[] ServersOn(string host) => Infrastructure.Devcloud.Sql($"select uuid from nova.instances where host='{host}' and deleted=0 order by uuid");
        private static string ServiceDisabled(string host) => Infrastructure.Devcloud.Sql($"select disabled from nova.services where host='{host}' and `binary`='nova-compute' and deleted=0").Single();

        [Fact]
        public void WhatIfShowsTheWholePlanAndChangesNothing()
        {
            using var host = Infrastructure.Devcloud.Connected();
            var before = ServersOn("c02.example.com");
            Assert.NotEmpty(before);

            var r = host.Run($"& '{Runbook}' -Node c02 -Reason 'osops test: whatif' -Destination c03 -MoveBack -WhatIf -Maintenance {{ throw 'the maintenance must not run under -WhatIf' }}");
            r.ThrowOnErrors();

            Assert.Equal(new[] { "Disable", "Drain", "Maintenance", "Enable", "MoveBack" }, r.Output.Select(o => P(o, "Step")));
            Assert.All(r.Output, o => Assert.Equal("Planned", P(o, "Status")));
            var drain = Items(StepNamed(r, "Drain")).Cast<PSObject>().ToList();
            Assert.Equal(before, drain.Select(o => P(o, "ServerId")).OrderBy(x => x));
            Assert.All(drain, o => Assert.Equal("Planned", P(o, "Status")));
            Assert.All(drain, o => Assert.Equal("c03.example.com", P(o, "RequestedDestination")));
            Assert.Equal(drain.Count, Items(StepNamed(r, "MoveBack")).Length);

            Assert.Equal(before, ServersOn("c02.example.com"));
            Assert.Equal("0", ServiceDisabled("c02.example.com"));
        }

        [Fact]
        public void TheWholeProcedureDrainsMaintainsReenablesAndBringsTheServersBack()
        {
            using var host = Infrastructure.Devcloud.Connected();
            var before = ServersOn("c02.example.com");
            Assert.True(before.Length >= 2, "the devcloud seeds servers on c02");
            try
            {
                // The maintenance block sees the node as the operator would in the window: disabled and empty.
                var r = host.Run($"& '{Runbook}' -Node c02 -Reason 'osops test: runbook' -Destination c03 -MoveBack " +
                                 "-Maintenance { param($n) $global:window = @{ Node = $n; Servers = @(Get-NodeServer $n).Count; Status = (Get-ComputeNode $n).Status } }; " +
                                 "$global:window.Node; $global:window.Servers; $global:window.Status");
                r.ThrowOnErrors();
                var tail = r.Output.Skip(r.Output.Count - 3).Select(o => o.BaseObject.ToString()).ToArray();
                Assert.Equal(new[] { "c02.example.com", "0", "disabled" }, tail);

                var steps = r.Output.Take(r.Output.Count - 3).ToList();
                Assert.Equal(new[] { "Disable", "Drain", "Verify", "Maintenance", "Enable", "MoveBack" }, steps.Select(o => P(o, "Step")));
                Assert.Equal("Empty", P(steps[2], "Status"));
                var back = Items(steps[5]).Cast<PSObject>().ToList();
                Assert.Equal(before, back.Select(o => P(o, "ServerId")).OrderBy(x => x));
                Assert.All(back, o => Assert.Equal("Completed", P(o, "Status")));

                Assert.Equal(before, ServersOn("c02.example.com"));
                Assert.Equal("0", ServiceDisabled("c02.example.com"));
            }
            finally
            {
                host.Run("Enable-ComputeNode c02");
            }
        }

        [Fact]
        public void DrainThenReturnThroughAStateFileBringsEveryServerBackToItsSourceHost()
        {
            var before = ServersOn("c02.example.com");
            Assert.True(before.Length >= 2, "the devcloud seeds servers on c02");
            string state = Path.Combine(Path.GetTempPath(), "osops-c02-drain-" + System.Guid.NewGuid().ToString("N") + ".xml");
            try
            {
                using (var window = Infrastructure.Devcloud.Connected())
                {
                    var d = window.Run($"& '{Runbook}' -Node c02 -Reason 'osops test: two phases' -Destination c03 -Phase Drain -StatePath '{state}'");
                    d.ThrowOnErrors();
                    Assert.Equal(new[] { "Disable", "Drain", "Verify" }, d.Output.Select(o => P(o, "Step")));
                    Assert.Equal("Empty", P(d.Output[2], "Status"));
                    Assert.Empty(ServersOn("c02.example.com"));
                    Assert.Equal("1", ServiceDisabled("c02.example.com"));
                }

                // After the window: a new session that has only the state file.
                using var after = Infrastructure.Devcloud.Connected();
                var plan = after.Run($"& '{Runbook}' -Node c02 -Phase Return -StatePath '{state}' -WhatIf");
                plan.ThrowOnErrors();
                Assert.Equal(new[] { "Enable", "MoveBack" }, plan.Output.Select(o => P(o, "Step")));
                var planned = Items(plan.Output[1]).Cast<PSObject>().ToList();
                Assert.Equal(before, planned.Select(o => P(o, "ServerId")).OrderBy(x => x));
                Assert.All(planned, o => Assert.Equal("Planned", P(o, "Status")));
                Assert.All(planned, o => Assert.Equal("c02.example.com", P(o, "RequestedDestination")));
                Assert.Empty(ServersOn("c02.example.com"));                 // -WhatIf moved nothing
                Assert.Equal("1", ServiceDisabled("c02.example.com"));

                var r = after.Run($"& '{Runbook}' -Node c02 -Phase Return -StatePath '{state}'");
                r.ThrowOnErrors();
                Assert.Equal(new[] { "Enable", "MoveBack" }, r.Output.Select(o => P(o, "Step")));
                var back = Items(r.Output[1]).Cast<PSObject>().ToList();
                Assert.All(back, o => Assert.Equal("Completed", P(o, "Status")));
                Assert.All(back, o => Assert.Equal("c02.example.com", P(o, "FinalHost")));
                Assert.Equal(before, ServersOn("c02.example.com"));
                Assert.Equal("0", ServiceDisabled("c02.example.com"));
            }
            finally
            {
                File.Delete(state);
                using var cleanup = Infrastructure.Devcloud.Connected();
                cleanup.Run("Enable-ComputeNode c02");
                var strays = before.Except(ServersOn("c02.example.com")).ToArray();
                if (strays.Length > 0) cleanup.Run($"'{string.Join("','", strays)}' | Move-ServerLive -Destination c02");
            }
        }

        // A node that cannot be emptied (c03, whose server is shut off): tests/Pester/Runbooks.Scheduled.Tests.ps1 runs it
        // as a scheduled job (exit code, run record, transcript) with this test's former assertions, once.
    }
}
