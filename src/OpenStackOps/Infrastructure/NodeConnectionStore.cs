using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OpenStackOps.Node.Ssh;

namespace OpenStackOps.Infrastructure
{
    /// <summary>The node connections of each runspace: opened once, reused by every cmdlet, closed with the runspace.</summary>
    internal static class NodeConnectionStore
    {
        private static readonly ConditionalWeakTable<Runspace, NodeConnectionPool> Pools = new ConditionalWeakTable<Runspace, NodeConnectionPool>();

        public static NodeConnectionPool Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace == null) return new NodeConnectionPool();
                return Pools.GetValue(runspace, r =>
                {
                    var pool = new NodeConnectionPool();
                    r.StateChanged += (s, e) =>
                    {
                        if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                            pool.Dispose();
                    };
                    return pool;
                });
            }
        }
    }
}
