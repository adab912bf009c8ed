using MySqlConnector;

namespace OpenStackOps.Database
{
    /// <summary>
    /// The MySQL side of the database recovery: reads the rows a plan needs, applies a plan (journal first, then
    /// one transaction per database, nova then neutron, each statement's row count checked), and replays a
    /// journal's pre-images. Every value travels as a parameter; only the checked schema names are in the SQL.
    /// </summary>
    public sealed class DatabaseRecoveryStore
    {
        private readonly DatabaseTarget _target;

        public DatabaseRecoveryStore(DatabaseTarget target) => _target = target ?? throw new ArgumentNullException(nameof(target));

        /// <summary>Optional sink for progress lines (no secrets are ever written to it).</summary>
        public Action<string>? Log { get; set; }

        public DatabaseTarget Target => _target;

        /// <summary>
        /// Placement, for plans and journals that move the servers' allocations with their rows; null leaves placement
        /// alone (a plan made without it has no allocation moves; a journal with moved allocations then cannot be restored).
        /// </summary>
        public AllocationMover? Placement { get; set; }

        /// <summary>Reads the rows and plans; the plan may be blocked (see <see cref="DatabaseRecoveryPlan.Problems"/>).</summary>
        public async Task<DatabaseRecoveryPlan> PlanAsync(RecoveryRequest request, CancellationToken ct)
        {
            var snapshot = await ReadAsync(request, ct).ConfigureAwait(false);
            var plan = DatabaseRecoveryPlanner.Plan(snapshot, request, _target);
            if (Placement != null) await Placement.PlanAsync(plan, ct).ConfigureAwait(false);
            return plan;
        }

        public async Task<RecoverySnapshot> ReadAsync(RecoveryRequest request, CancellationToken ct)
        {
            string nova = DatabaseTarget.Quote(_target.NovaDatabase), neutron = DatabaseTarget.Quote(_target.NeutronDatabase);
            var s = new RecoverySnapshot();
            var wanted = (request.InstanceUuids ?? new string[0]).Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            using (var conn = await OpenAsync(ct).ConfigureAwait(false))
            {
                await Guard(async () =>
                {
                    using (var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false))
                    {
                        var cmd = Command(conn, tx, $"SELECT {InstanceColumns} FROM {nova}.`instances` WHERE `host` = @failed AND `deleted` = 0");
                        cmd.Parameters.AddWithValue("@failed", request.FailedHost);
                        if (wanted.Count > 0) cmd.CommandText += " AND `uuid` IN (" + InList(cmd, "u", wanted) + ")";
                        cmd.CommandText += " ORDER BY `uuid`";
                        s.Instances.AddRange(await ReadRowsAsync(cmd, InstanceFrom, ct).ConfigureAwait(false));
                        s.MissingInstances.AddRange(wanted.Where(u => !s.Instances.Any(i => string.Equals(i.Uuid, u, StringComparison.OrdinalIgnoreCase))));

                        cmd = Command(conn, tx, $"SELECT `hypervisor_hostname` FROM {nova}.`compute_nodes` WHERE `host` = @dest AND `deleted` = 0 ORDER BY `id`");
                        cmd.Parameters.AddWithValue("@dest", request.Destination);
                        using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                            while (await r.ReadAsync(ct).ConfigureAwait(false))
                                if (!r.IsDBNull(0)) s.DestinationNodes.Add(r.GetString(0));

                        if (s.Instances.Count > 0)
                        {
                            cmd = Command(conn, tx, $"SELECT `id`, `device_id`, `device_owner`, `status` FROM {neutron}.`ports` WHERE `device_id` IN (");
                            cmd.CommandText += InList(cmd, "d", s.Instances.Select(i => i.Uuid).ToList()) + ") ORDER BY `id`";
                            using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                                while (await r.ReadAsync(ct).ConfigureAwait(false))
                                    s.Ports.Add(new PortRow { Id = r.GetString(0), DeviceId = r.GetString(1), DeviceOwner = r.GetString(2), Status = r.GetString(3) });
                        }
                        var portIds = s.Ports.Select(p => p.Id).ToList();
                        if (portIds.Count > 0)
                        {
                            s.Bindings.AddRange(await ReadBindingsAsync(conn, tx, neutron, portIds, lockRows: false, ct).ConfigureAwait(false));
                            s.Levels.AddRange(await ReadLevelsAsync(conn, tx, neutron, portIds, lockRows: false, ct).ConfigureAwait(false));
                        }

                        cmd = Command(conn, tx, $"SELECT COUNT(*) FROM {neutron}.`ml2_port_bindings` WHERE `host` = @failed");
                        cmd.Parameters.AddWithValue("@failed", request.FailedHost);
                        if (portIds.Count > 0) cmd.CommandText += " AND `port_id` NOT IN (" + InList(cmd, "p", portIds) + ")";
                        s.OtherBindingsOnFailedHost = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
                        cmd = Command(conn, tx, $"SELECT COALESCE(MAX(`id`), 0) FROM {nova}.`instance_actions`");
                        s.InstanceActionMark = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                    }
                }, _target.NovaDatabase + "/" + _target.NeutronDatabase, "Reading the rows to move").ConfigureAwait(false);
            }
            return s;
        }

