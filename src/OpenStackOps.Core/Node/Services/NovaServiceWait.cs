using OpenStackOps.Compute.Services;
using OpenStackOps.Maintenance;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Services
{
    /// <summary>
    /// After nova-compute was stopped or started on a node: waits until nova's service list agrees (down, or up).
    /// Nova notices a stop only after its service_down_time (60 s by default), hence the unhurried polls.
    /// </summary>
    public static class NovaServiceWait
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

        /// <summary>
        /// Polls nova's nova-compute services until the one on <paramref name="host"/> is <paramref name="wanted"/>;
        /// returns that state. <paramref name="onPoll"/> is told each state read and the time waited so far.
        /// </summary>
        public static async Task<string> UntilStateAsync(ServicesApi services, string node, string host, string wanted, TimeSpan timeout,
            Action<ComputeService, TimeSpan>? onPoll, CancellationToken ct, IWaitClock? clock = null)
        {
            var wait = new BoundedWait(clock, timeout, Interval);
            var (service, settled) = await wait.UntilAsync(c => ReadAsync(services, node, host, wait, onPoll, c), s => s.State == wanted, ct).ConfigureAwait(false);
            if (!settled)
                throw new NodeCommandException(NodeErrorKind.Timeout, node,
                    $"nova still reports nova-compute on {service.Host} {service.State} after {timeout.TotalSeconds:0} s (wanted {wanted}).")
                { RecommendedAction = "Check the node with Test-ComputeNodeHealth; nova marks a service down only after service_down_time." };
            return service.State!; // settled: it is the wanted state
        }

        /// <summary>
        /// After a restart: polls until nova reports nova-compute on <paramref name="host"/> up with a heartbeat newer
        /// than <paramref name="before"/> (its updated_at before the restart; nova's own clock, so the client's does not
        /// matter). A service nova still called up from an old heartbeat does not count.
        /// </summary>
        public static async Task<ComputeService> UntilReportingAgainAsync(ServicesApi services, string node, string host, DateTimeOffset? before, TimeSpan timeout,
            Action<ComputeService, TimeSpan>? onPoll, CancellationToken ct, IWaitClock? clock = null)
        {
            var wait = new BoundedWait(clock, timeout, Interval);
            var (service, settled) = await wait.UntilAsync(c => ReadAsync(services, node, host, wait, onPoll, c), s => s.State == "up" && s.UpdatedAt != null && (before == null || s.UpdatedAt > before), ct).ConfigureAwait(false);
            if (!settled)
                throw new NodeCommandException(NodeErrorKind.Timeout, node,
                    $"nova has no new report from nova-compute on {service.Host} after {timeout.TotalSeconds:0} s (state {service.State}, last heartbeat {service.UpdatedAt:u}).")
                { RecommendedAction = "Check the node with Test-ComputeNodeHealth (its AMQP lines and the end of nova-compute.log) and the control plane with Test-ControlPlaneHealth." };
            return service;
        }

        /// <summary>One poll: the nova-compute service on <paramref name="host"/> as nova lists it, told to <paramref name="onPoll"/>.</summary>
        private static async Task<ComputeService> ReadAsync(ServicesApi services, string node, string host, BoundedWait wait,
            Action<ComputeService, TimeSpan>? onPoll, CancellationToken ct)
        {
            var listed = await services.ListAsync(null, ComputeServiceControl.Unit, ct).ConfigureAwait(false);
            var found = listed.FirstOrDefault(s => s.Host == host)
                ?? throw new NodeCommandException(NodeErrorKind.NotFound, node, $"nova no longer lists a nova-compute on {host}.");
            onPoll?.Invoke(found, wait.Elapsed);
            return found;
        }
    }
}
