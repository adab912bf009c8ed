using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Database;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// The database recovery against the devcloud's real MariaDB, on scratch copies of the real nova and neutron
    /// tables (structure and rows), so moves, injected failures and hostile names never touch the live cloud.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    [Collection(AloneCollection.Name)]
    public sealed class DatabaseRecoveryDevcloudTests : IDisposable
    {
        private const string Failed = "dbt-c03.example.com", Dest = "dbt-c02.example.com", DestNode = "dbt-c02-node.example.com";
        private readonly ScratchDatabases _db = new ScratchDatabases();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "osops-dbt-" + Guid.NewGuid().ToString("N"));
        private readonly DatabaseRecoveryStore _store;

        public DatabaseRecoveryDevcloudTests()
        {
            Directory.CreateDirectory(_dir);
            _store = new DatabaseRecoveryStore(DatabaseTarget.FromCredential(ScratchDatabases.Server, ScratchDatabases.Port,
                ScratchDatabases.User, ScratchDatabases.Password, _db.Nova, _db.Neutron));
            AddComputeNode(Dest, DestNode);
        }

        public void Dispose()
        {
            _db.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private void AddComputeNode(string host, string node)
            => _db.Exec($"INSERT INTO `{_db.Nova}`.`compute_nodes` (`vcpus`, `memory_mb`, `local_gb`, `vcpus_used`, `memory_mb_used`, `local_gb_used`, `hypervisor_type`, `hypervisor_version`, `cpu_info`, `hypervisor_hostname`, `host`, `deleted`) VALUES (8, 8192, 100, 0, 0, 0, 'fake', 1, '{{}}', @n, @h, 0)",
                ("@n", node), ("@h", host));

        private static string Id(int n) => $"dbt00000-0000-4000-8000-{n:D12}";
        private static string PortId(int n) => $"dbp00000-0000-4000-8000-{n:D12}";
        private string Journal(string name = "j.json") => Path.Combine(_dir, name);

        private DatabaseRecoveryPlan Plan(string failed = Failed, string dest = Dest, string node = null, params string[] ids)
            => _store.PlanAsync(new RecoveryRequest { FailedHost = failed, Destination = dest, DestinationNode = node, InstanceUuids = ids }, CancellationToken.None).GetAwaiter().GetResult();

        private string[] InstanceHostNode(string uuid)
            => _db.Query($"SELECT `host`, `node`, `launched_on` FROM `{_db.Nova}`.`instances` WHERE `uuid` = @u", ("@u", uuid)).Single();

        private string[] BindingHosts(string port)
            => _db.Query($"SELECT `host` FROM `{_db.Neutron}`.`ml2_port_bindings` WHERE `port_id` = @p", ("@p", port)).Select(r => r[0])
                .Concat(_db.Query($"SELECT `host` FROM `{_db.Neutron}`.`ml2_port_binding_levels` WHERE `port_id` = @p", ("@p", port)).Select(r => "L:" + r[0])).ToArray();

        [Fact]
        public async Task FullMoveOfAHostThenRestoreFromTheJournalIsByteIdentical()
        {
            _db.AddInstance(Id(1), Failed, PortId(1), PortId(2));
            _db.AddInstance(Id(2), Failed, PortId(3));
            _db.AddLevel(PortId(3), Failed, 1);
            _db.AddInstance(Id(3), "dbt-c01.example.com", PortId(4));
            _db.Exec($"UPDATE `{_db.Nova}`.`instances` SET `deleted` = `id` WHERE `uuid` = @u", ("@u", Id(3)));
            _db.Exec($"UPDATE `{_db.Nova}`.`instances` SET `host` = @h, `node` = @h WHERE `uuid` = @u", ("@h", Failed), ("@u", Id(3)));
            string before = _db.Fingerprint();

            var plan = Plan();
            Assert.False(plan.IsBlocked, string.Join("; ", plan.Problems));
            Assert.Equal(DestNode, plan.DestinationNode);
            Assert.Equal(new[] { Id(1), Id(2) }, plan.Instances.Select(i => i.Uuid));   // the deleted one stays
            Assert.Equal(3, plan.BindingCount);
            Assert.Equal(4, plan.LevelCount);

            var result = await _store.ApplyAsync(plan, Journal(), CancellationToken.None);
            Assert.Equal("Applied", result.Status);
            Assert.Equal(new[] { Dest, DestNode, Failed }, InstanceHostNode(Id(1)));        // launched_on is history
            Assert.Equal(new[] { Dest, DestNode, Failed }, InstanceHostNode(Id(2)));
            Assert.Equal(Failed, InstanceHostNode(Id(3))[0]);
            Assert.Equal(new[] { Dest, "L:" + Dest }, BindingHosts(PortId(1)));
            Assert.Equal(new[] { Dest, "L:" + Dest, "L:" + Dest }, BindingHosts(PortId(3)));
            Assert.Equal(new[] { "dbt-c01.example.com", "L:dbt-c01.example.com" }, BindingHosts(PortId(4)));

            var journal = RecoveryJournal.Read(Journal());
            Assert.Equal(RecoveryJournal.Applied, journal.State);
            Assert.Equal(_db.Nova, journal.NovaDatabase);
            Assert.Equal(2, journal.Instances.Count);
            Assert.Equal(Failed, journal.Instances[0].Host);
            Assert.Equal(plan.Statements.Count(), journal.Statements.Count);
            Assert.NotNull(journal.NovaCommittedAt);
            Assert.NotNull(journal.NeutronCommittedAt);
            Assert.DoesNotContain(ScratchDatabases.Password, File.ReadAllText(Journal()));

            var restored = await _store.RestoreAsync(Journal(), CancellationToken.None);
            Assert.Equal("Restored", restored.Status);
            Assert.Equal(before, _db.Fingerprint());
            var again = Assert.Throws<DatabaseRecoveryException>(() => _store.RestoreAsync(Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.NothingToRestore, again.Error);
        }

        [Fact]
        public void StaleBindingStopsItWithNothingChangedAndNoJournal()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            _db.Exec($"UPDATE `{_db.Neutron}`.`ml2_port_bindings` SET `host` = 'dbt-c09.example.com' WHERE `port_id` = @p", ("@p", PortId(2)));
            _db.Exec($"UPDATE `{_db.Neutron}`.`ml2_port_binding_levels` SET `host` = 'dbt-c09.example.com' WHERE `port_id` = @p", ("@p", PortId(2)));
            string before = _db.Fingerprint();

            var plan = Plan();
            var problem = Assert.Single(plan.Problems);
            Assert.Equal(RecoveryProblemKind.StaleBinding, problem.Kind);
            Assert.Equal(PortId(2), problem.Target);
            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.ApplyAsync(plan, Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.Blocked, e.Error);
            Assert.False(File.Exists(Journal()));
            Assert.Equal(before, _db.Fingerprint());
        }

        [Fact]
        public void InactiveBindingForTheDestinationIsAConflict()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddBinding(PortId(1), Dest, "INACTIVE");
            var plan = Plan();
            Assert.Contains(plan.Problems, p => p.Kind == RecoveryProblemKind.DestinationBindingExists && p.Target == PortId(1));
            Assert.Contains(plan.Problems, p => p.Kind == RecoveryProblemKind.InactiveBinding);
        }

        [Fact]
        public void NeutronFailingOnTheSecondUpdateLeavesNoPartialChangeInEitherDatabase()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            _db.Exec($"CREATE TRIGGER `{_db.Neutron}`.`dbt_fail` BEFORE UPDATE ON `{_db.Neutron}`.`ml2_port_bindings` FOR EACH ROW " +
                     $"BEGIN IF NEW.`port_id` = '{PortId(2)}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'; END IF; END");
            string before = _db.Fingerprint();

            var plan = Plan();
            Assert.False(plan.IsBlocked, string.Join("; ", plan.Problems));
            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.ApplyAsync(plan, Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.DatabaseFailed, e.Error);
            Assert.True(e.NovaRestored);
            Assert.Contains("injected failure", e.Message);
            Assert.Contains("restored from the journal", e.Message);
            Assert.Equal(before, _db.Fingerprint());
            var journal = RecoveryJournal.Read(Journal());
            Assert.Equal(RecoveryJournal.RolledBack, journal.State);
            Assert.Equal(DatabaseRecoveryError.NothingToRestore,
                Assert.Throws<DatabaseRecoveryException>(() => _store.RestoreAsync(Journal(), CancellationToken.None).GetAwaiter().GetResult()).Error);
        }

        [Fact]
        public void RowsChangedBetweenPlanAndApplyRollBackBothDatabases()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            var plan = Plan();
            _db.Exec($"DELETE FROM `{_db.Neutron}`.`ml2_port_binding_levels` WHERE `port_id` = @p", ("@p", PortId(2)));
            string before = _db.Fingerprint();

            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.ApplyAsync(plan, Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.RowsChanged, e.Error);
            Assert.Equal("port " + PortId(2), e.Target);
            Assert.True(e.NovaRestored);
            Assert.Equal(before, _db.Fingerprint());

            // And a nova row changed: nova's own transaction rolls back, neutron is never touched.
            var plan2 = Plan(ids: new[] { Id(1) });
            _db.Exec($"UPDATE `{_db.Nova}`.`instances` SET `node` = 'someone-else' WHERE `uuid` = @u", ("@u", Id(1)));
            before = _db.Fingerprint();
            var e2 = Assert.Throws<DatabaseRecoveryException>(() => _store.ApplyAsync(plan2, Journal("j2.json"), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.RowsChanged, e2.Error);
            Assert.Equal("instance " + Id(1), e2.Target);
            Assert.Equal(before, _db.Fingerprint());
        }

        [Fact]
        public async Task ARestoreChosenAsDeadlockVictimIsRunAgainAndGoesThrough()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            string before = _db.Fingerprint();
            await _store.ApplyAsync(Plan(), Journal(), CancellationToken.None);
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            _store.Log = log.Enqueue;
            _db.Exec($"CREATE TABLE `{_db.Neutron}`.`dbt_weight` (`id` INT PRIMARY KEY)");

            // Another writer (as neutron would be) holds port 2's binding and has written more than the restore
            // will have, so InnoDB rolls the restore back, not it, when their locks cross.
            using var other = new MySqlConnector.MySqlConnection(ScratchDatabases.ConnectionString);
            other.Open();
            using var tx = other.BeginTransaction();
            void Other(string sql) { using var c = new MySqlConnector.MySqlCommand(sql, other, tx); c.ExecuteNonQuery(); }
            Other($"INSERT INTO `{_db.Neutron}`.`dbt_weight` SELECT `seq` FROM `{_db.Neutron}`.`seq_1_to_500`");
            Other($"SELECT * FROM `{_db.Neutron}`.`ml2_port_bindings` WHERE `port_id` = '{PortId(2)}' FOR UPDATE");

            // On a thread of its own: the test thread only watches. Wait until the restore's locking read of these scratch
            // bindings has been running for half a second: on a table of a few rows that is a wait for the other's lock.
            // (The server's own thread list: information_schema's lock-wait tables came back empty on this MariaDB.)
            var restore = Task.Run(() => _store.RestoreAsync(Journal(), CancellationToken.None));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (_db.Query("SELECT 1 FROM information_schema.PROCESSLIST WHERE `INFO` LIKE @q AND `TIME_MS` > 500",
                       ("@q", $"SELECT `port_id`%FROM `{_db.Neutron}`.`ml2_port_bindings`%FOR UPDATE")).Count == 0)
            {
                Assert.False(restore.IsCompleted, "the restore finished without waiting for the other writer's lock: " + restore.Exception?.GetBaseException().Message);
                if (waited.Elapsed > TimeSpan.FromSeconds(90))
                    Assert.Fail("the restore never waited for port 2's lock; the server's threads: " +
                        string.Join(" | ", _db.Query("SELECT `ID`, `COMMAND`, `TIME`, `STATE`, LEFT(`INFO`, 120) FROM information_schema.PROCESSLIST WHERE `USER` = 'openstack' AND `COMMAND` <> 'Sleep'").Select(r => string.Join(",", r))));
                Thread.Sleep(50);
            }
            Other($"SELECT * FROM `{_db.Neutron}`.`ml2_port_bindings` WHERE `port_id` = '{PortId(1)}' FOR UPDATE");   // the cycle
            tx.Rollback();

            Assert.Equal("Restored", (await restore).Status);
            Assert.Contains(log, l => l.Contains("Deadlock") && l.Contains("attempt 1 of 3"));
            Assert.Equal(before, _db.Fingerprint());
        }

        [Fact]
        public void AnExistingJournalIsNeverReplaced()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            File.WriteAllText(Journal(), "earlier");
            string before = _db.Fingerprint();
            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.ApplyAsync(Plan(), Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.JournalUnwritable, e.Error);
            Assert.Equal("earlier", File.ReadAllText(Journal()));
            Assert.Equal(before, _db.Fingerprint());
        }

        [Theory]
        [InlineData("c03'; DROP TABLE instances; -- ", "c02`; DELETE FROM ml2_port_bindings; #'\"")]
        [InlineData("x\\' OR '1'='1", "y\"); UPDATE instances SET host='pwned'; --")]
        public async Task HostileHostNamesCannotInjectSql(string failed, string dest)
        {
            _db.AddInstance(Id(1), failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            AddComputeNode(dest, dest + "`node");
            int instances = _db.Query($"SELECT COUNT(*) FROM `{_db.Nova}`.`instances`").Count;
            string others = string.Join("\n", _db.Query($"SELECT `uuid`, `host`, `node` FROM `{_db.Nova}`.`instances` WHERE `uuid` <> @u ORDER BY `id`", ("@u", Id(1))).Select(r => string.Join("|", r)));
            string otherBindings = string.Join("\n", _db.Query($"SELECT `port_id`, `host` FROM `{_db.Neutron}`.`ml2_port_bindings` WHERE `port_id` <> @p ORDER BY `port_id`", ("@p", PortId(1))).Select(r => string.Join("|", r)));

            var plan = Plan(failed, dest);
            Assert.False(plan.IsBlocked, string.Join("; ", plan.Problems));
            Assert.Equal(new[] { Id(1) }, plan.Instances.Select(i => i.Uuid));
            await _store.ApplyAsync(plan, Journal(), CancellationToken.None);

            Assert.Equal(new[] { dest, dest + "`node", failed }, InstanceHostNode(Id(1)));
            Assert.Equal(new[] { dest, "L:" + dest }, BindingHosts(PortId(1)));
            Assert.Equal(others, string.Join("\n", _db.Query($"SELECT `uuid`, `host`, `node` FROM `{_db.Nova}`.`instances` WHERE `uuid` <> @u ORDER BY `id`", ("@u", Id(1))).Select(r => string.Join("|", r))));
            Assert.Equal(otherBindings, string.Join("\n", _db.Query($"SELECT `port_id`, `host` FROM `{_db.Neutron}`.`ml2_port_bindings` WHERE `port_id` <> @p ORDER BY `port_id`", ("@p", PortId(1))).Select(r => string.Join("|", r))));

            await _store.RestoreAsync(Journal(), CancellationToken.None);
            Assert.Equal(new[] { failed, failed, failed }, InstanceHostNode(Id(1)));
        }

        [Fact]
        public void OnlyTheNamedInstancesMoveAndAnUnknownOneBlocks()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            var plan = Plan(ids: new[] { Id(2) });
            Assert.Equal(new[] { Id(2) }, plan.Instances.Select(i => i.Uuid));
            Assert.Equal(new[] { PortId(2) }, plan.Bindings.Select(b => b.PortId));
            Assert.Contains(plan.Warnings, w => w.Contains("1 other port binding"));
            var blocked = Plan(ids: new[] { Id(2), Id(9) });
            Assert.Contains(blocked.Problems, p => p.Kind == RecoveryProblemKind.InstanceNotOnFailedHost && p.Target == Id(9));
        }

        // One edit per kind of column the journal holds, made between the move and the restore; the second
        // statement puts the row back as the move left it, after which the restore must go through.
        [Theory]
        [InlineData("instance vm_state", "UPDATE `{nova}`.`instances` SET `vm_state` = 'stopped' WHERE `uuid` = '{i}'", "UPDATE `{nova}`.`instances` SET `vm_state` = 'active' WHERE `uuid` = '{i}'", "vm_state is 'stopped', the move left 'active'")]
        [InlineData("instance task_state", "UPDATE `{nova}`.`instances` SET `task_state` = 'rebooting_hard' WHERE `uuid` = '{i}'", "UPDATE `{nova}`.`instances` SET `task_state` = NULL WHERE `uuid` = '{i}'", "task_state is 'rebooting_hard', the move left NULL")]
        [InlineData("instance display_name", "UPDATE `{nova}`.`instances` SET `display_name` = 'renamed' WHERE `uuid` = '{i}'", "UPDATE `{nova}`.`instances` SET `display_name` = '{name}' WHERE `uuid` = '{i}'", "display_name is 'renamed'")]
        [InlineData("instance node", "UPDATE `{nova}`.`instances` SET `node` = 'other-node' WHERE `uuid` = '{i}'", "UPDATE `{nova}`.`instances` SET `node` = '{destNode}' WHERE `uuid` = '{i}'", "node is 'other-node', the move left '{destNode}'")]
        [InlineData("instance deleted", "UPDATE `{nova}`.`instances` SET `deleted` = `id` WHERE `uuid` = '{i}'", "UPDATE `{nova}`.`instances` SET `deleted` = 0 WHERE `uuid` = '{i}'", "deleted is")]
        [InlineData("binding profile", "UPDATE `{neutron}`.`ml2_port_bindings` SET `profile` = '{\\\"migrating_to\\\": \\\"x\\\"}' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_bindings` SET `profile` = '' WHERE `port_id` = '{p}'", "binding: profile is")]
        [InlineData("binding vif_details", "UPDATE `{neutron}`.`ml2_port_bindings` SET `vif_details` = '{}' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_bindings` SET `vif_details` = '{\\\"port_filter\\\": true}' WHERE `port_id` = '{p}'", "binding: vif_details is '{}'")]
        [InlineData("binding status", "UPDATE `{neutron}`.`ml2_port_bindings` SET `status` = 'INACTIVE' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_bindings` SET `status` = 'ACTIVE' WHERE `port_id` = '{p}'", "binding: status is 'INACTIVE', the move left 'ACTIVE'")]
        [InlineData("binding vif_type", "UPDATE `{neutron}`.`ml2_port_bindings` SET `vif_type` = 'binding_failed' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_bindings` SET `vif_type` = 'ovs' WHERE `port_id` = '{p}'", "vif_type is 'binding_failed'")]
        [InlineData("a new binding", "INSERT INTO `{neutron}`.`ml2_port_bindings` (`port_id`, `host`, `vif_type`, `vnic_type`, `profile`, `vif_details`, `status`) VALUES ('{p}', 'dbt-c07.example.com', 'unbound', 'normal', '', '', 'INACTIVE')", "DELETE FROM `{neutron}`.`ml2_port_bindings` WHERE `port_id` = '{p}' AND `host` = 'dbt-c07.example.com'", "a binding for host 'dbt-c07.example.com' (status INACTIVE) appeared")]
        [InlineData("level driver", "UPDATE `{neutron}`.`ml2_port_binding_levels` SET `driver` = 'linuxbridge' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_binding_levels` SET `driver` = 'openvswitch' WHERE `port_id` = '{p}'", "level 0: driver is 'linuxbridge'")]
        [InlineData("level segment_id", "UPDATE `{neutron}`.`ml2_port_binding_levels` SET `segment_id` = 'seg-1' WHERE `port_id` = '{p}'", "UPDATE `{neutron}`.`ml2_port_binding_levels` SET `segment_id` = NULL WHERE `port_id` = '{p}'", "segment_id is 'seg-1', the move left NULL")]
        [InlineData("a gone level", "DELETE FROM `{neutron}`.`ml2_port_binding_levels` WHERE `port_id` = '{p}'", "INSERT INTO `{neutron}`.`ml2_port_binding_levels` (`port_id`, `host`, `level`, `driver`, `segment_id`) VALUES ('{p}', '{dest}', 0, 'openvswitch', NULL)", "binding level 0 on '{dest}' is gone")]
        public async Task RestoreRefusesRowsChangedAfterTheMoveWritingNothingAndGoesThroughOnceTheyAreBack(string kind, string edit, string undo, string expected)
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            string before = _db.Fingerprint();
            var plan = Plan();
            await _store.ApplyAsync(plan, Journal(), CancellationToken.None);
            string Fill(string sql) => sql.Replace("{nova}", _db.Nova).Replace("{neutron}", _db.Neutron).Replace("{i}", Id(1)).Replace("{p}", PortId(1))
                .Replace("{dest}", Dest).Replace("{destNode}", DestNode).Replace("{name}", plan.Instances[0].DisplayName);
            _db.Exec(Fill(edit));
            string edited = _db.Fingerprint();

            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.RestoreAsync(Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.ChangedSinceMove, e.Error);
            Assert.True(e.Message.Contains(Fill(expected)), kind + ": " + e.Message);
            Assert.Equal(kind.StartsWith("instance") ? Id(1) : PortId(1), e.Target);
            Assert.StartsWith("Nothing was restored", e.Message);
            Assert.Equal(edited, _db.Fingerprint());                                 // neither database was written
            Assert.Equal(RecoveryJournal.Applied, RecoveryJournal.Read(Journal()).State);

            _db.Exec(Fill(undo));
            Assert.Equal("Restored", (await _store.RestoreAsync(Journal(), CancellationToken.None)).Status);
            Assert.Equal(before, _db.Fingerprint());
        }

        [Fact]
        public async Task RestoreRefusesOnceNovaActedOnAMovedServerAndWritesNothing()
        {
            _db.AddInstance(Id(1), Failed, PortId(1));
            _db.AddInstance(Id(2), Failed, PortId(2));
            _db.AddInstanceAction(Id(2), "create");                       // before the move: history, not a reason
            await _store.ApplyAsync(Plan(), Journal(), CancellationToken.None);
            _db.AddInstanceAction(Id(2), "reboot");                       // what Move-ServerDatabaseRecord -Restart does
            string moved = _db.Fingerprint();

            var e = Assert.Throws<DatabaseRecoveryException>(() => _store.RestoreAsync(Journal(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.Equal(DatabaseRecoveryError.StartedOnDestination, e.Error);
            Assert.Equal(Id(2), e.Target);
            Assert.Contains("reboot at", e.Message);
            Assert.Contains($"running on '{Dest}'", e.Message);
            Assert.DoesNotContain(Id(1), e.Message);
            Assert.Equal(moved, _db.Fingerprint());
        }
    }
}