        /// <summary>
        /// Applies a plan: writes the journal (refusing an existing file), then nova's transaction, then neutron's.
        /// A statement whose row count differs from the plan rolls its transaction back. When neutron fails after
        /// nova committed, nova is restored from the journal at once; only if that fails too is the change left
        /// half applied, and the exception says so (<see cref="DatabaseRecoveryError.HalfApplied"/>).
        /// </summary>
        public async Task<DatabaseRecoveryResult> ApplyAsync(DatabaseRecoveryPlan plan, string journalPath, CancellationToken ct)
        {
            if (plan.IsBlocked)
                throw new DatabaseRecoveryException(DatabaseRecoveryError.Blocked, plan.Problems[0].Target,
                    "The plan is blocked, nothing was changed: " + string.Join(" ", plan.Problems.Select(p => p.Message)));
            if (!string.Equals(plan.NovaDatabase, _target.NovaDatabase, StringComparison.Ordinal) || !string.Equals(plan.NeutronDatabase, _target.NeutronDatabase, StringComparison.Ordinal))
                throw new ArgumentException("The plan was made for other databases than this store's.");
            if (plan.Allocations.Count > 0 && Placement == null)
                throw new ArgumentException("The plan moves placement allocations, and this store has no placement to move them with.");

            var journal = RecoveryJournal.From(plan);
            journal.Note($"planned {plan.NovaStatements.Count} nova and {plan.NeutronStatements.Count} neutron statement(s)");
            try
            {
                journal.WriteNew(journalPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new DatabaseRecoveryException(DatabaseRecoveryError.JournalUnwritable, journalPath,
                    $"Cannot write the journal '{journalPath}' ({e.Message}); nothing was changed. Name a new file with -JournalPath.", e);
            }
            Log?.Invoke($"Journal written: {journalPath}");

            if (plan.NovaStatements.Count > 0)
            {
                await RunTransactionAsync(plan.NovaDatabase, plan.NovaStatements, ct).ConfigureAwait(false);
                journal.State = RecoveryJournal.NovaCommitted;
                journal.NovaCommittedAt = DateTimeOffset.UtcNow;
                journal.Note("nova committed");
                journal.Update(journalPath);
                Log?.Invoke($"{plan.NovaDatabase}: {plan.NovaStatements.Count} instance row(s) moved to {plan.Destination}");
            }

            try
            {
                if (plan.NeutronStatements.Count > 0)
                    await RunTransactionAsync(plan.NeutronDatabase, plan.NeutronStatements, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || journal.NovaCommittedAt != null)
            {
                journal.Note("neutron failed and was rolled back: " + e.Message);
                if (journal.NovaCommittedAt == null)
                {
                    journal.State = RecoveryJournal.RolledBack;
                    journal.Update(journalPath);
                    throw Wrap(e, journalPath, $"{plan.NeutronDatabase} was rolled back; nothing was changed.");
                }
                try
                {
                    await RunTransactionAsync(plan.NovaDatabase, RestoreStatements(journal, nova: true, neutron: false), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception restoreError)
                {
                    journal.State = RecoveryJournal.NeedsRestore;
                    journal.Note("restoring nova failed: " + restoreError.Message);
                    journal.Update(journalPath);
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.HalfApplied, plan.NovaDatabase,
                        $"HALF APPLIED: {plan.NovaDatabase} moved the instances to '{plan.Destination}' but {plan.NeutronDatabase} failed ({e.Message}) and restoring {plan.NovaDatabase} failed too ({restoreError.Message}). Run Restore-ServerDatabaseRecord -JournalPath '{journalPath}'.", e)
                    { JournalPath = journalPath };
                }
                journal.State = RecoveryJournal.RolledBack;
                journal.RestoredAt = DateTimeOffset.UtcNow;
                journal.Note("nova restored from the journal");
                journal.Update(journalPath);
                var wrapped = Wrap(e, journalPath, $"{plan.NeutronDatabase} was rolled back and {plan.NovaDatabase}, already committed, was restored from the journal: nothing is left changed.");
                wrapped.NovaRestored = true;
                throw wrapped;
            }
            journal.State = journal.Allocations.Count > 0 ? RecoveryJournal.NeutronCommitted : RecoveryJournal.Applied;
            journal.NeutronCommittedAt = DateTimeOffset.UtcNow;
            journal.Note("neutron committed");
            journal.Update(journalPath);
            Log?.Invoke($"{plan.NeutronDatabase}: {plan.Bindings.Count} binding(s) and {plan.Levels.Count} level row(s) moved to {plan.Destination}");
            if (journal.Allocations.Count > 0)
                await MoveAllocationsAsync(journal, journalPath, ct).ConfigureAwait(false);
            return Result("Move", "Applied", journal, journalPath, $"Moved {plan.Instances.Count} instance(s), {plan.Bindings.Count} binding(s), {plan.Levels.Count} level row(s)" +
                (journal.Allocations.Count > 0 ? $" and {journal.Allocations.Count} placement allocation(s) to '{plan.DestinationNode}'" : "") + ". Hard-reboot the servers next.");
        }

        /// <summary>
        /// The last step of a move: the allocations in placement. If placement refuses one (a 409 because the consumer
        /// changed, no room, placement down) or reads back otherwise, the allocations already moved are put back and
        /// both databases are restored from the journal, so nothing is left changed; only if that fails too is the move
        /// left half applied, and the exception says so.
        /// </summary>
        private async Task MoveAllocationsAsync(RecoveryJournal journal, string journalPath, CancellationToken ct)
        {
            try
            {
                // Only called with allocations to move, which ApplyAsync refuses without a Placement.
                await Placement!.ApplyAsync(journal.Allocations, () => journal.Update(journalPath), ct).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                string what = e is OpenStackOps.Http.OpenStackApiException api ? api.Message : e.Message;
                journal.Note("placement failed: " + what);
                journal.Update(journalPath);
                string? undoFailure = null, databaseFailure = null;
                try
                {
                    await Placement!.UndoAsync(journal.Allocations, () => journal.Update(journalPath), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception u)
                {
                    undoFailure = u.Message;
                    journal.Note("putting placement's allocations back failed: " + u.Message);
                }
                try
                {
                    await RunTransactionAsync(journal.NeutronDatabase, RestoreStatements(journal, nova: false, neutron: true), CancellationToken.None).ConfigureAwait(false);
                    journal.NeutronCommittedAt = null;
                    journal.Note("neutron restored");
                    await RunTransactionAsync(journal.NovaDatabase, RestoreStatements(journal, nova: true, neutron: false), CancellationToken.None).ConfigureAwait(false);
                    journal.NovaCommittedAt = null;
                    journal.Note("nova restored");
                }
                catch (Exception r)
                {
                    databaseFailure = r.Message;
                    journal.Note("restoring the databases failed: " + r.Message);
                }
                if (undoFailure != null || databaseFailure != null)
                {
                    journal.State = RecoveryJournal.NeedsRestore;
                    journal.Update(journalPath);
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.HalfApplied, journal.NovaDatabase,
                        $"HALF APPLIED: the rows moved to '{journal.Destination}' but placement failed ({what}); " +
                        (databaseFailure != null ? $"restoring the databases from the journal failed ({databaseFailure})" : $"{journal.NovaDatabase} and {journal.NeutronDatabase} were restored from the journal") +
                        (undoFailure != null ? $", and putting placement's allocations back failed ({undoFailure})" : ", and placement's allocations were put back") +
                        $". Run Restore-ServerDatabaseRecord -JournalPath '{journalPath}'.", e)
                    { JournalPath = journalPath, NovaRestored = databaseFailure == null };
                }
                journal.State = RecoveryJournal.RolledBack;
                journal.RestoredAt = DateTimeOffset.UtcNow;
                journal.Note("rolled back after placement failed");
                journal.Update(journalPath);
                throw new DatabaseRecoveryException(DatabaseRecoveryError.PlacementFailed, journal.Allocations.FirstOrDefault(a => !a.Moved)?.ConsumerUuid ?? journal.NovaDatabase,
                    $"Placement did not take the allocations' move to '{journal.DestinationNode}' ({what}). The allocations already moved were put back, and {journal.NovaDatabase} and {journal.NeutronDatabase}, already committed, were restored from the journal: nothing is left changed. Journal: {journalPath}.", e)
                { JournalPath = journalPath, NovaRestored = true };
            }
            journal.PlacementCommittedAt = DateTimeOffset.UtcNow;
            journal.State = RecoveryJournal.Applied;
            journal.Note($"placement: {journal.Allocations.Count} allocation(s) moved to '{journal.DestinationNode}' and read back");
            journal.Update(journalPath);
            Log?.Invoke($"placement: {journal.Allocations.Count} allocation(s) moved to '{journal.DestinationNode}'");
        }

        /// <summary>Replays a journal's pre-images onto the databases its change was committed to, one transaction each.</summary>
        public async Task<DatabaseRecoveryResult> RestoreAsync(string journalPath, CancellationToken ct)
        {
            var journal = RecoveryJournal.Read(journalPath);
            if (journal.State == RecoveryJournal.RolledBack || journal.State == RecoveryJournal.Restored || journal.State == RecoveryJournal.Planned)
                throw new DatabaseRecoveryException(DatabaseRecoveryError.NothingToRestore, journalPath,
                    $"The journal '{journalPath}' is in state '{journal.State}': its change is not in the databases, so there is nothing to restore.");
            if (!string.Equals(journal.NovaDatabase, _target.NovaDatabase, StringComparison.Ordinal) || !string.Equals(journal.NeutronDatabase, _target.NeutronDatabase, StringComparison.Ordinal))
                throw new DatabaseRecoveryException(DatabaseRecoveryError.JournalInvalid, journalPath,
                    $"The journal was written for databases {journal.NovaDatabase}/{journal.NeutronDatabase}, not {_target.NovaDatabase}/{_target.NeutronDatabase}: pass -NovaDatabase/-NeutronDatabase.");
            bool neutron = journal.NeutronCommittedAt != null;
            // A move rolled back after placement failed may have left only allocations to put back.
            bool nova = journal.NovaCommittedAt != null || journal.State != RecoveryJournal.NeedsRestore;
            var moved = journal.Allocations.Where(a => a.Moved).ToList();
            if (moved.Count > 0 && Placement == null)
                throw new DatabaseRecoveryException(DatabaseRecoveryError.PlacementFailed, journalPath,
                    $"Nothing was restored: the move also moved {moved.Count} placement allocation(s), and there is no OpenStack session to put them back with. Connect-OpenStack (an admin session), then run Restore-ServerDatabaseRecord again.");
            // Both databases and placement are checked before any is written, then each database again under its rows' locks.
            await Guard(async () =>
            {
                using (var conn = await OpenAsync(ct).ConfigureAwait(false))
                {
                    if (nova) await VerifyNovaAsync(conn, null, journal, ct).ConfigureAwait(false);
                    if (neutron) await VerifyNeutronAsync(conn, null, journal, ct).ConfigureAwait(false);
                }
            }, journal.NovaDatabase + "/" + journal.NeutronDatabase, "Reading the rows to restore").ConfigureAwait(false);
            if (moved.Count > 0)
            {
                // Checked above: moved allocations without a Placement are refused.
                var differences = await Placement!.DifferencesAsync(moved, ct).ConfigureAwait(false);
                if (differences.Count > 0)
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.ChangedSinceMove, differences[0].Consumer,
                        "Nothing was restored: placement changed after the move, and writing the pre-images back would undo or contradict that: " +
                        string.Join("; ", differences.Select(d => d.Difference)) + ".");
                try
                {
                    await Placement.UndoAsync(journal.Allocations, () => journal.Update(journalPath), ct).ConfigureAwait(false);
                }
                catch (OpenStackOps.Http.OpenStackApiException e)
                {
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.PlacementFailed, moved.FirstOrDefault(a => a.Moved)?.ConsumerUuid ?? journalPath,
                        $"Nothing was restored in the databases: placement refused putting an allocation back ({e.Message}); " +
                        $"{moved.Count(a => !a.Moved)} of {moved.Count} were put back, as the journal records. Run Restore-ServerDatabaseRecord again.", e) { JournalPath = journalPath };
                }
                journal.PlacementCommittedAt = null;
                journal.Note($"placement: {moved.Count} allocation(s) put back on their providers");
                journal.Update(journalPath);
            }
            if (neutron)
            {
                await RunTransactionAsync(journal.NeutronDatabase, RestoreStatements(journal, nova: false, neutron: true), ct,
                    (conn, tx) => VerifyNeutronAsync(conn, tx, journal, ct)).ConfigureAwait(false);
                journal.Note("neutron restored");
                journal.NeutronCommittedAt = null;
                journal.State = RecoveryJournal.NovaCommitted;
                journal.Update(journalPath);
            }
            if (nova)
                await RunTransactionAsync(journal.NovaDatabase, RestoreStatements(journal, nova: true, neutron: false), ct,
                    (conn, tx) => VerifyNovaAsync(conn, tx, journal, ct)).ConfigureAwait(false);
            journal.State = RecoveryJournal.Restored;
            journal.RestoredAt = DateTimeOffset.UtcNow;
            journal.Note("nova restored");
            journal.Update(journalPath);
            return Result("Restore", "Restored", journal, journalPath,
                $"Restored {journal.Instances.Count} instance(s) to '{journal.FailedHost}'" + (neutron ? $" and {journal.Bindings.Count} binding(s), {journal.Levels.Count} level row(s)" : "; neutron had not been changed") +
                (moved.Count > 0 ? $"; {moved.Count} placement allocation(s) put back." : "."));
        }

