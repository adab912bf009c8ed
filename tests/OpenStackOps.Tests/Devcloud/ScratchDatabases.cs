using System;
using System.Collections.Generic;
using System.Linq;
using MySqlConnector;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>
    /// Throw-away copies of the devcloud's nova and neutron tables that the database recovery touches, with the
    /// real structure (CREATE TABLE ... LIKE) and the real rows (INSERT ... SELECT), so fault injection never
    /// touches the live databases. Foreign keys are not copied by LIKE. Dropped on Dispose.
    /// </summary>
    public sealed class ScratchDatabases : IDisposable
    {
        public const string Server = "127.0.0.1", User = "openstack", Password = "osrig-db";
        public const int Port = 3306;
        private static readonly string[] NovaTables = { "instances", "compute_nodes", "instance_actions" };
        private static readonly string[] NeutronTables = { "ports", "ml2_port_bindings", "ml2_port_binding_levels" };

        public ScratchDatabases()
        {
            string tag = Guid.NewGuid().ToString("N").Substring(0, 8);
            Nova = "osops_t_nova_" + tag;
            Neutron = "osops_t_neutron_" + tag;
            Exec($"CREATE DATABASE `{Nova}` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci");
            Exec($"CREATE DATABASE `{Neutron}` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci");
            foreach (var t in NovaTables) Copy("nova", Nova, t);
            foreach (var t in NeutronTables) Copy("neutron", Neutron, t);
        }

        public string Nova { get; }
        public string Neutron { get; }

        public static string ConnectionString => new MySqlConnectionStringBuilder { Server = Server, Port = Port, UserID = User, Password = Password }.ConnectionString;

        private void Copy(string from, string to, string table)
        {
            Exec($"CREATE TABLE `{to}`.`{table}` LIKE `{from}`.`{table}`");
            // Under REPEATABLE READ, INSERT ... SELECT takes shared locks on the live rows and deadlocked with
            // nova writing its instances (a CI failure); READ COMMITTED reads a snapshot without locking them.
            using var c = new MySqlConnection(ConnectionString);
            c.Open();
            using (var iso = new MySqlCommand("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", c)) iso.ExecuteNonQuery();
            using var cmd = new MySqlCommand($"INSERT INTO `{to}`.`{table}` SELECT * FROM `{from}`.`{table}`", c);
            cmd.ExecuteNonQuery();
        }

        public int Exec(string sql, params (string, object)[] parameters)
        {
            using var c = new MySqlConnection(ConnectionString);
            c.Open();
            using var cmd = new MySqlCommand(sql, c);
            foreach (var (k, v) in parameters) cmd.Parameters.AddWithValue(k, v ?? DBNull.Value);
            return cmd.ExecuteNonQuery();
        }

        public List<string[]> Query(string sql, params (string, object)[] parameters)
        {
            using var c = new MySqlConnection(ConnectionString);
            c.Open();
            using var cmd = new MySqlCommand(sql, c);
            foreach (var (k, v) in parameters) cmd.Parameters.AddWithValue(k, v ?? DBNull.Value);
            using var r = cmd.ExecuteReader();
            var rows = new List<string[]>();
            while (r.Read())
                rows.Add(Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "\0NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            return rows;
        }

        /// <summary>Every row of every copied table, hex-encoded column by column: equal fingerprints mean byte-identical tables.</summary>
        public string Fingerprint()
        {
            var parts = new List<string>();
            foreach (var (db, tables) in new[] { (Nova, NovaTables), (Neutron, NeutronTables) })
                foreach (var t in tables)
                {
                    var cols = Query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", ("@s", db), ("@t", t)).Select(r => r[0]).ToList();
                    string expr = string.Join(", ", cols.Select(col => $"COALESCE(HEX(`{col}`), 'NULL')"));
                    var rows = Query($"SELECT CONCAT_WS('|', {expr}) FROM `{db}`.`{t}`").Select(r => r[0]).OrderBy(x => x, StringComparer.Ordinal);
                    parts.Add(t + ":" + string.Join("\n", rows));
                }
            return string.Join("\n##\n", parts);
        }

        /// <summary>Adds an instance and, per port id, a port with an ACTIVE ovs binding and one level on <paramref name="host"/>.</summary>
        public void AddInstance(string uuid, string host, params string[] ports)
        {
            Exec($"INSERT INTO `{Nova}`.`instances` (`created_at`, `uuid`, `display_name`, `host`, `node`, `launched_on`, `vm_state`, `power_state`, `deleted`) VALUES (UTC_TIMESTAMP(), @u, @n, @h, @h, @h, 'active', 1, 0)",
                ("@u", uuid), ("@n", "dbt-" + uuid.Substring(0, 8)), ("@h", host));
            foreach (var p in ports)
            {
                Exec($"INSERT INTO `{Neutron}`.`ports` (`project_id`, `id`, `name`, `network_id`, `mac_address`, `admin_state_up`, `status`, `device_id`, `device_owner`, `standard_attr_id`) VALUES ('p', @id, '', @net, @mac, 1, 'ACTIVE', @dev, 'compute:nova', @sa)",
                    ("@id", p), ("@net", Guid.NewGuid().ToString()), ("@mac", "fa:16:3e:" + p.Substring(0, 2) + ":" + p.Substring(2, 2) + ":" + p.Substring(4, 2)), ("@dev", uuid), ("@sa", 900000000L + new Random().Next(1, 99999999)));
                AddBinding(p, host);
                AddLevel(p, host, 0);
            }
        }

        /// <summary>Records an instance action as nova-api does for a reboot, start, stop... of that instance.</summary>
        public void AddInstanceAction(string uuid, string action)
            => Exec($"INSERT INTO `{Nova}`.`instance_actions` (`created_at`, `action`, `instance_uuid`, `request_id`, `user_id`, `project_id`, `start_time`, `deleted`) VALUES (UTC_TIMESTAMP(), @a, @u, @r, 'u', 'p', UTC_TIMESTAMP(), 0)",
                ("@a", action), ("@u", uuid), ("@r", "req-" + Guid.NewGuid()));

        public void AddBinding(string port, string host, string status = "ACTIVE")
            => Exec($"INSERT INTO `{Neutron}`.`ml2_port_bindings` (`port_id`, `host`, `vif_type`, `vnic_type`, `profile`, `vif_details`, `status`) VALUES (@p, @h, 'ovs', 'normal', '', '{{\"port_filter\": true}}', @s)",
                ("@p", port), ("@h", host), ("@s", status));

        public void AddLevel(string port, string host, int level)
            => Exec($"INSERT INTO `{Neutron}`.`ml2_port_binding_levels` (`port_id`, `host`, `level`, `driver`, `segment_id`) VALUES (@p, @h, @l, 'openvswitch', NULL)",
                ("@p", port), ("@h", host), ("@l", level));

        public void Dispose()
        {
            try { Exec($"DROP DATABASE IF EXISTS `{Nova}`"); } catch (MySqlException) { }
            try { Exec($"DROP DATABASE IF EXISTS `{Neutron}`"); } catch (MySqlException) { }
        }
    }
}
