namespace OpenStackOps.Database
{
    /// <summary>
    /// Turns a <see cref="RecoverySnapshot"/> into a <see cref="DatabaseRecoveryPlan"/>: the guide's three UPDATEs
    /// narrowed to the instances' own rows, one statement per row with its expected row count, and the checks
    /// that make the guide's edit unsafe (conflicting, INACTIVE, duplicate or stale bindings, levels that do not
    /// match). Pure: no database, so it is unit-tested with rows in memory.
    /// </summary>
    /// <remarks>
    /// nova.instances.node moves with host (newer nova looks instances up by host and node; a host-only edit
    /// leaves them invisible to the destination's resource tracker). instances.launched_on is left alone: nova
    /// writes it once, at first launch, as history, and nothing schedules or looks up by it.
    /// Host comparisons ignore case, as the tables' utf8mb3_general_ci collation does.
    /// </remarks>
    public static class DatabaseRecoveryPlanner
    {
        private static readonly StringComparer Host = StringComparer.OrdinalIgnoreCase;

        public static DatabaseRecoveryPlan Plan(RecoverySnapshot snapshot, RecoveryRequest request, DatabaseTarget target)
            => Plan(snapshot, request, target.NovaDatabase, target.NeutronDatabase, target.Display);

        public static DatabaseRecoveryPlan Plan(RecoverySnapshot snapshot, RecoveryRequest request,
            string novaDatabase = "nova", string neutronDatabase = "neutron", string? server = null)
        {
            if (string.IsNullOrEmpty(request.FailedHost)) throw new ArgumentException("The failed host is required.");
            if (string.IsNullOrEmpty(request.Destination)) throw new ArgumentException("The destination host is required.");
            string failed = request.FailedHost, dest = request.Destination;
            var plan = new DatabaseRecoveryPlan
            {
                FailedHost = failed, Destination = dest, NovaDatabase = novaDatabase, NeutronDatabase = neutronDatabase,
                DatabaseServer = server, PlannedAt = DateTimeOffset.UtcNow, InstanceActionMark = snapshot.InstanceActionMark,
            };

            if (Host.Equals(failed, dest))
                plan.Problems.Add(Problem(RecoveryProblemKind.SameHost, dest, "The destination is the failed host itself."));

            plan.DestinationNode = request.DestinationNode;
            if (plan.DestinationNode == null)
            {
                var nodes = snapshot.DestinationNodes.Distinct().ToList();
                if (nodes.Count == 1) plan.DestinationNode = nodes[0];
                else plan.Problems.Add(Problem(RecoveryProblemKind.DestinationNodeUnknown, dest, nodes.Count == 0
                    ? $"{novaDatabase}.compute_nodes has no undeleted node for host '{dest}': is it a nova-compute host? Name its hypervisor with -DestinationNode."
                    : $"Host '{dest}' has {nodes.Count} compute nodes ({string.Join(", ", nodes)}): name one with -DestinationNode."));
            }

            foreach (var uuid in snapshot.MissingInstances)
                plan.Problems.Add(Problem(RecoveryProblemKind.InstanceNotOnFailedHost, uuid,
                    $"Instance {uuid} is not an undeleted instance on '{failed}'."));

            plan.Instances.AddRange(snapshot.Instances.OrderBy(i => i.Uuid, StringComparer.Ordinal));
            var uuids = new HashSet<string>(plan.Instances.Select(i => i.Uuid), StringComparer.OrdinalIgnoreCase);
            plan.Ports.AddRange(snapshot.Ports.Where(p => uuids.Contains(p.DeviceId)).OrderBy(p => p.Id, StringComparer.Ordinal));

            foreach (var i in plan.Instances.Where(i => !string.IsNullOrEmpty(i.TaskState)))
                plan.Warnings.Add($"Instance {i.Uuid} ({i.DisplayName}) has task_state '{i.TaskState}': an operation was under way when the host failed.");
            if (snapshot.OtherBindingsOnFailedHost > 0)
                plan.Warnings.Add($"{snapshot.OtherBindingsOnFailedHost} other port binding(s) on '{failed}' belong to none of these instances and are left alone.");

            foreach (var port in plan.Ports) CheckPort(plan, snapshot, port, failed, dest);

            BuildStatements(plan, failed, dest);
            return plan;
        }

