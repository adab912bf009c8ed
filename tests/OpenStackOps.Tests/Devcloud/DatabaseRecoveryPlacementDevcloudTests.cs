using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Database;
using OpenStackOps.Http;
using OpenStackOps.Sessions;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// The database path's all-or-nothing guarantee when placement is the part that fails, on the devcloud's real
    /// databases and placement, with a server this test creates on c03: the allocation changes after the plan read it
    /// (its consumer generation moves on), so placement refuses the move with a real 409 after nova and neutron were
    /// committed; both databases must be restored from the journal and the allocation left where it was.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    [Collection(AloneCollection.Name)]
    public sealed class DatabaseRecoveryPlacementDevcloudTests
    {
        [Fact]
        public async Task PlacementRefusingAfterTheDatabasesCommittedRollsBothBackFromTheJournal()
        {
            using var session = await OpenStackSession.ConnectAsync(DevcloudProfiles.Load("devcloud"), NullApiLog.Instance, CancellationToken.None);
            var ct = CancellationToken.None;
            string name = "osops-dbplc-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            string journal = Path.Combine(Path.GetTempPath(), name + ".json");
            string id = null;
            try
            {
                var image = session.NewServiceClientOrNull("image");
                string imageId = (string)(await image.GetAsync("v2/images?name=cirros-fake", ct)).Body["images"][0]["id"];
                string networkId = (await session.Neutron.Networks.FindByNameAsync("public", ct)).Single().Id;
                var created = await session.Compute.Http.PostAsync("servers", new JsonObject
                {
                    ["server"] = new JsonObject
                    {
                        ["name"] = name, ["imageRef"] = imageId, ["flavorRef"] = "1", ["availability_zone"] = "nova:c03.example.com",
                        ["networks"] = new JsonArray(new JsonObject { ["uuid"] = networkId }),
                    },
                }, ct);
                id = (string)created.Body["server"]["id"];
                await ServerWait.WaitActiveAsync(session.Compute, id, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2), ct);

                var store = new DatabaseRecoveryStore(DatabaseTarget.FromConnectionString(ScratchDatabases.ConnectionString, "nova", "neutron"))
                {
                    Placement = new AllocationMover(session.Placement),
                };
                string[] Rows() => Sql($"SELECT host, node FROM nova.instances WHERE uuid = '{id}'")
                    .Concat(Sql($"SELECT b.host FROM neutron.ml2_port_bindings b JOIN neutron.ports p ON p.id = b.port_id WHERE p.device_id = '{id}'")).ToArray();
                var rowsBefore = Rows();
                Assert.Equal(new[] { "c03.example.com\tc03.example.com", "c03.example.com" }, rowsBefore);

                var plan = await store.PlanAsync(new RecoveryRequest { FailedHost = "c03.example.com", Destination = "c02.example.com", InstanceUuids = new[] { id } }, ct);
                var move = Assert.Single(plan.Allocations);
                Assert.Equal("c03.example.com", move.SourceProviderName);
                Assert.Equal("c02.example.com", move.DestinationProviderName);

                // Someone else writes the allocation (the same amounts) after the plan read it: its generation moves on.
                var held = await session.Placement.GetConsumerAllocationsAsync(id, ct);
                await session.Placement.PutConsumerAllocationsAsync(id, held.Providers, held.ProjectId, held.UserId, held.ConsumerGeneration, ct);

                var e = await Assert.ThrowsAsync<DatabaseRecoveryException>(() => store.ApplyAsync(plan, journal, ct));
                Assert.Equal(DatabaseRecoveryError.PlacementFailed, e.Error);
                Assert.True(e.NovaRestored);
                Assert.Contains("nothing is left changed", e.Message);
                Assert.Contains("409", e.Message);
                Assert.Equal(rowsBefore, Rows());
                var after = await session.Placement.GetConsumerAllocationsAsync(id, ct);
                Assert.Equal(new[] { move.SourceProvider }, after.Providers.Keys.ToArray());
                var written = RecoveryJournal.Read(journal);
                Assert.Equal(RecoveryJournal.RolledBack, written.State);
                Assert.False(written.Allocations.Single().Moved);
                Assert.Contains(written.Events, ev => ev.Contains("placement failed"));
                Assert.Contains(written.Events, ev => ev.EndsWith("neutron restored"));
                Assert.Contains(written.Events, ev => ev.EndsWith("nova restored"));
                await Assert.ThrowsAsync<DatabaseRecoveryException>(() => store.RestoreAsync(journal, ct));   // rolled back: nothing to restore
            }
            finally
            {
                if (id != null)
                {
                    await session.Compute.Http.DeleteAsync("servers/" + id, ct, null, 204, 404);
                    for (int i = 0; i < 60 && (await session.Compute.Http.GetAsync("servers/" + id, ct, null, 200, 404)).StatusCode == 200; i++)
                        await Task.Delay(1000);
                }
                if (File.Exists(journal)) File.Delete(journal);
            }
        }

        /// <summary>Rows as tab-joined text, read as the devcloud's openstack database user.</summary>
        private static string[] Sql(string query)
        {
            using var conn = new MySqlConnector.MySqlConnection(ScratchDatabases.ConnectionString);
            conn.Open();
            using var cmd = new MySqlConnector.MySqlCommand(query, conn);
            using var r = cmd.ExecuteReader();
            var rows = new System.Collections.Generic.List<string>();
            while (r.Read())
                rows.Add(string.Join("\t", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : r.GetValue(i).ToString())));
            return rows.ToArray();
        }
    }
}
