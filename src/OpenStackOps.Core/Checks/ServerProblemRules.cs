using System.Globalization;
using OpenStackOps.Compute.Migrations;
using OpenStackOps.Compute.Servers;
using OpenStackOps.Placement;

namespace OpenStackOps.Checks
{
    /// <summary>
    /// The daily "instances in a failed or weird state" check as rules over what was read: each rule says what is
    /// wrong in nova's or placement's words and what the operator does next. Pure, so every case is a unit test.
    /// </summary>
    public static class ServerProblemRules
    {
        /// <summary>Migration statuses that are not an end state (finished = a resize waiting for confirmation).</summary>
        private static readonly HashSet<string> Open = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            MigrationStatuses.Accepted, MigrationStatuses.Queued, MigrationStatuses.Preparing, MigrationStatuses.Running,
            MigrationStatuses.PostMigrating, "pre-migrating", "migrating", MigrationStatuses.Finished, MigrationStatuses.Confirming,
        };

        /// <summary>The statuses the finder asks nova for: every open one, and error.</summary>
        public static IReadOnlyCollection<string> OpenOrFailedStatuses => Open.Concat(new[] { MigrationStatuses.Error }).ToList();

        public static IReadOnlyList<ServerProblem> Judge(ServerCheckFacts facts, TimeSpan stuckAfter)
        {
            var problems = new List<ServerProblem>();
            var services = facts.ComputeServices.GroupBy(s => s.Host, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var openByServer = facts.OpenOrFailedMigrations.Where(m => Open.Contains(m.Status ?? "")).ToLookup(m => m.InstanceUuid, StringComparer.OrdinalIgnoreCase);

            foreach (var s in facts.Servers)
            {
                if (string.Equals(s.Status, "ERROR", StringComparison.OrdinalIgnoreCase))
                    problems.Add(Problem(s, ServerProblemKind.Error, s.FaultAt ?? s.Updated,
                        s.Fault != null ? "nova's fault: " + s.Fault : "ERROR with no fault recorded (set by a reset-state, or nova lost the reason)",
                        ErrorNextStep(s)));

                var age = facts.Now - (s.Updated ?? facts.Now);
                if (!string.IsNullOrEmpty(s.TaskState) && age > stuckAfter)
                    problems.Add(Problem(s, ServerProblemKind.StuckTask, s.Updated,
                        $"task_state '{s.TaskState}' unchanged for {Duration(age)}" + (openByServer[s.Id].Any() ? $", with {openByServer[s.Id].First()} open" : ""),
                        $"Check that nova-compute on '{s.Host}' is up and read the server's last action (openstack server event list {s.Id}). If the work is lost: openstack server set --state active {s.Id}, then a hard reboot."));

                string? mismatch = PowerMismatch(s);
                if (mismatch != null)
                    problems.Add(Problem(s, ServerProblemKind.PowerMismatch, s.Updated, mismatch,
                        $"nova-compute on '{s.Host}' corrects this on its next power-state sync unless it is down; if it persists, check the hypervisor, then start, stop or hard-reboot the server to agree with what it should be."));

                if (s.Host != null && services.TryGetValue(s.Host, out var service))
                {
                    if (service.ForcedDown)
                        problems.Add(Problem(s, ServerProblemKind.OnForcedDownHost, service.UpdatedAt,
                            $"its host '{s.Host}' is forced down (fenced)" + (service.DisabledReason != null ? $": {service.DisabledReason}" : ""),
                            $"Evacuate it: Invoke-NodeEvacuation -ComputeNode '{s.Host}'."));
                    else if (string.Equals(service.State, "down", StringComparison.OrdinalIgnoreCase))
                        problems.Add(Problem(s, ServerProblemKind.OnDownHost, service.UpdatedAt,
                            $"nova-compute on its host '{s.Host}' is down (last report {Time(service.UpdatedAt)})",
                            $"Find out whether the node is alive (Get-ComputeNodeHealth '{s.Host}'): restart nova-compute if it is, or fence it and Invoke-NodeEvacuation -ComputeNode '{s.Host}' -ForceDown -Fenced if it is dead."));
                }
            }

            var servers = facts.Servers.GroupBy(s => s.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var m in facts.OpenOrFailedMigrations.Where(m => Open.Contains(m.Status ?? "")))
            {
                var age = facts.Now - (m.UpdatedAt ?? m.CreatedAt ?? facts.Now);
                if (age <= stuckAfter) continue;
                servers.TryGetValue(m.InstanceUuid ?? "", out var s);
                bool resize = MigrationStatuses.Is(m.Status, MigrationStatuses.Finished);
                // A cold migration or resize is 'pre-migrating' from the conductor's record until the destination's
                // nova-compute takes prep_resize and writes itself in: with no destination, that host never took it.
                bool untaken = string.IsNullOrEmpty(m.DestCompute);
                problems.Add(Problem(s, ServerProblemKind.MigrationStuck, m.UpdatedAt ?? m.CreatedAt,
                    untaken
                        ? $"{m.MigrationType ?? "migration"} {m.Id} from '{m.SourceCompute}' is '{m.Status}' for {Duration(age)}: no destination's nova-compute has taken it"
                        : $"{m.MigrationType ?? "migration"} {m.Id} from '{m.SourceCompute}' to '{m.DestCompute}' is '{m.Status}' for {Duration(age)}",
                    resize
                        ? $"A resize waits for confirmation: openstack server resize confirm {m.InstanceUuid} (or revert)."
                        : untaken
                            ? $"The scheduler chose a destination whose nova-compute does not take requests (hung, or down since): find it in the request's lines (openstack server event list {m.InstanceUuid}, then Find-RequestTrace) and check it (Get-ComputeNode | Test-ComputeNodeHealth); once it runs again it goes on. If that node is lost: openstack server set --state active {m.InstanceUuid} to end the task."
                            : $"Check nova-compute on '{m.SourceCompute}' and '{m.DestCompute}'; a live migration can be aborted (openstack server migration abort {m.InstanceUuid} {m.Id}); one whose hosts died stays open until the server is reset and evacuated.",
                    m.InstanceUuid, m.Id));
            }

            if (facts.Allocations != null)
                JudgeAllocations(facts, servers, problems);
            // Worst first (the kinds' order), then by server: the same facts always read the same.
            return problems.OrderBy(p => p.KindValue).ThenBy(p => p.ServerName ?? p.ServerId, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static void JudgeAllocations(ServerCheckFacts facts, Dictionary<string, Server> servers, List<ServerProblem> problems)
        {
            var migrations = facts.OpenOrFailedMigrations.Where(m => m.Uuid != null).GroupBy(m => m.Uuid, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var openServers = new HashSet<string>(facts.OpenOrFailedMigrations.Where(m => Open.Contains(m.Status ?? "")).Select(m => m.InstanceUuid ?? ""), StringComparer.OrdinalIgnoreCase);
            // Judge calls this only when placement was read (Allocations set).
            var byConsumer = facts.Allocations!.ToLookup(a => a.ConsumerUuid, StringComparer.OrdinalIgnoreCase);

            foreach (var group in byConsumer)
            {
                if (servers.TryGetValue(group.Key, out var s))
                {
                    // A server in a migration legitimately holds the destination's share while its migration holds the source's.
                    if (openServers.Contains(s.Id) || s.HypervisorHostname == null) continue;
                    foreach (var a in group.Where(a => !string.Equals(a.ProviderName, s.HypervisorHostname, StringComparison.OrdinalIgnoreCase)))
                        problems.Add(Problem(s, ServerProblemKind.AllocationElsewhere, null,
                            $"placement holds {a.ResourcesText} for it on '{a.ProviderName}' while it runs on '{s.HypervisorHostname}'",
                            $"Make placement agree: nova-manage placement heal_allocations --instance {s.Id} --force (or delete the allocation on '{a.ProviderName}' and heal)."));
                }
                else if (migrations.TryGetValue(group.Key, out var m))
                {
                    if (Open.Contains(m.Status ?? "")) continue;
                    servers.TryGetValue(m.InstanceUuid ?? "", out var owner);
                    foreach (var a in group)
                        problems.Add(Problem(owner, ServerProblemKind.MigrationHoldsResources, m.UpdatedAt,
                            $"failed {m.MigrationType ?? "migration"} {m.Id} ('{m.Status}') still holds {a.ResourcesText} on '{a.ProviderName}'",
                            $"Free it: openstack resource provider allocation delete {m.Uuid} (after checking the server runs where nova says).",
                            m.InstanceUuid, m.Id));
                }
                else
                {
                    foreach (var a in group)
                        problems.Add(new ServerProblem
                        {
                            KindValue = ServerProblemKind.OrphanAllocation, ServerId = group.Key, Host = a.ProviderName,
                            Reason = $"placement holds {a.ResourcesText} on '{a.ProviderName}' for {group.Key}, which is no server and no open migration nova lists (a deleted server's or a finished migration's leftover)",
                            NextStep = $"nova-manage placement audit --resource_provider {a.ProviderUuid} --verbose, then --delete; or openstack resource provider allocation delete {group.Key}.",
                        });
                }
            }

            var allocated = new HashSet<string>(byConsumer.Select(g => g.Key), StringComparer.OrdinalIgnoreCase);
            foreach (var s in facts.Servers)
                if (s.Host != null && !allocated.Contains(s.Id) && !string.Equals(s.Status, "ERROR", StringComparison.OrdinalIgnoreCase) && !openServers.Contains(s.Id))
                    problems.Add(Problem(s, ServerProblemKind.AllocationMissing, null,
                        $"it runs on '{s.HypervisorHostname ?? s.Host}' but placement holds nothing for it there: the scheduler counts that space as free",
                        $"nova-manage placement heal_allocations --instance {s.Id}."));
        }

        private static string? PowerMismatch(Server s)
        {
            if (!string.IsNullOrEmpty(s.TaskState)) return null;     // a task in flight changes both
            if (string.Equals(s.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase) && s.Power != Compute.Servers.PowerState.Running)
                return $"status ACTIVE but the hypervisor reports power state {s.PowerState}";
            if (string.Equals(s.Status, "SHUTOFF", StringComparison.OrdinalIgnoreCase) && s.Power == Compute.Servers.PowerState.Running)
                return "status SHUTOFF but the hypervisor reports it Running";
            return null;
        }

        private static string ErrorNextStep(Server s)
        {
            if (s.Fault != null && s.Fault.IndexOf("No valid host", StringComparison.OrdinalIgnoreCase) >= 0)
                return "The scheduler found no host that fits: check free capacity (Get-ComputeNode) and the flavor, then rebuild or recreate the server.";
            return $"Read the failing action and its request id (openstack server event list {s.Id}); once the cause is fixed: openstack server set --state active {s.Id}, then a hard reboot.";
        }

        private static ServerProblem Problem(Server? s, ServerProblemKind kind, DateTimeOffset? since, string reason, string next, string? id = null, long? migration = null)
            => new ServerProblem
            {
                KindValue = kind, ServerId = s?.Id ?? id, ServerName = s?.Name, ProjectId = s?.ProjectId, Host = s?.Host,
                Status = s?.Status, TaskState = s?.TaskState, PowerState = s?.PowerState, MigrationId = migration,
                Since = since, Reason = reason, NextStep = next,
            };

        internal static string Duration(TimeSpan t)
        {
            if (t.TotalDays >= 1) return $"{(int)t.TotalDays} d {t.Hours} h";
            if (t.TotalHours >= 1) return $"{(int)t.TotalHours} h {t.Minutes} min";
            if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes} min {t.Seconds} s";
            return $"{(int)t.TotalSeconds} s";
        }

        private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
    }
}