        private static void CheckPort(DatabaseRecoveryPlan plan, RecoverySnapshot snapshot, PortRow port, string failed, string dest)
        {
            var bindings = snapshot.Bindings.Where(b => b.PortId == port.Id).ToList();
            var levels = snapshot.Levels.Where(l => l.PortId == port.Id).OrderBy(l => l.Level).ToList();
            int before = plan.Problems.Count;
            string who = $"Port {port.Id} of instance {port.DeviceId}";

            if (bindings.Any(b => Host.Equals(b.Host, dest)))
                plan.Problems.Add(Problem(RecoveryProblemKind.DestinationBindingExists, port.Id,
                    $"{who} already has a binding for '{dest}' (status {bindings.First(b => Host.Equals(b.Host, dest)).Status}): moving its '{failed}' binding would collide on (port_id, host). Remove the stale binding (neutron-remove-duplicated-port-bindings) or recover this instance another way."));
            if (bindings.Count > 1)
                plan.Problems.Add(Problem(RecoveryProblemKind.DuplicateBinding, port.Id,
                    $"{who} has {bindings.Count} bindings ({string.Join(", ", bindings.Select(b => $"'{b.Host}' {b.Status}"))}): a live migration was left half done."));
            foreach (var b in bindings.Where(b => !string.Equals(b.Status, "ACTIVE", StringComparison.Ordinal)))
                plan.Problems.Add(Problem(RecoveryProblemKind.InactiveBinding, port.Id,
                    $"{who} has a {b.Status} binding on '{b.Host}'."));
            foreach (var b in bindings.Where(b => b.Host != "" && !Host.Equals(b.Host, failed) && !Host.Equals(b.Host, dest)))
                plan.Problems.Add(Problem(RecoveryProblemKind.StaleBinding, port.Id,
                    $"{who} is bound to '{b.Host}', neither '{failed}' nor unbound: nova and neutron disagree about where it runs."));
            if (plan.Problems.Count > before) return;

            if (bindings.Count == 0)
            {
                if (levels.Count > 0)
                    plan.Problems.Add(Problem(RecoveryProblemKind.InconsistentLevels, port.Id, $"{who} has binding levels but no binding row."));
                else
                    plan.Warnings.Add($"{who} has no ml2_port_bindings row; left alone.");
                return;
            }

            var binding = bindings[0];
            var foreign = levels.Where(l => !Host.Equals(l.Host, binding.Host)).ToList();
            if (foreign.Count > 0)
            {
                plan.Problems.Add(Problem(RecoveryProblemKind.InconsistentLevels, port.Id,
                    $"{who} is bound to '{binding.Host}' but has binding levels on {string.Join(", ", foreign.Select(l => $"'{l.Host}' level {l.Level}"))}."));
                return;
            }
            if (binding.Host == "")
            {
                plan.UnboundPorts.Add(port.Id);
                return;
            }
            bool bound = binding.VifType != "unbound" && binding.VifType != "binding_failed";
            if (bound && levels.Count == 0)
            {
                plan.Problems.Add(Problem(RecoveryProblemKind.InconsistentLevels, port.Id,
                    $"{who} is bound on '{failed}' (vif_type {binding.VifType}) but has no binding levels."));
                return;
            }
            if (levels.Select((l, n) => l.Level == n).Any(ok => !ok))
            {
                plan.Problems.Add(Problem(RecoveryProblemKind.InconsistentLevels, port.Id,
                    $"{who} has binding levels {string.Join(",", levels.Select(l => l.Level))}, not 0..{levels.Count - 1}."));
                return;
            }
            plan.Bindings.Add(binding);
            plan.Levels.AddRange(levels);
        }

        private static void BuildStatements(DatabaseRecoveryPlan plan, string failed, string dest)
        {
            string nova = DatabaseTarget.Quote(plan.NovaDatabase), neutron = DatabaseTarget.Quote(plan.NeutronDatabase);
            foreach (var i in plan.Instances)
                plan.NovaStatements.Add(new PlannedStatement
                {
                    Database = plan.NovaDatabase,
                    Sql = $"UPDATE {nova}.`instances` SET `host` = @dest, `node` = @destNode WHERE `uuid` = @uuid AND `deleted` = 0 AND `host` = @failed AND `node` <=> @oldNode",
                    Parameters = { ["@dest"] = dest, ["@destNode"] = plan.DestinationNode, ["@uuid"] = i.Uuid, ["@failed"] = failed, ["@oldNode"] = i.Node },
                    ExpectedRows = 1,
                });
            foreach (var b in plan.Bindings)
            {
                plan.NeutronStatements.Add(new PlannedStatement
                {
                    Database = plan.NeutronDatabase,
                    Sql = $"UPDATE {neutron}.`ml2_port_bindings` SET `host` = @dest WHERE `port_id` = @port AND `host` = @failed AND `status` = @status",
                    Parameters = { ["@dest"] = dest, ["@port"] = b.PortId, ["@failed"] = failed, ["@status"] = "ACTIVE" },
                    ExpectedRows = 1,
                });
                int levels = plan.Levels.Count(l => l.PortId == b.PortId);
                if (levels > 0)
                    plan.NeutronStatements.Add(new PlannedStatement
                    {
                        Database = plan.NeutronDatabase,
                        Sql = $"UPDATE {neutron}.`ml2_port_binding_levels` SET `host` = @dest WHERE `port_id` = @port AND `host` = @failed",
                        Parameters = { ["@dest"] = dest, ["@port"] = b.PortId, ["@failed"] = failed },
                        ExpectedRows = levels,
                    });
            }
        }

        private static RecoveryProblem Problem(RecoveryProblemKind kind, string target, string message)
            => new RecoveryProblem { Kind = kind, Target = target, Message = message };
    }
}
