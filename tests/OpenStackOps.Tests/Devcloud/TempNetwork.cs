using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Network.Ports;
using OpenStackOps.Sessions;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// A shared network with one small IPv4 subnet, created as the devcloud admin with a unique name for one test,
    /// and deleted with every port on it afterwards. The seeded networks are never touched.
    /// </summary>
    public sealed class TempNetwork : IAsyncDisposable
    {
        private TempNetwork(OpenStackSession admin, string id, string subnetId, string name, string prefix)
        {
            Admin = admin;
            Id = id;
            SubnetId = subnetId;
            Name = name;
            Prefix = prefix;
        }

        public OpenStackSession Admin { get; }
        public string Id { get; }
        public string SubnetId { get; }
        public string Name { get; }
        /// <summary>"100.64.N." — the subnet is Prefix + "0/27", gateway .1, pool .2-.30 (29 addresses).</summary>
        public string Prefix { get; }
        public string Address(int last) => Prefix + last;

        public static async Task<TempNetwork> CreateAsync(OpenStackSession admin, string purpose)
        {
            string name = $"osops-test-{purpose}-{Guid.NewGuid():N}".Substring(0, 40);
            string prefix = $"100.64.{new Random().Next(0, 250)}.";
            var net = await admin.Network.PostAsync("v2.0/networks",
                new JsonObject { ["network"] = new JsonObject { ["name"] = name, ["shared"] = true } }, CancellationToken.None);
            string id = (string)net.Body["network"]["id"];
            var sub = await admin.Network.PostAsync("v2.0/subnets", new JsonObject
            {
                ["subnet"] = new JsonObject
                {
                    ["name"] = name + "-v4", ["network_id"] = id, ["ip_version"] = 4, ["cidr"] = prefix + "0/27", ["enable_dhcp"] = false,
                },
            }, CancellationToken.None);
            return new TempNetwork(admin, id, (string)sub.Body["subnet"]["id"], name, prefix);
        }

        /// <summary>Every port on the network, seen by the admin (all projects).</summary>
        public Task<System.Collections.Generic.IReadOnlyList<Port>> PortsAsync()
            => Admin.Neutron.Ports.ListAsync(new PortQuery { NetworkId = Id }, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            // Side by side: a swept /27 leaves up to 29 ports, and neutron deletes one in about a second under load.
            using var gate = new SemaphoreSlim(8);
            await Task.WhenAll((await PortsAsync()).Select(async p =>
            {
                await gate.WaitAsync();
                try { await Admin.Neutron.Ports.DeleteAsync(p.Id, CancellationToken.None); }
                finally { gate.Release(); }
            }));
            await Admin.Network.DeleteAsync("v2.0/networks/" + Id, CancellationToken.None, null, 204, 404);
        }
    }
}
