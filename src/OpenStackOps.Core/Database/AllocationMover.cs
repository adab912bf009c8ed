using OpenStackOps.Http;
using OpenStackOps.Placement;

namespace OpenStackOps.Database
{
    /// <summary>
    /// Moves the servers' placement allocations from the failed node's resource provider to the destination's, as
    /// part of the database path: planned with the rows (pre-images and consumer generations read), applied after the
    /// databases committed, each PUT quoting the generation it read (so a change placement saw meanwhile is refused,
    /// never overwritten), checked by reading back, undone from the journal's pre-images.
    /// </summary>
    public sealed class AllocationMover
    {
        private readonly PlacementClient _placement;

        public AllocationMover(PlacementClient placement) => _placement = placement ?? throw new ArgumentNullException(nameof(placement));

        /// <summary>
        /// Adds to <paramref name="plan"/> each instance's allocation move: the providers named after the instance's node
        /// and after the destination node, the allocation read. A destination placement does not know, or an allocation
        /// that already holds the destination, blocks the plan; an instance with nothing on its node's provider is a warning.
        /// </summary>
        public async Task PlanAsync(DatabaseRecoveryPlan plan, CancellationToken ct)
        {
            if (plan.Instances.Count == 0 || plan.IsBlocked) return;
            var providers = (await _placement.ListProvidersAsync(ct).ConfigureAwait(false))
                .GroupBy(p => p.Name ?? "", StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            if (!providers.TryGetValue(plan.DestinationNode ?? "", out var destination))
            {
                plan.Problems.Add(new RecoveryProblem
                {
                    Kind = RecoveryProblemKind.PlacementProviderMissing, Target = plan.DestinationNode,
                    Message = $"placement has no resource provider named '{plan.DestinationNode}' (the destination's node): the servers' allocations could not move with their rows. Check that nova-compute on '{plan.Destination}' runs and reports to placement (openstack resource provider list).",
                });
                return;
            }
            foreach (var instance in plan.Instances)
            {
                string label = (instance.DisplayName ?? instance.Uuid) + $" ({instance.Uuid})";
                if (instance.Node == null || !providers.TryGetValue(instance.Node, out var source))
                {
                    plan.Warnings.Add($"{label}: placement has no resource provider named '{instance.Node}' (its node): its allocation, if any, is left as it is.");
                    continue;
                }
                var held = await _placement.GetConsumerAllocationsAsync(instance.Uuid, ct).ConfigureAwait(false);
                if (!held.Providers.TryGetValue(source.Uuid, out var onSource))
                {
                    plan.Warnings.Add($"{label}: no placement allocation on '{source.Name}' ({ConsumerAllocations.Text(held.Providers)}): placement is left as it is.");
                    continue;
                }
                if (held.Providers.ContainsKey(destination.Uuid))
                {
                    plan.Problems.Add(new RecoveryProblem
                    {
                        Kind = RecoveryProblemKind.PlacementAllocationOnDestination, Target = instance.Uuid,
                        Message = $"{label} already holds an allocation on '{destination.Name}' as well as on '{source.Name}' (an unfinished migration's?): moving it would double it. Look at it with openstack resource provider allocation show {instance.Uuid}.",
                    });
                    continue;
                }
                var after = held.Providers.Where(p => p.Key != source.Uuid).ToDictionary(p => p.Key, p => new Dictionary<string, long>(p.Value));
                after[destination.Uuid] = new Dictionary<string, long>(onSource);
                plan.Allocations.Add(new AllocationMove
                {
                    ConsumerUuid = instance.Uuid, ProjectId = held.ProjectId, UserId = held.UserId, ConsumerGeneration = held.ConsumerGeneration,
                    SourceProvider = source.Uuid, SourceProviderName = source.Name, DestinationProvider = destination.Uuid, DestinationProviderName = destination.Name,
                    Before = held.Providers, After = after,
                });
            }
        }

        /// <summary>
        /// PUTs each move's After with the generation read at plan time, marking it Moved and calling <paramref name="save"/>
        /// after each, then reads each back. Throws at the first refusal or difference; <see cref="UndoAsync"/> then puts back
        /// the ones already moved.
        /// </summary>
        public async Task ApplyAsync(IReadOnlyList<AllocationMove> moves, Action save, CancellationToken ct)
        {
            foreach (var m in moves.Where(m => !m.Moved))
            {
                // PlanAsync makes a move only for a consumer holding allocations, whose project and user placement (1.28) names.
                await _placement.PutConsumerAllocationsAsync(m.ConsumerUuid, m.After, m.ProjectId!, m.UserId!, m.ConsumerGeneration, ct).ConfigureAwait(false);
                m.Moved = true;
                save();
            }
            foreach (var m in moves)
            {
                var now = await _placement.GetConsumerAllocationsAsync(m.ConsumerUuid, ct).ConfigureAwait(false);
                if (!ConsumerAllocations.SameHoldings(now.Providers, m.After))
                    throw new InvalidOperationException($"placement holds {ConsumerAllocations.Text(now.Providers)} for {m.ConsumerUuid} after the move, not {ConsumerAllocations.Text(m.After)}");
            }
        }

        /// <summary>The moved allocations that are no longer as the move left them, as text (empty: all are).</summary>
        public async Task<IReadOnlyList<(string Consumer, string Difference)>> DifferencesAsync(IReadOnlyList<AllocationMove> moves, CancellationToken ct)
        {
            var found = new List<(string, string)>();
            foreach (var m in moves.Where(m => m.Moved))
            {
                var now = await _placement.GetConsumerAllocationsAsync(m.ConsumerUuid, ct).ConfigureAwait(false);
                if (!ConsumerAllocations.SameHoldings(now.Providers, m.After))
                    found.Add((m.ConsumerUuid, $"placement: {m.ConsumerUuid} holds {ConsumerAllocations.Text(now.Providers)}, the move left {ConsumerAllocations.Text(m.After)}"));
            }
            return found;
        }

        /// <summary>
        /// Puts each moved allocation's pre-image back, quoting the generation read just before (the move's own PUT raised
        /// it), and only while placement still holds what the move put there; marks it not Moved and calls <paramref name="save"/>.
        /// </summary>
        public async Task UndoAsync(IReadOnlyList<AllocationMove> moves, Action save, CancellationToken ct)
        {
            foreach (var m in moves.Where(m => m.Moved))
            {
                var now = await _placement.GetConsumerAllocationsAsync(m.ConsumerUuid, ct).ConfigureAwait(false);
                if (!ConsumerAllocations.SameHoldings(now.Providers, m.After))
                    throw new InvalidOperationException($"placement holds {ConsumerAllocations.Text(now.Providers)} for {m.ConsumerUuid}, not what the move put there ({ConsumerAllocations.Text(m.After)}): its pre-image is not written over that");
                await _placement.PutConsumerAllocationsAsync(m.ConsumerUuid, m.Before, m.ProjectId!, m.UserId!, now.ConsumerGeneration, ct).ConfigureAwait(false);
                m.Moved = false;
                save();
            }
        }
    }
}