        /// <summary>The statements that put the pre-images back, each matching only rows still as the move left them.</summary>
        public static List<PlannedStatement> RestoreStatements(RecoveryJournal j, bool nova, bool neutron)
        {
            var list = new List<PlannedStatement>();
            if (nova)
            {
                string db = DatabaseTarget.Quote(j.NovaDatabase);
                foreach (var i in j.Instances)
                    list.Add(new PlannedStatement
                    {
                        Database = j.NovaDatabase,
                        Sql = $"UPDATE {db}.`instances` SET `host` = @host, `node` = @node WHERE `uuid` = @uuid AND `deleted` = 0 AND `host` = @dest AND `node` <=> @destNode",
                        Parameters = { ["@host"] = i.Host, ["@node"] = i.Node, ["@uuid"] = i.Uuid, ["@dest"] = j.Destination, ["@destNode"] = j.DestinationNode },
                        ExpectedRows = 1,
                    });
            }
            if (neutron)
            {
                string db = DatabaseTarget.Quote(j.NeutronDatabase);
                foreach (var b in j.Bindings)
                {
                    list.Add(new PlannedStatement
                    {
                        Database = j.NeutronDatabase,
                        Sql = $"UPDATE {db}.`ml2_port_bindings` SET `host` = @host WHERE `port_id` = @port AND `host` = @dest",
                        Parameters = { ["@host"] = b.Host, ["@port"] = b.PortId, ["@dest"] = j.Destination },
                        ExpectedRows = 1,
                    });
                    var levels = j.Levels.Where(l => l.PortId == b.PortId).ToList();
                    if (levels.Count > 0)
                        list.Add(new PlannedStatement
                        {
                            Database = j.NeutronDatabase,
                            Sql = $"UPDATE {db}.`ml2_port_binding_levels` SET `host` = @host WHERE `port_id` = @port AND `host` = @dest",
                            Parameters = { ["@host"] = levels[0].Host, ["@port"] = b.PortId, ["@dest"] = j.Destination },
                            ExpectedRows = levels.Count,
                        });
                }
            }
            return list;
        }

