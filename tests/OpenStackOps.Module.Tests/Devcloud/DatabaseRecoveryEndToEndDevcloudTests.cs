using System;
using System.Linq;
using System.Text.Json.Nodes;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// The guide's whole "total compute node failure" database path on the real devcloud databases, with a
    /// server this test creates on c03 (no seeded server is touched, no nova-compute is stopped): move its rows
    /// to c02, hard-reboot it through the API, and find it ACTIVE on c02 with its port bound there.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class DatabaseRecoveryEndToEndDevcloudTests
    {
        private const string Db = "-ConnectionString 'Server=127.0.0.1;User ID=openstack;Password=osrig-db'";

        private static string ProviderOf(string node)
            => Infrastructure.Devcloud.OpenStackCli($"--os-placement-api-version 1.28 resource provider list --name {node} -f value -c uuid").Trim();

        /// <summary>The server's allocations as "provider: VCPU=1, MEMORY_MB=512, DISK_GB=1", from the osc-placement CLI.</summary>
        private static string[] AllocationsOf(string id)
            => JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli($"--os-placement-api-version 1.28 resource provider allocation show {id} -f json")).AsArray()
                .Select(a => (string)a["resource_provider"] + ": " + string.Join(", ", a["resources"].AsObject().OrderBy(r => r.Key).Select(r => r.Key + "=" + r.Value)))
                .OrderBy(x => x).ToArray();

        private static string Rows(string id)
            => string.Join("\n", Infrastructure.Devcloud.Sql($"SELECT host, node FROM nova.instances WHERE uuid = '{id}'; SELECT b.host FROM neutron.ml2_port_bindings b JOIN neutron.ports p ON p.id = b.port_id WHERE p.device_id = '{id}'"));

        /// <summary>The server's port bindings as "host\tstatus", from neutron's database.</summary>
        private static string[] BindingsOf(string id)
            => Infrastructure.Devcloud.Sql($"SELECT b.host, b.status FROM neutron.ml2_port_bindings b JOIN neutron.ports p ON p.id = b.port_id WHERE p.device_id = '{id}'");

        /// <summary>
        /// Boots a server of this test's own on c03 (named <paramref name="prefix"/> and a random tag), runs
        /// <paramref name="test"/> with its creation record, its id and a journal path, then deletes the server and the journal.
        /// </summary>
        private static void WithOwnServerOnC03(string prefix, Action<JsonNode, string, string> test)
        {
            Infrastructure.Devcloud.RequireUp();
            string name = prefix + Guid.NewGuid().ToString("N").Substring(0, 8);
            string id = null;
            string journal = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name + ".json");
            try
            {
                var created = JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli(
                    $"server create --image cirros-fake --flavor m1.tiny --network public --availability-zone nova:c03.example.com --wait -f json {name}"));
                id = (string)created["id"];
                test(created, id, journal);
            }
            finally
            {
                if (id != null) Infrastructure.Devcloud.DeleteServers(id);
                else try { Infrastructure.Devcloud.OpenStackCli($"server delete --wait {name}"); } catch (InvalidOperationException) { }
                if (System.IO.File.Exists(journal)) System.IO.File.Delete(journal);
            }
        }

        /// <summary>
        /// The move takes the server's placement allocation along (c03's provider to c02's), journaled; the restore puts
        /// it back with the rows. Checked in placement with the osc-placement CLI and in the databases.
        /// </summary>
        [Fact]
        public void TheMoveTakesThePlacementAllocationAlongAndTheRestorePutsItBack()
            => WithOwnServerOnC03("osops-dballoc-", (created, id, journal) =>
            {
                string c03 = ProviderOf("c03.example.com"), c02 = ProviderOf("c02.example.com");
                var before = AllocationsOf(id);
                string rowsBefore = Rows(id);
                Assert.Equal(new[] { $"{c03}: DISK_GB=1, MEMORY_MB=512, VCPU=1" }, before);

                using var host = new PowerShellHost();
                host.Run(Infrastructure.Devcloud.ConnectScript).ThrowOnErrors();
                var plan = host.Run($"Move-ServerDatabaseRecord c03.example.com c02.example.com -InstanceId {id} {Db} -WhatIf -PassThru");
                plan.ThrowOnErrors();
                Assert.Contains($"PUT /allocations/{id}", RunResult.Prop<string>(plan.Output[0], "PlacementText"));
                Assert.Equal(before, AllocationsOf(id));

                var r = host.Run($"Move-ServerDatabaseRecord c03.example.com c02.example.com -InstanceId {id} {Db} -JournalPath '{journal}' -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Equal("Applied", RunResult.Prop<string>(r.Output[0], "Status"));
                Assert.Equal(1, RunResult.Prop<int>(r.Output[0], "Allocations"));
                Assert.Equal(new[] { $"{c02}: DISK_GB=1, MEMORY_MB=512, VCPU=1" }, AllocationsOf(id));
                Assert.Equal("c02.example.com\tc02.example.com\nc02.example.com", Rows(id));
                var journaled = JsonNode.Parse(System.IO.File.ReadAllText(journal));
                Assert.Equal("applied", (string)journaled["state"]);
                Assert.True((bool)journaled["allocations"][0]["moved"]);
                Assert.Equal(c03, (string)journaled["allocations"][0]["sourceProvider"]);

                var restored = host.Run($"Restore-ServerDatabaseRecord '{journal}' {Db} -Confirm:$false");
                restored.ThrowOnErrors();
                Assert.Equal("Restored", RunResult.Prop<string>(Assert.Single(restored.Output), "Status"));
                Assert.Equal(before, AllocationsOf(id));
                Assert.Equal(rowsBefore, Rows(id));
                Assert.False((bool)JsonNode.Parse(System.IO.File.ReadAllText(journal))["allocations"][0]["moved"]);
                Assert.DoesNotContain("osrig-db", r.AllText + restored.AllText);
            });

        [Fact]
        public void OwnServerOnC03MovesToC02AndComesBackActiveAfterAHardReboot()
            => WithOwnServerOnC03("osops-dbrec-", (created, id, journal) =>
            {
                Assert.Equal("c03.example.com", (string)created["OS-EXT-SRV-ATTR:host"]);

                using var host = new PowerShellHost();
                host.Run(Infrastructure.Devcloud.ConnectScript).ThrowOnErrors();
                var r = host.Run($"Move-ServerDatabaseRecord c03.example.com c02.example.com -InstanceId {id} {Db} -JournalPath '{journal}' -Restart -Confirm:$false");
                r.ThrowOnErrors();
                Assert.Equal("Applied", RunResult.Prop<string>(r.Output[0], "Status"));
                var server = r.Output[1];
                Assert.Equal(id, RunResult.Prop<string>(server, "Id"));
                Assert.Equal("ACTIVE", RunResult.Prop<string>(server, "Status"));
                Assert.Equal("c02.example.com", RunResult.Prop<string>(server, "Host"));
                Assert.DoesNotContain("osrig-db", r.AllText);

                var shown = JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli($"server show {id} -f json"));
                Assert.Equal("c02.example.com", (string)shown["OS-EXT-SRV-ATTR:host"]);
                Assert.Equal("c02.example.com", (string)shown["OS-EXT-SRV-ATTR:hypervisor_hostname"]);
                var bindings = BindingsOf(id);
                Assert.Equal(new[] { "c02.example.com\tACTIVE" }, bindings);
                Assert.Equal(new[] { $"{ProviderOf("c02.example.com")}: DISK_GB=1, MEMORY_MB=512, VCPU=1" }, AllocationsOf(id));

                // The server now runs on c02: putting the rows back would leave it running there while nova
                // believes it is on c03. Restore refuses and changes nothing.
                var restore = host.Run($"Restore-ServerDatabaseRecord '{journal}' {Db} -Confirm:$false");
                var refused = Assert.Single(restore.AllErrors);
                Assert.Equal("DatabaseRecoveryStartedOnDestination,OpenStackOps.Commands.Database.RestoreServerDatabaseRecordCommand", refused.FullyQualifiedErrorId);
                Assert.Equal(id, refused.TargetObject);
                Assert.Contains("reboot", refused.Exception.Message);
                Assert.Contains("Move-ServerLive", refused.ErrorDetails.RecommendedAction);
                Assert.Empty(restore.Output);
                Assert.Equal("c02.example.com", (string)JsonNode.Parse(Infrastructure.Devcloud.OpenStackCli($"server show {id} -f json"))["OS-EXT-SRV-ATTR:host"]);
                Assert.Equal(bindings, BindingsOf(id));
                Assert.DoesNotContain("osrig-db", restore.AllText);
            });
    }
}
