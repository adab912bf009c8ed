using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using Xunit;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>
    /// The local development cloud that tools/devcloud/up.sh starts (real keystone, nova, neutron, cinder...),
    /// and independent ways to look at it: the real `openstack` CLI and nova's database.
    /// </summary>
    public static class Devcloud
    {
        public static string Directory => Environment.GetEnvironmentVariable("DEVCLOUD_DIR") ?? "/tmp/osops-devcloud";
        public static string CloudsYaml => Path.Combine(Directory, "clouds.yaml");
        /// <summary>Every compute host of the devcloud: c01-c03 and the spare c04 (registered, disabled at rest).</summary>
        public static readonly string[] ComputeHosts = { "c01.example.com", "c02.example.com", "c03.example.com", "c04.example.com" };
        /// <summary>The 4th compute host (tools/devcloud/lib/spare.sh): disabled with <see cref="SpareReason"/> except while a test that needs it runs.</summary>
        public const string SpareHost = "c04.example.com";
        public const string SpareReason = "devcloud spare: enabled by the tests that need a 4th host";
        /// <summary>nova's service_down_time in the devcloud (tools/devcloud/lib/configs.sh; nova's default is 60).</summary>
        public const int ServiceDownTimeSeconds = 30;

        /// <summary>The computes' scheduler_instance_sync_interval in the devcloud (tools/devcloud/lib/nodes.sh; nova's default is 120).</summary>
        public const int SchedulerInstanceSyncSeconds = 60;

        /// <summary>Fails the test with what to do when the devcloud is not up (the test command starts it).</summary>
        public static void RequireUp()
        {
            Assert.True(File.Exists(CloudsYaml), $"The devcloud is not up ({CloudsYaml} missing): run tools/devcloud/up.sh, or the whole tools/test.sh.");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                http.GetAsync("http://127.0.0.1:8774/").GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Assert.Fail("The devcloud's nova API does not answer on 127.0.0.1:8774 (" + e.Message + "): run tools/devcloud/up.sh.");
            }
        }

        /// <summary>A runspace with the module imported and connected to the devcloud as admin.</summary>
        public static PowerShellHost Connected()
        {
            RequireUp();
            var host = new PowerShellHost();
            host.Run(ConnectScript).ThrowOnErrors();
            return host;
        }

        public static string ConnectScript => $"Connect-OpenStack -Cloud devcloud -CloudsYamlPath '{CloudsYaml}'";

        /// <summary>Runs Debian's openstack CLI as the devcloud admin (never the pyenv python on PATH).</summary>
        public static string OpenStackCli(string arguments)
        {
            var env = new[] { ("OS_CLIENT_CONFIG_FILE", CloudsYaml), ("OS_CLOUD", "devcloud"), ("OS_COMPUTE_API_VERSION", "2.90") };
            var timer = Stopwatch.StartNew();
            var answer = OpenStackCliServer.TryRun(arguments, env);
            if (answer == null) return RunProcess("/usr/bin/openstack", arguments, env);
            LogTiming(timer, "openstack(server)", arguments);
            if (answer.Value.ExitCode != 0) throw new InvalidOperationException($"/usr/bin/openstack {arguments} exited {answer.Value.ExitCode}: {answer.Value.Stderr}");
            return answer.Value.Stdout;
        }

        /// <summary>A query against the devcloud's MariaDB, as the openstack DB user over loopback.</summary>
        public static string[] Sql(string query)
        {
            string output = RunProcess("/usr/bin/mariadb", "-h127.0.0.1 -P3306 -uopenstack -posrig-db -N -B -e \"" + query.Replace("\"", "\\\"") + "\"");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();
        }

        /// <summary>Polls a condition of the devcloud every 2 s until it holds; a timeout names what was awaited.</summary>
        public static void WaitFor(Func<bool> condition, string what, int seconds = 120)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"waited {seconds} s for {what}");
                System.Threading.Thread.Sleep(2000);
            }
        }

        /// <summary>
        /// Deletes servers by id and waits until nova has deleted them all: one CLI call for all of them (the CLI's
        /// own --wait deletes and waits one server at a time), then nova's database polled until none is left.
        /// </summary>
        public static void DeleteServers(params string[] ids)
        {
            ids = ids.Where(id => !string.IsNullOrEmpty(id)).ToArray();
            if (ids.Length == 0) return;
            OpenStackCli("server delete " + string.Join(" ", ids));
            string list = string.Join(",", ids.Select(id => $"'{Guid.Parse(id)}'"));
            WaitFor(() => Sql($"select count(*) from nova.instances where uuid in ({list}) and deleted=0").Single() == "0",
                    $"nova to delete {ids.Length} server(s)", 300);
        }

        /// <summary>
        /// Puts the seeded servers of a node (seed.json) back on it after a test evacuated them elsewhere: a cold
        /// migration with a target host, confirmed, so later tests and the smoke checks find the seeded layout.
        /// </summary>
        public static void ReturnSeededServersTo(string node)
        {
            string seed = Path.Combine(Directory, "seed.json");
            if (!File.Exists(seed)) return;
            string fqdn = node + ".example.com";
            foreach (var s in System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(seed))["servers"].AsArray())
            {
                if ((string)s["host"] != fqdn) continue;
                string id = (string)s["id"];
                if (OpenStackCli($"server show {id} -f value -c OS-EXT-SRV-ATTR:host").Trim() == fqdn) continue;
                OpenStackCli($"server migrate --host {fqdn} --wait {id}");
                OpenStackCli($"server resize confirm {id}");
                // The confirm is asynchronous: until nova-compute has done it the server is still "resized" (VERIFY_RESIZE),
                // and the next test would find a server nova does not evacuate or migrate (a CI run was cut by it).
                WaitFor(() => Sql($"select concat(host, ' ', vm_state, ' ', coalesce(task_state, '-')) from nova.instances where uuid='{id}'").Single() is string row
                              && row.StartsWith(fqdn + " ") && !row.Contains("resized") && row.EndsWith(" -"),
                        $"{s["name"]} to be back on {fqdn}, its resize confirmed", 120);
            }
        }

        /// <summary>Puts the spare c04 in service for a test that needs a 4th host; <see cref="ParkSpare"/> in its finally.</summary>
        public static void EnableSpare()
        {
            Assert.True(Sql($"select disabled_reason from nova.services where host='{SpareHost}' and `binary`='nova-compute' and deleted=0").SingleOrDefault() == SpareReason,
                $"The devcloud has no parked spare {SpareHost} (or a test left it enabled): run tools/devcloud/up.sh, which adds it.");
            OpenStackCli($"compute service set --enable {SpareHost} nova-compute");
        }

        /// <summary>The spare c04 disabled again with its reason, as tools/devcloud/up.sh leaves it.</summary>
        public static void ParkSpare() => OpenStackCli($"compute service set --disable --disable-reason \"{SpareReason}\" {SpareHost} nova-compute");

        /// <summary>The cinder CLI as the devcloud's admin (its openrc): for what the openstack CLI does not show (quota usage).</summary>
        public static string CinderCli(string arguments)
            => RunProcess("/bin/bash", "-c \". '" + Path.Combine(Directory, "openrc") + "' && exec cinder " + arguments + "\"");

        /// <summary>The lab's power switch for a fake host's nova-compute (tools/devcloud/compute-ctl.sh stop|start|kill c01).</summary>
        public static string ComputeCtl(string verb, string node)
            => RunProcess("/bin/bash", $"{System.IO.Path.Combine(ModulePaths.RepositoryRoot, "tools", "devcloud", "compute-ctl.sh")} {verb} {node}", ("DEVCLOUD_DIR", Directory));

        private static void LogTiming(Stopwatch timer, string what, string arguments)
        {
            string timing = Environment.GetEnvironmentVariable("OSOPS_CLI_TIMING");
            if (timing != null) File.AppendAllText(timing, $"{DateTime.UtcNow:HH:mm:ss} {timer.Elapsed.TotalSeconds:0.00} {what} {arguments}\n");
        }

        /// <summary>Debian's python and tools, never a pyenv one on PATH, with the given environment on top.</summary>
        internal static void UseDebianPython(ProcessStartInfo psi, (string, string)[] env)
        {
            psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
            psi.Environment.Remove("PYTHONPATH");
            foreach (var (k, v) in env) psi.Environment[k] = v;
        }

        private static string RunProcess(string file, string arguments, params (string, string)[] env)
        {
            var psi = new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            UseDebianPython(psi, env);
            var timer = Stopwatch.StartNew();
            using var p = Process.Start(psi);
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException(file + " " + arguments); }
            LogTiming(timer, Path.GetFileName(file), arguments);
            if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} exited {p.ExitCode}: {stderr}");
            return stdout;
        }
    }
}