        /// <summary>
        /// Refuses a restore when a moved server was acted on after the move (nova ran it on the destination:
        /// putting the rows back would leave it running there while nova believes it is on the failed host), or
        /// when an instance row is not as the move left it. With a transaction, the rows stay locked until commit.
        /// </summary>
        private async Task VerifyNovaAsync(MySqlConnection conn, MySqlTransaction? tx, RecoveryJournal j, CancellationToken ct)
        {
            if (j.Instances.Count == 0) return;
            string nova = DatabaseTarget.Quote(j.NovaDatabase);
            var uuids = j.Instances.Select(i => i.Uuid).ToList();
            var cmd = Command(conn, tx, $"SELECT `instance_uuid`, `action`, `start_time` FROM {nova}.`instance_actions` WHERE `instance_uuid` IN (");
            cmd.CommandText += InList(cmd, "u", uuids) + ")";
            if (j.InstanceActionMark != null) { cmd.CommandText += " AND `id` > @mark"; cmd.Parameters.AddWithValue("@mark", j.InstanceActionMark.Value); }
            else { cmd.CommandText += " AND `start_time` >= @committed"; cmd.Parameters.AddWithValue("@committed", (j.NovaCommittedAt ?? j.CreatedAt).UtcDateTime); }
            cmd.CommandText += " ORDER BY `id`";
            var actions = await ReadRowsAsync(cmd, r => (Uuid: r.GetString(0), Action: r.GetString(1), At: r.IsDBNull(2) ? (DateTime?)null : r.GetDateTime(2)), ct).ConfigureAwait(false);
            if (actions.Count > 0)
            {
                var names = actions.Select(a => a.Uuid).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Select(u => (j.Instances.First(i => string.Equals(i.Uuid, u, StringComparison.OrdinalIgnoreCase)).DisplayName ?? u) + $" ({u})").ToList();
                throw new DatabaseRecoveryException(DatabaseRecoveryError.StartedOnDestination, actions[0].Uuid,
                    $"Nothing was restored: nova acted on {string.Join(", ", names)} on '{j.Destination}' after the move (" +
                    string.Join("; ", actions.Select(a => $"{a.Action} at {a.At:u}")) + $"), so they may be running there. Putting the rows back would leave them running on '{j.Destination}' " +
                    $"while nova believes they are on '{j.FailedHost}'. The move cannot be undone in the database any more: keep the servers on '{j.Destination}', and once '{j.FailedHost}' is repaired move them back through nova (Move-ServerLive).");
            }

            cmd = Command(conn, tx, $"SELECT {InstanceColumns} FROM {nova}.`instances` WHERE `uuid` IN (");
            cmd.CommandText += InList(cmd, "u", uuids) + ") ORDER BY `uuid`" + (tx != null ? " FOR UPDATE" : "");
            var differences = RestoreCheck.NovaDifferences(j, await ReadRowsAsync(cmd, InstanceFrom, ct).ConfigureAwait(false));
            if (differences.Count > 0) throw ChangedSinceMove(j, j.NovaDatabase, differences);
        }

