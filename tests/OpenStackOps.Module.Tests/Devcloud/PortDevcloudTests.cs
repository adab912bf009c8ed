using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// One shared network with a /27 subnet, created as the devcloud admin for these tests (unique name) and deleted
    /// with every port on it afterwards. Ports are counted in neutron's own database.
    /// </summary>
    public sealed class PortTestNetwork : IDisposable
    {
        public PortTestNetwork()
        {
            Infrastructure.Devcloud.RequireUp();
            Name = "osops-ports-" + Guid.NewGuid().ToString("N").Substring(0, 10);
            Prefix = $"100.65.{new Random().Next(0, 250)}.";
            Id = Infrastructure.Devcloud.OpenStackCli($"network create --share {Name} -f value -c id").Trim();
            Infrastructure.Devcloud.OpenStackCli($"subnet create --network {Id} --subnet-range {Prefix}0/27 --no-dhcp {Name}-v4 -f value -c id");
        }

        public string Id { get; }
        public string Name { get; }
        public string Prefix { get; }
        public string Address(int last) => Prefix + last;

        public int PortCount(string projectFilter = "") =>
            int.Parse(Infrastructure.Devcloud.Sql($"select count(*) from neutron.ports where network_id='{Id}' {projectFilter}").Single());

        public void Dispose()
        {
            try
            {
                var ids = Infrastructure.Devcloud.Sql($"select id from neutron.ports where network_id='{Id}'");
                if (ids.Length > 0) Infrastructure.Devcloud.OpenStackCli("port delete " + string.Join(" ", ids));
            }
            finally
            {
                Infrastructure.Devcloud.OpenStackCli("network delete " + Id);
            }
        }
    }

    /// <summary>The port cmdlets in a runspace against the devcloud's real neutron and nova.</summary>
    [Trait("Tier", "Devcloud")]
    public class PortDevcloudTests : IClassFixture<PortTestNetwork>
    {
        private readonly PortTestNetwork _net;

        public PortDevcloudTests(PortTestNetwork net) => _net = net;

        private static PowerShellHost Connected(string cloud = "devcloud")
        {
            var host = new PowerShellHost();
            host.Run($"Connect-OpenStack -Cloud {cloud} -CloudsYamlPath '{Infrastructure.Devcloud.CloudsYaml}'").ThrowOnErrors();
            return host;
        }

        private string HolderAt(int last)
        {
            using var admin = Connected();
            var r = admin.Run($"New-ReusablePort -Network {_net.Name} -Name holder-{last} -IPAddress {_net.Address(last)}");
            if (r.AllErrors.Any(e => e.FullyQualifiedErrorId.StartsWith("PortAddressInUse"))) // an earlier test made it
                return P(admin.Run($"Get-NetworkPort -IPAddress {_net.Address(last)} -Network {_net.Id}").Output.Single(), "Id");
            r.ThrowOnErrors();
            Assert.Equal(new[] { _net.Address(last) }, RunResult.Prop<string[]>(r.Output.Single(), "IpAddresses"));
            return P(r.Output.Single(), "Id");
        }

        [Fact]
        public void InUseOutsideAndMalformedAddressesAreClearErrorsAndCreateNothing()
        {
            string holder = HolderAt(5);
            int before = _net.PortCount();
            using var host = Connected();

            var inUse = host.Run($"Restore-PortAddress {_net.Address(5)} -Network {_net.Name}");
            var e1 = Assert.Single(inUse.AllErrors);
            Assert.Equal("PortAddressInUse,OpenStackOps.Commands.Network.RestorePortAddressCommand", e1.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, e1.CategoryInfo.Category);
            Assert.Equal(holder, ((PSObject)PSObject.AsPSObject(e1.TargetObject)).Properties["Id"].Value);

            var outside = host.Run($"Restore-PortAddress 192.0.2.200 -Network {_net.Name}");
            Assert.Equal("AddressNotInNetwork,OpenStackOps.Commands.Network.RestorePortAddressCommand", Assert.Single(outside.AllErrors).FullyQualifiedErrorId);

            var malformed = host.Run($"Restore-PortAddress {_net.Prefix}300 -Network {_net.Name}");
            Assert.Equal("InvalidIPAddress,OpenStackOps.Commands.Network.RestorePortAddressCommand", Assert.Single(malformed.AllErrors).FullyQualifiedErrorId);

            Assert.Equal(before, _net.PortCount());
        }

        [Fact]
        public void StoppingASweepDeletesTheTemporaryPortsBeforeTheStopReturns()
        {
            HolderAt(9); // held by the admin project: invisible to demo, so its sweep runs until stopped
            const string demoFilter = "and name like 'ip-recovery-%'"; // the sweep's temporary ports
            int before = _net.PortCount();
            Assert.Equal(0, _net.PortCount(demoFilter));

            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript($"Import-Module '{ModulePaths.Manifest}'; Connect-OpenStack -Cloud devcloud-demo -CloudsYamlPath '{Infrastructure.Devcloud.CloudsYaml}'; " +
                         $"Restore-PortAddress {_net.Address(9)} -Network {_net.Name} -BatchSize 1 -Verbose");
            var secondRequest = new ManualResetEventSlim();
            ps.Streams.Verbose.DataAdded += (sender, e) =>
            {
                if (((PSDataCollection<VerboseRecord>)sender)[e.Index].Message.StartsWith("Wave 2:")) secondRequest.Set();
            };
            var running = ps.BeginInvoke();
            // (Enumerating a PSDataCollection blocks until the invocation ends: messages read items by index.)
            Assert.True(secondRequest.Wait(TimeSpan.FromSeconds(240)), "the sweep sent two waves of creates");
            Assert.False(running.IsCompleted);

            ps.Stop();

            var verbose = Enumerable.Range(0, ps.Streams.Verbose.Count).Select(i => ps.Streams.Verbose[i].Message).ToList();
            int created = verbose.Count(m => m.StartsWith("Wave ") && m.Contains(" port(s) got "));
            Assert.True(created >= 2, "the sweep created ports before it was stopped");
            Assert.Equal(0, _net.PortCount(demoFilter)); // deleted before Stop returned
            Assert.Equal(before, _net.PortCount());
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }

        [Fact]
        public void AMemberRecoversAnAddressOnTheAdminsSharedNetworkBySweeping()
        {
            int before = _net.PortCount();
            using var demo = Connected("devcloud-demo");
            var r = demo.Run($"Restore-PortAddress {_net.Address(17)} -Network {_net.Name} -Name web17.sys.example.com");
            r.ThrowOnErrors();
            var result = Assert.Single(r.Output);
            Assert.Equal("Sweep", P(result, "Strategy"));
            Assert.Equal("True", P(result, "ExactForbidden"));
            Assert.Equal(before + 1, _net.PortCount());
            Assert.Equal(_net.Address(17), Infrastructure.Devcloud.Sql(
                $"select a.ip_address from neutron.ipallocations a join neutron.ports p on p.id=a.port_id where p.name='web17.sys.example.com' and p.network_id='{_net.Id}'").Single());
            demo.Run($"Get-NetworkPort -Name web17.sys.example.com | ForEach-Object {{ }}").ThrowOnErrors();
        }

        [Fact]
        public void DetachKeepsBothKindsOfPortAndAttachGivesOneBack()
        {
            using var host = Connected();
            // Fixed addresses: a random one could be .5, .9 or .17, which the other tests need free (both ports outlive this test).
            var port = host.Run($"New-ReusablePort -Network {_net.Name} -Fqdn app01.sys.example.com -IPAddress {_net.Address(25)}");
            port.ThrowOnErrors();
            string reusable = P(port.Output.Single(), "Id");
            Thread.Sleep(1500); // created_at has one-second resolution: the port must be older than the server
            string name = "osops-ports-srv-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            string serverId = null;
            try
            {
                serverId = Infrastructure.Devcloud.OpenStackCli(
                    $"server create --flavor m1.tiny --image cirros-fake --availability-zone nova:c03.example.com --nic port-id={reusable} --nic net-id={_net.Id},v4-fixed-ip={_net.Address(26)} --wait {name} -f value -c id").Trim();
                var ports = host.Run($"Get-NetworkPort -Server {serverId}");
                ports.ThrowOnErrors();
                Assert.Equal(2, ports.Output.Count);
                string novaMade = ports.Output.Select(o => P(o, "Id")).Single(id => id != reusable);

                var detach = host.Run($"Get-NetworkPort -Server {serverId} | Disconnect-NetworkPort -PassThru -Verbose");
                detach.ThrowOnErrors();
                Assert.Equal(2, detach.Output.Count);
                Assert.All(detach.Output, o => Assert.Equal("True", P(o, "IsFree")));
                Assert.Contains(detach.Verbose, v => v.Contains("Nova accepted detaching " + reusable));
                Assert.Contains(detach.Verbose, v => v.Contains("Cleared device_id, device_owner and binding:profile of port " + novaMade));
                foreach (var id in new[] { reusable, novaMade })
                    Assert.Equal("[]", Infrastructure.Devcloud.Sql($"select concat('[', device_id, device_owner, ']') from neutron.ports where id='{id}'").Single());

                var attach = host.Run($"Get-NetworkPort -Id {reusable} | Connect-NetworkPort -Server {serverId} -PassThru");
                attach.ThrowOnErrors();
                Assert.Equal(serverId, P(attach.Output.Single(), "DeviceId"));
            }
            finally
            {
                if (serverId != null) Infrastructure.Devcloud.DeleteServers(serverId);
            }
            // Attached as an existing port, the reusable port outlives its server.
            Assert.Single(Infrastructure.Devcloud.Sql($"select id from neutron.ports where id='{reusable}'"));
        }
    }
}
