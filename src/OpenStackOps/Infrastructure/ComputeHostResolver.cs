using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Resolves host names an operator typed or piped against the nova-compute services, which it lists once
    /// per cmdlet invocation however many names come down the pipeline.
    /// </summary>
    internal sealed class ComputeHostResolver
    {
        private readonly OpenStackCmdlet _cmdlet;
        private readonly System.Func<IReadOnlyList<ComputeService>> _list;
        private IReadOnlyList<ComputeService> _services;

        public ComputeHostResolver(OpenStackCmdlet cmdlet, System.Func<IReadOnlyList<ComputeService>> listServices)
        {
            _cmdlet = cmdlet;
            _list = listServices;
        }

        public IReadOnlyList<ComputeService> Services => _services ?? (_services = _list());

        /// <summary>The service for <paramref name="typed"/>, or null after writing a ComputeNodeNotFound error.</summary>
        public ComputeService Resolve(string typed)
        {
            var service = Find(typed, out string problem);
            if (service == null)
                _cmdlet.WriteError(ErrorRecords.Make(problem + " Run Get-ComputeNode to list the hosts.",
                    "ComputeNodeNotFound", ErrorCategory.ObjectNotFound, typed));
            return service;
        }

        /// <summary>The service for <paramref name="typed"/>, or a terminating ObjectNotFound error: "Cannot <paramref name="cannot"/> '<paramref name="typed"/>': why".</summary>
        public ComputeService FindOrStop(string typed, string cannot, string errorId)
        {
            var service = Find(typed, out string problem);
            if (service == null)
                _cmdlet.ThrowTerminatingError(ErrorRecords.Make($"Cannot {cannot} '{typed}': {problem} Run Get-ComputeNode to list the hosts.",
                    errorId, ErrorCategory.ObjectNotFound, typed));
            return service;
        }

        /// <summary>The service for <paramref name="typed"/>, or null and why not.</summary>
        public ComputeService Find(string typed, out string problem)
        {
            var hosts = HostNameMatcher.Resolve(typed, Services.Select(s => s.Host), out problem);
            return hosts.Count == 0 ? null : Services.First(s => s.Host == hosts[0]);
        }

        /// <summary>Replaces the cached service after an update so later records see the new state.</summary>
        public void Update(ComputeService updated)
        {
            _services = Services.Select(s => s.Host == updated.Host && s.Binary == updated.Binary ? updated : s).ToList();
        }
    }
}