        /// <summary>Refuses a restore when a binding or level row of the moved ports is not as the move left it.</summary>
        private async Task VerifyNeutronAsync(MySqlConnection conn, MySqlTransaction? tx, RecoveryJournal j, CancellationToken ct)
        {
            if (j.Bindings.Count == 0) return;
            string neutron = DatabaseTarget.Quote(j.NeutronDatabase);
            var ports = j.Bindings.Select(b => b.PortId).Distinct().ToList();
            var bindings = await ReadBindingsAsync(conn, tx, neutron, ports, lockRows: tx != null, ct).ConfigureAwait(false);
            var levels = await ReadLevelsAsync(conn, tx, neutron, ports, lockRows: tx != null, ct).ConfigureAwait(false);
            var differences = RestoreCheck.NeutronDifferences(j, bindings, levels);
            if (differences.Count > 0) throw ChangedSinceMove(j, j.NeutronDatabase, differences);
        }

        private static DatabaseRecoveryException ChangedSinceMove(RecoveryJournal j, string database, List<RestoreDifference> differences)
            => new DatabaseRecoveryException(DatabaseRecoveryError.ChangedSinceMove, differences[0].Target,
                $"Nothing was restored: {database} changed after the move, and writing the pre-images back would undo or contradict that: " +
                string.Join("; ", differences) + ".");

