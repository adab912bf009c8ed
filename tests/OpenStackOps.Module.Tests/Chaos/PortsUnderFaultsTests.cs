using System;
using System.Linq;
using OpenStackOps.Module.Tests.Devcloud;
using OpenStackOps.Module.Tests.Infrastructure;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;
using Xunit;
using Xunit.Abstractions;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// Issue #14: reusable ports and address recovery through the fault proxy. Counted in neutron's database: every
    /// port asked for exists exactly once, every address restored is held by exactly one port, no temporary port
    /// is left behind; a failure says why and leaves nothing.
    /// </summary>
    [Trait("Tier", "Chaos")]
    public class PortsUnderFaultsTests : IClassFixture<FaultProxyFixture>, IClassFixture<PortTestNetwork>
    {
        private readonly FaultProxyFixture _proxy;
        private readonly PortTestNetwork _net;
        private readonly ChaosReport _report;

        public PortsUnderFaultsTests(FaultProxyFixture proxy, PortTestNetwork net, ITestOutputHelper output)
        {
            _proxy = proxy;
            _net = net;
            _report = new ChaosReport(output);
        }

        private int Named(string name) => int.Parse(Cloud.Sql($"select count(*) from neutron.ports where network_id='{_net.Id}' and name='{name}'").Single());
        private int Holding(string ip) => int.Parse(Cloud.Sql($"select count(*) from neutron.ipallocations where network_id='{_net.Id}' and ip_address='{ip}'").Single());

        [Fact]
        public void PortsCreatedAndAddressesRestoredThroughFaultsExistExactlyOnce()
        {
            using var host = new PowerShellHost();
            host.Run(_proxy.ConnectScript).ThrowOnErrors();
            int created = 0, restored = 0, failed = 0;
            var wrong = new System.Collections.Generic.List<string>();
            var unmapped = new System.Collections.Generic.List<string>();

            // First, while they are surely free: addresses restored exactly (admin may ask for one) and by a sweep (single creates
            // of temporary ports, then cleanup). Then reusable ports, with addresses neutron picks.
            foreach (var (last, strategy) in new[] { (20, "Exact"), (21, "Exact"), (22, "Exact"), (23, "Sweep"), (24, "Sweep") })
            {
                string ip = _net.Address(last), name = $"restored-{last}";
                var r = host.Run($"Restore-PortAddress {ip} -Network {_net.Id} -Name {name} -Strategy {strategy} -Confirm:$false");
                int temporary = int.Parse(Cloud.Sql($"select count(*) from neutron.ports where network_id='{_net.Id}' and name like 'ip-recovery-%'").Single());
                if (temporary > 0) wrong.Add($"{ip} ({strategy}): {temporary} temporary port(s) left behind");
                if (r.AllErrors.Any())
                {
                    failed++;
                    _report.Line($"ports: Restore-PortAddress {ip} ({strategy}) failed ({r.AllErrors.First().FullyQualifiedErrorId}): {r.AllErrors.First().Exception.Message}");
                    unmapped.AddRange(r.AllErrors.Select(e => e.FullyQualifiedErrorId).Where(id => !StableId(id)));
                    if (Named(name) > 0 && Holding(ip) != 1) wrong.Add($"{ip}: failed, and {Named(name)} port(s) named {name}");
                }
                else
                {
                    restored++;
                    var held = Cloud.Sql($"select a.ip_address from neutron.ports p join neutron.ipallocations a on a.port_id=p.id where p.network_id='{_net.Id}' and p.name='{name}'");
                    if (Named(name) != 1 || Holding(ip) != 1 || held.Length != 1 || held[0] != ip)
                        wrong.Add($"{ip}: restored, but {Named(name)} port(s) named {name} hold {string.Join(",", held)}, {Holding(ip)} hold {ip}");
                }
            }
            for (int i = 1; i <= 10; i++)
            {
                string name = $"chaos-port-{i}.example.com";
                var r = host.Run($"New-ReusablePort -Network {_net.Id} -Name {name}");
                int count = Named(name);
                if (r.AllErrors.Any())
                {
                    failed++;
                    _report.Line($"ports: New-ReusablePort {name} failed ({r.AllErrors.First().FullyQualifiedErrorId}): {r.AllErrors.First().Exception.Message}");
                    unmapped.AddRange(r.AllErrors.Select(e => e.FullyQualifiedErrorId).Where(id => !StableId(id)));
                    if (count > 0) wrong.Add($"{name}: failed, yet {count} port(s) of that name exist");
                }
                else
                {
                    created++;
                    if (count != 1 || r.Output.Count != 1 || P(r.Output[0], "Id") != Cloud.Sql($"select id from neutron.ports where network_id='{_net.Id}' and name='{name}'").FirstOrDefault())
                        wrong.Add($"{name}: created, but neutron has {count} port(s) of that name and the cmdlet returned {r.Output.Count}");
                }
            }

            _report.Line($"ports: {created}/10 reusable ports created, {restored}/5 addresses restored, {failed} failed with a reason; " +
                         $"{wrong.Count} disagreeing with neutron; faults so far: {_proxy.FaultCounts()}");
            foreach (var w in wrong) _report.Line("ports: WRONG " + w);
            Assert.Empty(wrong);
            // Every failure is the one error model's id (an operation and its outcome), never an exception's type name.
            Assert.Empty(unmapped);
            // Issue #14's 95% goal is for servers. A port operation is a chain of 5-8 requests: a read gives up after 4
            // faults in a row (31% of requests are faulted: ~1% per read), a create is sent at most 3 times, each with its
            // reason and changing nothing. About 1.5 of 15 are expected to fail; which requests meet the faults changes with
            // each run's ids, and 3 did in one run (session 7): more than 3 is what this calls a regression.
            Assert.True(created + restored >= 12, $"only {created + restored} of 15 port operations succeeded");
        }

        /// <summary>"NeutronCreatePortUnavailable,OpenStackOps.Commands..." is stable; "OpenStackOps.Http.OpenStackApiException,..." is not.</summary>
        private static bool StableId(string fullyQualified)
        {
            string id = fullyQualified.Split(',')[0];
            return !id.Contains('.') && !id.EndsWith("Exception", System.StringComparison.Ordinal);
        }
    }
}
