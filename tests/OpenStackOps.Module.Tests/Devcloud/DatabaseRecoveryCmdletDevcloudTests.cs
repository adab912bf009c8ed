using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// Move-/Restore-ServerDatabaseRecord against the devcloud's MariaDB, on scratch copies (real structure and
    /// rows) of the nova and neutron tables they touch, dropped afterwards.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public sealed class DatabaseRecoveryCmdletDevcloudTests : IDisposable
    {
        private const string Failed = "dbm-c03.example.com", Dest = "dbm-c02.example.com";
        private const string I1 = "dbm00000-0000-4000-8000-000000000001", P1 = "dbq00000-0000-4000-8000-000000000001";
        private const string I2 = "dbm00000-0000-4000-8000-000000000002", P2 = "dbq00000-0000-4000-8000-000000000002";
        private readonly string _nova, _neutron;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "osops-dbm-" + Guid.NewGuid().ToString("N"));

        public DatabaseRecoveryCmdletDevcloudTests()
        {
            string tag = Guid.NewGuid().ToString("N").Substring(0, 8);
            _nova = "osops_t_nova_" + tag;
            _neutron = "osops_t_neutron_" + tag;
            Directory.CreateDirectory(_dir);
            var sql = new List<string> { $"CREATE DATABASE {_nova}", $"CREATE DATABASE {_neutron}" };
            foreach (var t in new[] { "instances", "compute_nodes", "instance_actions" })
                sql.Add($"CREATE TABLE {_nova}.{t} LIKE nova.{t}; INSERT INTO {_nova}.{t} SELECT * FROM nova.{t}");
            foreach (var t in new[] { "ports", "ml2_port_bindings", "ml2_port_binding_levels" })
                sql.Add($"CREATE TABLE {_neutron}.{t} LIKE neutron.{t}; INSERT INTO {_neutron}.{t} SELECT * FROM neutron.{t}");
            sql.Add($"INSERT INTO {_nova}.compute_nodes (vcpus, memory_mb, local_gb, vcpus_used, memory_mb_used, local_gb_used, hypervisor_type, hypervisor_version, cpu_info, hypervisor_hostname, host, deleted) VALUES (8, 8192, 100, 0, 0, 0, 'fake', 1, '', '{Dest}', '{Dest}', 0)");
            foreach (var (i, p, n) in new[] { (I1, P1, 1), (I2, P2, 2) })
            {
                sql.Add($"INSERT INTO {_nova}.instances (created_at, uuid, display_name, host, node, launched_on, vm_state, deleted) VALUES (UTC_TIMESTAMP(), '{i}', 'dbm-{n}', '{Failed}', '{Failed}', '{Failed}', 'active', 0)");
                sql.Add($"INSERT INTO {_neutron}.ports (project_id, id, name, network_id, mac_address, admin_state_up, status, device_id, device_owner, standard_attr_id) VALUES ('p', '{p}', '', UUID(), 'fa:16:3e:00:00:0{n}', 1, 'ACTIVE', '{i}', 'compute:nova', {990000000 + n})");
                sql.Add($"INSERT INTO {_neutron}.ml2_port_bindings (port_id, host, vif_type, vnic_type, profile, vif_details, status) VALUES ('{p}', '{Failed}', 'ovs', 'normal', '', '', 'ACTIVE')");
                sql.Add($"INSERT INTO {_neutron}.ml2_port_binding_levels (port_id, host, level, driver, segment_id) VALUES ('{p}', '{Failed}', 0, 'openvswitch', NULL)");
            }
            Infrastructure.Devcloud.Sql(string.Join("; ", sql));
        }

        public void Dispose()
        {
            try { Infrastructure.Devcloud.Sql($"DROP DATABASE IF EXISTS {_nova}; DROP DATABASE IF EXISTS {_neutron}"); } catch (InvalidOperationException) { }
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static Dictionary<string, object> Vars(params (string, object)[] more)
        {
            var s = new SecureString();
            foreach (char c in "osrig-db") s.AppendChar(c);
            var d = new Dictionary<string, object> { ["cred"] = new PSCredential("openstack", s) };
            foreach (var (k, v) in more) d[k] = v;
            return d;
        }

        private string Db => $"-DatabaseServer 127.0.0.1 -DatabaseCredential $cred -NovaDatabase {_nova} -NeutronDatabase {_neutron}";

        /// <summary>The scratch rows' servers are not in placement: their moves leave it out.</summary>
        private string MoveDb => Db + " -SkipPlacement";
        private string Rows() => string.Join("\n", Infrastructure.Devcloud.Sql(
            $"SELECT uuid, host, node FROM {_nova}.instances WHERE uuid LIKE 'dbm%' ORDER BY uuid; SELECT port_id, host FROM {_neutron}.ml2_port_bindings WHERE port_id LIKE 'dbq%' ORDER BY port_id; SELECT port_id, host, level FROM {_neutron}.ml2_port_binding_levels WHERE port_id LIKE 'dbq%' ORDER BY port_id"));

        [Fact]
        public void WhatIfShowsTheExactSqlThenMoveAndRestoreThroughTheCmdlets()
        {
            string before = Rows();
            using var host = new PowerShellHost();
            var plan = host.Run($"Move-ServerDatabaseRecord {Failed} {Dest} -Force {MoveDb} -WhatIf -PassThru", Vars());
            plan.ThrowOnErrors();
            var p = Assert.Single(plan.Output);
            Assert.Equal("OpenStackOps.Database.DatabaseRecoveryPlan", p.BaseObject.GetType().FullName);
            string sqlText = RunResult.Prop<string>(p, "SqlText");
            Assert.Contains($"UPDATE `{_nova}`.`instances` SET `host` = @dest, `node` = @destNode WHERE `uuid` = @uuid", sqlText);
            Assert.Contains($"UPDATE `{_neutron}`.`ml2_port_binding_levels` SET `host` = @dest", sqlText);
            Assert.Contains($"@dest='{Dest}'", sqlText);
            Assert.Equal(before, Rows());

            string journal = Path.Combine(_dir, "move.json");
            var moved = host.Run($"Move-ServerDatabaseRecord {Failed} {Dest} -Force {MoveDb} -JournalPath $j -Confirm:$false", Vars(("j", journal)));
            moved.ThrowOnErrors();
            var result = Assert.Single(moved.Output);
            Assert.Equal("Applied", RunResult.Prop<string>(result, "Status"));
            Assert.Equal(2, RunResult.Prop<int>(result, "Instances"));
            Assert.Equal(journal, RunResult.Prop<string>(result, "JournalPath"));
            string after = Rows();
            Assert.DoesNotContain(Failed, after);
            Assert.Contains($"{I1}\t{Dest}\t{Dest}", after);

            var restored = host.Run($"Restore-ServerDatabaseRecord $j {Db} -Confirm:$false", Vars(("j", journal)));
            restored.ThrowOnErrors();
            Assert.Equal("Restored", RunResult.Prop<string>(Assert.Single(restored.Output), "Status"));
            Assert.Equal(before, Rows());
            Assert.DoesNotContain("osrig-db", File.ReadAllText(journal));
        }

        [Fact]
        public void WithoutASessionARealMoveStopsBeforeWritingAnythingSinceTheAllocationsWouldStayBehind()
        {
            string before = Rows();
            using var host = new PowerShellHost();
            string journal = Path.Combine(_dir, "nosession.json");
            string db = Db;
            var r = host.Run($"Move-ServerDatabaseRecord {Failed} {Dest} -Force {db} -JournalPath $j -Confirm:$false", Vars(("j", journal)));
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryPlacementNeedsSession,OpenStackOps.Commands.Database.MoveServerDatabaseRecordCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
            Assert.Contains("-SkipPlacement", e.ErrorDetails.RecommendedAction);
            Assert.Empty(r.Output);
            Assert.False(File.Exists(journal));
            Assert.Equal(before, Rows());

            var plan = host.Run($"Move-ServerDatabaseRecord {Failed} {Dest} -Force {db} -WhatIf -PassThru", Vars());
            plan.ThrowOnErrors();
            Assert.Contains(plan.Warnings, w => w.Contains("placement allocations"));
            Assert.Equal(0, RunResult.Prop<int>(Assert.Single(plan.Output), "AllocationCount"));
        }

        [Fact]
        public void StaleBindingIsAnErrorNamingThePortAndNothingChanges()
        {
            Infrastructure.Devcloud.Sql($"UPDATE {_neutron}.ml2_port_bindings SET host = 'dbm-c09.example.com' WHERE port_id = '{P2}'; UPDATE {_neutron}.ml2_port_binding_levels SET host = 'dbm-c09.example.com' WHERE port_id = '{P2}'");
            string before = Rows();
            using var host = new PowerShellHost();
            var r = host.Run($"Move-ServerDatabaseRecord {Failed} {Dest} -Force {MoveDb} -JournalPath $j -Confirm:$false", Vars(("j", Path.Combine(_dir, "stale.json"))));
            var e = Assert.Single(r.AllErrors);
            Assert.Equal("DatabaseRecoveryStaleBinding,OpenStackOps.Commands.Database.MoveServerDatabaseRecordCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Equal(P2, e.TargetObject);
            Assert.Contains("dbm-c09.example.com", e.Exception.Message);
            Assert.Empty(r.Output);
            Assert.False(File.Exists(Path.Combine(_dir, "stale.json")));
            Assert.Equal(before, Rows());
        }
    }
}