        private const string InstanceColumns = "`id`, `uuid`, `display_name`, `host`, `node`, `launched_on`, `vm_state`, `task_state`, `deleted`";

        private static InstanceRow InstanceFrom(MySqlDataReader r) => new InstanceRow
        {
            Id = r.GetInt64(0), Uuid = r.GetString(1), DisplayName = Str(r, 2), Host = Str(r, 3), Node = Str(r, 4),
            LaunchedOn = Str(r, 5), VmState = Str(r, 6), TaskState = Str(r, 7), Deleted = r.IsDBNull(8) ? (long?)null : r.GetInt64(8),
        };

        private static Task<List<PortBindingRow>> ReadBindingsAsync(MySqlConnection conn, MySqlTransaction? tx, string neutron, IList<string> ports, bool lockRows, CancellationToken ct)
        {
            var cmd = Command(conn, tx, $"SELECT `port_id`, `host`, `vif_type`, `vnic_type`, `profile`, `vif_details`, `status` FROM {neutron}.`ml2_port_bindings` WHERE `port_id` IN (");
            cmd.CommandText += InList(cmd, "p", ports) + ") ORDER BY `port_id`, `host`" + (lockRows ? " FOR UPDATE" : "");
            return ReadRowsAsync(cmd, r => new PortBindingRow
            {
                PortId = r.GetString(0), Host = r.GetString(1), VifType = r.GetString(2), VnicType = r.GetString(3),
                Profile = r.GetString(4), VifDetails = r.GetString(5), Status = r.GetString(6),
            }, ct);
        }

