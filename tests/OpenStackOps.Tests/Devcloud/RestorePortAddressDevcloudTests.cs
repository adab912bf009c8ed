using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Network.Ports;
using OpenStackOps.Network.Recovery;
using OpenStackOps.Sessions;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// The address-recovery engine against the devcloud's real neutron (Zed, ML2): the exact path as admin, and as the
    /// demo member on an admin-owned shared network (where neutron's policy forbids asking for an address) the sweep.
    /// Every test counts the network's ports as the admin before and after.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class RestorePortAddressDevcloudTests
    {
        private sealed class CancelOn : IApiLog
        {
            private readonly string _text;
            private readonly CancellationTokenSource _cts;
            public CancelOn(string text, CancellationTokenSource cts) { _text = text; _cts = cts; }
            public void Verbose(string message) { if (message.Contains(_text)) _cts.Cancel(); }
            public void Debug(string message) { }
        }

        private static Task<OpenStackSession> Connect(string cloud)
            => OpenStackSession.ConnectAsync(DevcloudProfiles.Load(cloud), NullApiLog.Instance, CancellationToken.None);

        [Fact]
        public async Task AsAdminTheExactPathRecoversTheAddressInAHandfulOfCalls()
        {
            using var admin = await Connect("devcloud");
            await using var net = await TempNetwork.CreateAsync(admin, "exact");
            var recovery = new AddressRecovery(admin.Neutron);

            var r = await recovery.RestoreAsync(new AddressRecoveryRequest(net.Address(20)) { Network = net.Id, Name = "restored-exact", ProjectId = admin.ProjectId }, CancellationToken.None);

            Assert.Equal(RecoveryStrategy.Exact, r.StrategyUsed);
            Assert.Equal(1, r.PortsCreated);
            Assert.Equal(0, r.PortsDeleted);
            Assert.InRange(r.ApiCalls, 1, 6);
            var port = Assert.Single(await net.PortsAsync());
            Assert.Equal(r.PortId, port.Id);
            Assert.Equal("restored-exact", port.Name);
            Assert.Equal(new[] { net.Address(20) }, port.IpAddresses);
        }

        [Fact]
        public async Task AsAMemberTheSweepRecoversTheAddressAndLeavesNoStrayPort()
        {
            using var admin = await Connect("devcloud");
            using var demo = await Connect("devcloud-demo");
            await using var net = await TempNetwork.CreateAsync(admin, "sweep");
            // Some addresses are taken already, by the admin project.
            await admin.Neutron.Ports.CreateBulkAsync(Enumerable.Range(0, 3).Select(_ => new PortCreateRequest(net.Id, "admin-busy")).ToList(), CancellationToken.None);
            var before = await net.PortsAsync();
            string lost = Enumerable.Range(2, 29).Select(net.Address).First(a => before.All(p => !p.HasAddress(a)) && a != net.Address(2));

            var r = await new AddressRecovery(demo.Neutron).RestoreAsync(
                new AddressRecoveryRequest(lost) { Network = net.Name, Name = "web01.sys.example.com", ProjectId = demo.ProjectId }, CancellationToken.None);

            Assert.Equal(RecoveryStrategy.Sweep, r.StrategyUsed);
            Assert.True(r.ExactForbidden, "neutron's default policy forbids a member to ask for an address on another project's network");
            Assert.Equal(r.PortsCreated - 1, r.PortsDeleted);
            var after = await net.PortsAsync();
            Assert.Equal(before.Count + 1, after.Count);
            var won = Assert.Single(after, p => p.ProjectId == demo.ProjectId);
            Assert.Equal(new[] { lost }, won.IpAddresses);
            Assert.Equal("web01.sys.example.com", won.Name);
            Assert.Equal(r.PortId, won.Id);
        }

        [Fact]
        public async Task AnAddressHeldByAPortTheMemberCannotSeeIsNotObtainableAndNothingStays()
        {
            using var admin = await Connect("devcloud");
            using var demo = await Connect("devcloud-demo");
            await using var net = await TempNetwork.CreateAsync(admin, "hidden");
            var hidden = await admin.Neutron.Ports.CreateAsync(new PortCreateRequest(net.Id, "admin-holder") { SubnetId = net.SubnetId, IpAddress = net.Address(9) }, CancellationToken.None);

            // Waves of 5 on 28 free addresses: the last wave asks for more than are left.
            var e = await Assert.ThrowsAsync<AddressRecoveryException>(() => new AddressRecovery(demo.Neutron).RestoreAsync(
                new AddressRecoveryRequest(net.Address(9)) { Network = net.Id, ProjectId = demo.ProjectId, BatchSize = 5 }, CancellationToken.None));

            Assert.Equal(AddressRecoveryFailure.NotObtainable, e.Failure);
            Assert.Equal(28, e.PortsCreated); // every other address of the pool was drawn once
            Assert.Equal(e.PortsCreated, e.PortsDeleted);
            Assert.Equal(hidden.Id, Assert.Single(await net.PortsAsync()).Id);
            // Every one of them can be given out again: the create that found the pool empty kept none. (A bulk create
            // that runs out part-way leaves neutron holding the addresses it had taken, with no port on them: then this
            // bulk of 28 would fail.)
            var again = await admin.Neutron.Ports.CreateBulkAsync(Enumerable.Range(0, 28).Select(_ => new PortCreateRequest(net.Id, "admin-again")).ToList(), CancellationToken.None);
            Assert.Equal(28, again.Count);
        }

        [Fact]
        public async Task AnInterruptedSweepLeavesNoStrayPort()
        {
            using var admin = await Connect("devcloud");
            using var demo = await Connect("devcloud-demo");
            await using var net = await TempNetwork.CreateAsync(admin, "cancel");
            await admin.Neutron.Ports.CreateAsync(new PortCreateRequest(net.Id, "admin-holder") { SubnetId = net.SubnetId, IpAddress = net.Address(9) }, CancellationToken.None);
            using var cts = new CancellationTokenSource();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AddressRecovery(demo.Neutron, new CancelOn("Wave 3:", cts)).RestoreAsync(
                new AddressRecoveryRequest(net.Address(9)) { Network = net.Id, ProjectId = demo.ProjectId, BatchSize = 2 }, cts.Token));

            Assert.Single(await net.PortsAsync()); // only the admin's
        }

        [Fact]
        public async Task AddressesInUseOutsideTheSubnetsOrMalformedCreateNothing()
        {
            using var admin = await Connect("devcloud");
            await using var net = await TempNetwork.CreateAsync(admin, "errors");
            var holder = await admin.Neutron.Ports.CreateAsync(new PortCreateRequest(net.Id, "holder") { SubnetId = net.SubnetId, IpAddress = net.Address(5) }, CancellationToken.None);
            var recovery = new AddressRecovery(admin.Neutron);

            var inUse = await Assert.ThrowsAsync<AddressRecoveryException>(() => recovery.RestoreAsync(new AddressRecoveryRequest(net.Address(5)) { Network = net.Id }, CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.AddressInUse, inUse.Failure);
            Assert.Equal(holder.Id, inUse.Holder.Id);
            var outside = await Assert.ThrowsAsync<AddressRecoveryException>(() => recovery.RestoreAsync(new AddressRecoveryRequest("192.0.2.200") { Network = net.Id }, CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.NotInNetwork, outside.Failure);
            var malformed = await Assert.ThrowsAsync<AddressRecoveryException>(() => recovery.RestoreAsync(new AddressRecoveryRequest(net.Prefix + "300") { Network = net.Id }, CancellationToken.None));
            Assert.Equal(AddressRecoveryFailure.InvalidAddress, malformed.Failure);

            Assert.Equal(holder.Id, Assert.Single(await net.PortsAsync()).Id);
        }
    }
}
