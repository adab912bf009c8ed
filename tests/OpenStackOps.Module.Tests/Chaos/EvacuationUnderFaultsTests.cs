using System;
using System.Diagnostics;
using System.Linq;
using OpenStackOps.Module.Tests.Infrastructure;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;
using Xunit;
using Xunit.Abstractions;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// Issue #14: Invoke-NodeEvacuation of c03 (its nova-compute really stopped) through the fault proxy. Every
    /// server has one result that agrees with nova's database, none is evacuated twice, and each one not evacuated
    /// says why.
    /// </summary>
    [Trait("Tier", "Chaos")]
    public class EvacuationUnderFaultsTests : IClassFixture<FaultProxyFixture>
    {
        private readonly FaultProxyFixture _proxy;
        private readonly ChaosReport _report;

        public EvacuationUnderFaultsTests(FaultProxyFixture proxy, ITestOutputHelper output)
        {
            _proxy = proxy;
            _report = new ChaosReport(output);
        }

        [Fact]
        public void ADeadNodesServersAreEvacuatedThroughFaultsEachOnce()
        {
            using var servers = new ChaosServers("c03", 8);
            using var host = new PowerShellHost();
            host.Run($"$direct = {Cloud.ConnectScript} -PassThru; {_proxy.ConnectScript}").ThrowOnErrors();
            try
            {
                Cloud.ComputeCtl("stop", "c03");
                var clock = Stopwatch.StartNew();
                // The servers are listed directly (not under test); the evacuation (checks, force-down, evacuate, waits) meets the faults.
                var r = host.Run($"Get-NodeServer c03 -Session $direct | Where-Object Name -like '{servers.Prefix}-*' | Invoke-NodeEvacuation c03 -Destination c02 -ForceDown -Fenced -Confirm:$false");
                clock.Stop();

                var outcome = new ChaosOutcome(r, servers.Ids);
                int moved = 0;
                var wrong = new System.Collections.Generic.List<string>();
                foreach (string id in servers.Ids)
                {
                    string dbHost = servers.Host(id);
                    int migrations = servers.Migrations(id, "evacuation"), actions = servers.Actions(id, "evacuate");
                    if (migrations > 1 || actions > 1) wrong.Add($"{id}: {migrations} evacuations, {actions} evacuate actions in nova");
                    if (outcome.Completed(id))
                    {
                        moved++;
                        if (dbHost != "c02.example.com" || P(outcome.Results[id], "FinalHost") != "c02.example.com" || servers.VmState(id) != "active")
                            wrong.Add($"{id}: Completed (FinalHost {P(outcome.Results[id], "FinalHost")}) but nova has it on {dbHost}, {servers.VmState(id)}");
                    }
                    else
                    {
                        if (dbHost != "c03.example.com" && actions == 0) wrong.Add($"{id}: not Completed ({outcome.Why(id)}) but nova has it on {dbHost}");
                        _report.Line($"evacuation: {id} not evacuated, on {dbHost} ({actions} evacuate action(s) in nova): {outcome.Why(id)}");
                    }
                }
                _report.Line($"evacuation: {moved}/{servers.Ids.Length} evacuated c03 -> c02 in {clock.Elapsed.TotalSeconds:0} s, {r.AllErrors.Count()} error record(s), " +
                             $"{outcome.Unaccounted.Count()} unaccounted, {wrong.Count} disagreeing with nova; faults so far: {_proxy.FaultCounts()}");
                foreach (var w in wrong) _report.Line("evacuation: WRONG " + w);
                if (r.Terminating != null) _report.Line("evacuation: stopped: " + r.Terminating.Exception?.Message);

                Assert.Null(r.Terminating);
                Assert.Empty(outcome.Unaccounted);
                Assert.Empty(wrong);
                Assert.True(moved >= servers.Ids.Length * 95 / 100, $"only {moved} of {servers.Ids.Length} servers evacuated (goal: 95%)");
            }
            finally
            {
                servers.Dispose();
                Cloud.ComputeCtl("start", "c03");
                // Nova lifts forced_down only once the restarted nova-compute has settled its evacuations (directly, not through faults).
                Cloud.WaitFor(() => host.Run("Enable-ComputeNode c03 -ClearForcedDown -Session $direct").AllErrors.Count() == 0, "forced_down to be lifted");
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "c03 to be up again");
            }
        }
    }
}