        private static Task<List<PortBindingLevelRow>> ReadLevelsAsync(MySqlConnection conn, MySqlTransaction? tx, string neutron, IList<string> ports, bool lockRows, CancellationToken ct)
        {
            var cmd = Command(conn, tx, $"SELECT `port_id`, `host`, `level`, `driver`, `segment_id` FROM {neutron}.`ml2_port_binding_levels` WHERE `port_id` IN (");
            cmd.CommandText += InList(cmd, "p", ports) + ") ORDER BY `port_id`, `host`, `level`" + (lockRows ? " FOR UPDATE" : "");
            return ReadRowsAsync(cmd, r => new PortBindingLevelRow { PortId = r.GetString(0), Host = r.GetString(1), Level = r.GetInt32(2), Driver = Str(r, 3), SegmentId = Str(r, 4) }, ct);
        }

        private static async Task<List<T>> ReadRowsAsync<T>(MySqlCommand cmd, Func<MySqlDataReader, T> map, CancellationToken ct)
        {
            var rows = new List<T>();
            using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                    rows.Add(map(r));
            return rows;
        }

        /// <summary>
        /// One transaction for <paramref name="statements"/>, after <paramref name="verify"/> under the rows' locks.
        /// nova and neutron write the same rows while the cloud runs, so InnoDB may pick this transaction as a
        /// deadlock victim (1213) or time its lock wait out (1205): it is rolled back whole and, being re-verified
        /// and row-counted from the start, safe to run again; after <see cref="LockConflictAttempts"/> tries the
        /// error goes to the operator.
        /// </summary>
        private async Task RunTransactionAsync(string database, IList<PlannedStatement> statements, CancellationToken ct,
            Func<MySqlConnection, MySqlTransaction, Task>? verify = null)
        {
            if (statements.Count == 0) return;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await RunTransactionOnceAsync(database, statements, ct, verify).ConfigureAwait(false);
                    return;
                }
                catch (DatabaseRecoveryException e) when (attempt < LockConflictAttempts && IsLockConflict(e.InnerException))
                {
                    Log?.Invoke($"{database}: {((MySqlException)e.InnerException).Message} (attempt {attempt} of {LockConflictAttempts}); rolled back, running the transaction again");
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct).ConfigureAwait(false);
                }
                catch (DatabaseRecoveryException e) when (IsLockConflict(e.InnerException))
                {
                    throw new DatabaseRecoveryException(e.Error, e.Target, e.Message + $" The transaction lost a lock conflict {attempt} times and was rolled back each time: another writer (nova or neutron) holds these rows; run the command again when it is done.", e.InnerException);
                }
            }
        }

        /// <summary>How many times a transaction that lost a lock conflict is run before the error is reported.</summary>
        public const int LockConflictAttempts = 3;

        internal static bool IsLockConflict(Exception e)
            => e is MySqlException m && (m.ErrorCode == MySqlErrorCode.LockDeadlock || m.ErrorCode == MySqlErrorCode.LockWaitTimeout);

        private async Task RunTransactionOnceAsync(string database, IList<PlannedStatement> statements, CancellationToken ct,
            Func<MySqlConnection, MySqlTransaction, Task>? verify)
        {
            using (var conn = await OpenAsync(ct).ConfigureAwait(false))
            {
                await Guard(async () =>
                {
                    using (var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false))
                    {
                        try
                        {
                            if (verify != null) await verify(conn, tx).ConfigureAwait(false);
                            foreach (var st in statements)
                            {
                                var cmd = Command(conn, tx, st.Sql);
                                foreach (var p in st.Parameters) cmd.Parameters.AddWithValue(p.Key, (object?)p.Value ?? DBNull.Value);
                                int rows = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                                if (rows != st.ExpectedRows)
                                    throw new DatabaseRecoveryException(DatabaseRecoveryError.RowsChanged, TargetOf(st),
                                        $"{database}: a statement matched {rows} row(s) where the plan expected {st.ExpectedRows} ({TargetOf(st)}): the rows changed since they were read. {database} was rolled back. Statement: {st.Display}");
                            }
                            await tx.CommitAsync(ct).ConfigureAwait(false);
                        }
                        catch
                        {
                            try { await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false); } catch (MySqlException) { }
                            throw;
                        }
                    }
                }, database, "Updating " + database).ConfigureAwait(false);
            }
        }

        private static string TargetOf(PlannedStatement st)
            => st.Parameters.TryGetValue("@uuid", out var u) ? "instance " + u : st.Parameters.TryGetValue("@port", out var p) ? "port " + p : st.Database;

        private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
        {
            var conn = _target.Open();
            try
            {
                await conn.OpenAsync(ct).ConfigureAwait(false);
                return conn;
            }
            catch (Exception e) when (e is MySqlException || e is InvalidOperationException || e is System.Net.Sockets.SocketException)
            {
                conn.Dispose();
                throw new DatabaseRecoveryException(DatabaseRecoveryError.DatabaseFailed, _target.Display,
                    $"Cannot connect to the database server {_target.Display}: {e.Message}", e);
            }
        }

        private static async Task Guard(Func<Task> work, string target, string what)
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (MySqlException e)
            {
                throw new DatabaseRecoveryException(DatabaseRecoveryError.DatabaseFailed, target, $"{what}: MySQL error {e.ErrorCode} ({e.Number}): {e.Message}", e);
            }
        }

        private static MySqlCommand Command(MySqlConnection conn, MySqlTransaction? tx, string sql)
            => new MySqlCommand(sql, conn, tx) { CommandTimeout = 60 };

        private static string InList(MySqlCommand cmd, string prefix, IList<string> values)
        {
            var names = new List<string>();
            for (int n = 0; n < values.Count; n++)
            {
                string name = "@" + prefix + n;
                cmd.Parameters.AddWithValue(name, values[n]);
                names.Add(name);
            }
            return string.Join(", ", names);
        }

        private static string? Str(MySqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

        private static DatabaseRecoveryException Wrap(Exception e, string journalPath, string what)
        {
            var inner = e as DatabaseRecoveryException;
            return new DatabaseRecoveryException(inner?.Error ?? DatabaseRecoveryError.DatabaseFailed, inner?.Target,
                e.Message + " " + what + $" Journal: {journalPath}.", e) { JournalPath = journalPath };
        }

        private DatabaseRecoveryResult Result(string operation, string status, RecoveryJournal j, string journalPath, string message) => new DatabaseRecoveryResult
        {
            Operation = operation, Status = status, Server = _target.Display, NovaDatabase = j.NovaDatabase, NeutronDatabase = j.NeutronDatabase,
            FailedHost = j.FailedHost, Destination = j.Destination, DestinationNode = j.DestinationNode,
            Instances = j.Instances.Count, Bindings = j.Bindings.Count, Levels = j.Levels.Count, Allocations = j.Allocations.Count,
            InstanceIds = j.Instances.Select(i => i.Uuid).ToArray(), JournalPath = Path.GetFullPath(journalPath),
            CompletedAt = DateTimeOffset.UtcNow, Message = message,
        };
    }
}
