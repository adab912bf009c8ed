using System;
using System.Linq;
using OpenStackOps.Module.Tests.Infrastructure;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// A batch of servers on one devcloud node for a chaos test, created and deleted directly (CLI, not through the
    /// proxy), and nova's own account of them: host, state, and how many migrations and actions of a kind it recorded.
    /// The admin project's instance quota (10) is raised for the batch and put back afterwards.
    /// </summary>
    public sealed class ChaosServers : IDisposable
    {
        private readonly string _quotaBefore;
        private readonly string _coresBefore;

        private readonly int _count;
        private readonly string _node;

        /// <summary>Asks nova for the batch; <paramref name="wait"/> false lets a second batch boot beside it (<see cref="WaitActive"/>).</summary>
        public ChaosServers(string node, int count, bool wait = true)
        {
            _node = node;
            _count = count;
            Prefix = "osops-chaos-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            var quota = System.Text.Json.Nodes.JsonNode.Parse(Cloud.OpenStackCli("quota show admin -f json"));
            _quotaBefore = quota["instances"].ToString();
            _coresBefore = quota["cores"].ToString();
            // Room for this batch and whatever the other devcloud tests create meanwhile.
            Cloud.OpenStackCli($"quota set --instances {Math.Max(int.Parse(_quotaBefore), 64)} --cores {Math.Max(int.Parse(_coresBefore), 64)} admin");
            Cloud.OpenStackCli($"server create --flavor m1.tiny --image cirros-fake --network public --availability-zone nova:{node}.example.com --min {count} --max {count} {Prefix}");
            if (wait) WaitActive();
        }

        /// <summary>Waits for the whole batch to be ACTIVE; nova writes the instances only once scheduled, so the ids are read then.</summary>
        public void WaitActive()
        {
            Cloud.WaitFor(() => Count("vm_state='active'") == _count, $"{_count} servers to be ACTIVE on {_node}", 300);
            Ids = Cloud.Sql($"select uuid from nova.instances where display_name like '{Prefix}-%' and deleted=0");
        }

        public string Prefix { get; }
        public string[] Ids { get; private set; } = Array.Empty<string>();

        private int Count(string where) => int.Parse(Cloud.Sql($"select count(*) from nova.instances where display_name like '{Prefix}-%' and deleted=0 and {where}").Single());

        public string Host(string id) => Cloud.Sql($"select host from nova.instances where uuid='{id}'").Single();
        public string VmState(string id) => Cloud.Sql($"select vm_state from nova.instances where uuid='{id}'").Single();
        public int Migrations(string id, string type) => int.Parse(Cloud.Sql($"select count(*) from nova.migrations where instance_uuid='{id}' and migration_type='{type}'").Single());
        public int Actions(string id, string action) => int.Parse(Cloud.Sql($"select count(*) from nova.instance_actions where instance_uuid='{id}' and action='{action}'").Single());

        public void Dispose()
        {
            try { Cloud.DeleteServers(Cloud.Sql($"select uuid from nova.instances where display_name like '{Prefix}-%' and deleted=0")); }
            catch (Exception) { }
            try { Cloud.OpenStackCli($"quota set --instances {_quotaBefore} --cores {_coresBefore} admin"); }
            catch (Exception) { }
        }
    }
}
