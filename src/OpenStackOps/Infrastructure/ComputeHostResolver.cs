using System.Management.Automation;
using OpenStackOps.Compute.Nodes;
using OpenStackOps.Compute.Services;

namespace OpenStackOps.Infrastructure
{
    /// <summary>
    /// Resolves host names an operator typed or piped against the nova-compute services, which it lists once
    /// per cmdlet invocation however many names come down the pipeline. Every cmdlet that takes a compute host
    /// reports a name it cannot resolve from here, with one id for each reason: ComputeNodeNotFound
    /// (ObjectNotFound) when no host has the name, ComputeNodeNameAmbiguous (InvalidArgument, the candidates in
    /// the message) when it is the short name of several hosts; the target is the name as given.
    /// </summary>
    internal sealed class ComputeHostResolver
    {
        private readonly OpenStackCmdlet _cmdlet;
        private readonly System.Func<IReadOnlyList<ComputeService>> _list;
        private IReadOnlyList<ComputeService>? _services;

        public ComputeHostResolver(OpenStackCmdlet cmdlet, System.Func<IReadOnlyList<ComputeService>> listServices)
        {
            _cmdlet = cmdlet;
            _list = listServices;
        }

        public IReadOnlyList<ComputeService> Services => _services ?? (_services = _list());

        /// <summary>The service for <paramref name="typed"/>, or null after writing the error that says why not.</summary>
        public ComputeService? Resolve(string typed)
        {
            var service = Find(typed, out ErrorRecord? error, null);
            if (service == null) _cmdlet.WriteError(error);
            return service;
        }

        /// <summary>The service for <paramref name="typed"/>, or a terminating error: "Cannot <paramref name="cannot"/> '<paramref name="typed"/>': why".</summary>
        public ComputeService ResolveOrStop(string typed, string cannot)
        {
            var service = Find(typed, out ErrorRecord? error, cannot);
            if (service == null) _cmdlet.ThrowTerminatingError(error);
            return service!; // ThrowTerminatingError above does not return
        }

        /// <summary>The service for <paramref name="typed"/>, or null and why not (for a warning).</summary>
        public ComputeService? Find(string typed, out string? problem)
        {
            var service = Find(typed, out ErrorRecord? error, null);
            problem = error?.Exception.Message;
            return service;
        }

        private ComputeService? Find(string typed, out ErrorRecord? error, string? cannot)
        {
            var hosts = Match(typed, Services.Select(s => s.Host), out error, cannot);
            return hosts.Count == 0 ? null : Services.First(s => s.Host == hosts[0]);
        }

        /// <summary>
        /// The hosts among <paramref name="hosts"/> that <paramref name="typed"/> names (exactly, or as the unique short
        /// name); none, with the ComputeNodeNotFound or ComputeNodeNameAmbiguous record to write, when it names none.
        /// </summary>
        public static IReadOnlyList<string> Match(string typed, IEnumerable<string> hosts, out ErrorRecord? error, string? cannot = null)
        {
            var found = HostNameMatcher.Resolve(typed, hosts, out string? problem, out IReadOnlyList<string> candidates);
            error = found.Count > 0 ? null : ErrorRecords.Make(
                (cannot == null ? "" : $"Cannot {cannot} '{typed}': ") + problem + " Run Get-ComputeNode to list the hosts.",
                candidates.Count > 0 ? "ComputeNodeNameAmbiguous" : "ComputeNodeNotFound",
                candidates.Count > 0 ? ErrorCategory.InvalidArgument : ErrorCategory.ObjectNotFound, typed);
            return found;
        }

        /// <summary>Replaces the cached service after an update so later records see the new state.</summary>
        public void Update(ComputeService updated)
        {
            _services = Services.Select(s => s.Host == updated.Host && s.Binary == updated.Binary ? updated : s).ToList();
        }
    }
}
