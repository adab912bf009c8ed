using System.Diagnostics;
using System.Globalization;
using System.Net;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// The guide's "Shutting Down a Storage Node" and its way back: take every device of a node out of the account,
    /// container and object builders, rebalance, copy the ring files to every node and check them by MD5; later put the
    /// devices back with their original parameters from the journal. A failure after the first change puts the
    /// previous builders and ring files back on the ring host and on every node (and says where they are if that fails too).
    /// </summary>
    public sealed class SwiftStorageNodeRings
    {
        private readonly SwiftRingHost _host;
        private readonly Func<DateTimeOffset> _now;

        public SwiftStorageNodeRings(SwiftRingHost host, Func<DateTimeOffset>? now = null)
        {
            _host = host ?? throw new ArgumentNullException(nameof(host));
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>The rings as the last plan read them (their nodes are the default targets).</summary>
        public List<SwiftRing>? LastRead { get; private set; }

        /// <summary>Verbose lines (each step as it is done).</summary>
        public Action<string>? OnStep { get; set; }

        // ---------------------------------------------------------------- plans

        /// <summary>
        /// What removing <paramref name="node"/> changes, checked: its IP (the name itself, or what the ring host resolves
        /// it to among the rings' IPs), its devices in each ring, no change pending in any builder, and each ring keeping at
        /// least as many devices as replicas (swift-ring-builder refuses a rebalance otherwise). Changes nothing.
        /// </summary>
        public async Task<SwiftStorageNodeResult> PlanRemovalAsync(string node, IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            var rings = LastRead = await _host.DescribeAllAsync(ct).ConfigureAwait(false);
            string ip = await ResolveAsync(node, rings, ct).ConfigureAwait(false);
            var plan = NewResult(node, ip, "Remove");
            foreach (var ring in rings)
            {
                if (ring.Devices.Any(d => d.Flags == "DEL") || ring.RingFileState != "up-to-date")
                    throw new SwiftRingException(SwiftRingError.PendingChanges, ring.BuilderPath,
                        $"{ring.BuilderPath} on {_host.Name} has changes that are not in its ring file yet " +
                        $"({(ring.Devices.Any(d => d.Flags == "DEL") ? "devices marked for removal: " + string.Join(", ", ring.Devices.Where(d => d.Flags == "DEL").Select(d => "d" + d.Id)) : "the ring file is " + (ring.RingFileState ?? "unknown"))}); " +
                        "removing a node now would rebalance and push them too. Nothing was changed.");
                var mine = ring.Devices.Where(d => string.Equals(d.Ip, ip, StringComparison.OrdinalIgnoreCase)).ToList();
                plan.Devices.AddRange(mine.Select(d => d.Copy()));
                if (mine.Count == 0) continue;
                var remaining = ring.Devices.Where(d => !mine.Contains(d) && d.Weight > 0).ToList();
                if (remaining.Count < ring.Replicas)
                    throw new SwiftRingException(SwiftRingError.ReplicasNotHeld, node,
                        string.Format(CultureInfo.InvariantCulture,
                            "Taking {0} ({1}) out of the {2} ring would leave {3} device(s) with weight for {4} replicas: every partition needs " +
                            "{4} copies on {4} different devices, so swift-ring-builder would refuse the rebalance (\"Replica count of {4} requires more than {3} devices\"). Nothing was changed.",
                            node, ip, ring.Ring, remaining.Count, ring.Replicas));
                int zones = remaining.Select(d => d.Region + "/" + d.Zone).Distinct().Count();
                int hosts = remaining.Select(d => d.Ip).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                if (hosts < ring.Replicas)
                    plan.Warnings.Add(string.Format(CultureInfo.InvariantCulture,
                        "{0} ring: {1} node(s) remain for {2} replicas, so some partitions keep two copies on one node (swift places copies as far apart as it can); losing that node meanwhile loses two copies.",
                        ring.Ring, hosts, ring.Replicas));
                else if (zones < ring.Replicas)
                    plan.Warnings.Add(string.Format(CultureInfo.InvariantCulture,
                        "{0} ring: {1} zone(s) remain for {2} replicas, so some partitions keep two copies in one zone.", ring.Ring, zones, ring.Replicas));
            }
            if (plan.Devices.Count == 0)
                throw new SwiftRingException(SwiftRingError.NodeNotInRing, node,
                    $"{node} ({ip}) has no device in the account, container or object ring on {_host.Name}. The rings' nodes: {string.Join(", ", RingIps(rings))}.");
            foreach (var ring in rings.Where(r => plan.Devices.Any(d => d.Ring == r.Ring)))
            {
                var gone = plan.Devices.Where(d => d.Ring == ring.Ring).ToList();
                plan.Steps.Add(new SwiftRingStep
                {
                    Target = ring.BuilderPath + " on " + _host.Name,
                    Action = "Remove " + string.Join("; ", gone.Select(d => $"device d{d.Id} {d.Parameters} ({d.Partitions} partitions)")),
                    Command = _host.CommandLine(ring.Ring, SwiftRingHost.RemoveArguments(gone.Select(d => d.Id))),
                });
                plan.Steps.Add(new SwiftRingStep { Target = ring.BuilderPath + " on " + _host.Name, Action = "Rebalance and write " + ring.RingFilePath, Command = _host.CommandLine(ring.Ring, "rebalance") });
                plan.Rebalances.Add(new SwiftRebalanceResult { Ring = ring.Ring, Status = SwiftRebalanceResult.Planned, MinPartHours = ring.MinPartHours, Message = "planned" });
            }
            AddCopySteps(plan, targets);
            plan.Message = $"{plan.Devices.Count} device(s) of {ip} to take out of {plan.Rings}";
            return plan;
        }

        /// <summary>
        /// What putting a journal's devices back changes: each device not in its ring now is added with its original
        /// parameters; a ring whose builder already holds them but whose ring file is older (a rebalance held back by
        /// min_part_hours) is rebalanced again. Changes nothing.
        /// </summary>
        public async Task<SwiftStorageNodeResult> PlanPutBackAsync(SwiftRingJournal journal, IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            if (journal.State == SwiftRingJournal.Planned || journal.State == SwiftRingJournal.RolledBack)
                throw new SwiftRingException(SwiftRingError.NothingToRestore, journal.NodeIp,
                    $"The journal says the removal of {journal.Node} ({journal.NodeIp}) {(journal.State == SwiftRingJournal.Planned ? "never changed the rings" : "was rolled back")}: there is nothing to put back.");
            var rings = LastRead = await _host.DescribeAllAsync(ct).ConfigureAwait(false);
            var plan = NewResult(journal.Node, journal.NodeIp, "Add");
            var skipped = new List<string>();
            foreach (var jr in journal.Rings)
            {
                var ring = rings.FirstOrDefault(r => r.Ring == jr.Ring)
                           ?? throw new SwiftRingException(SwiftRingError.JournalInvalid, jr.Ring, $"The journal names a ring '{jr.Ring}' that is not account, container or object.");
                if (ring.Devices.Any(d => d.Flags == "DEL"))
                    throw new SwiftRingException(SwiftRingError.PendingChanges, ring.BuilderPath,
                        $"{ring.BuilderPath} on {_host.Name} has devices marked for removal ({string.Join(", ", ring.Devices.Where(d => d.Flags == "DEL").Select(d => "d" + d.Id))}) that are not rebalanced yet. Nothing was changed.");
                var toAdd = new List<SwiftRingDevice>();
                foreach (var jd in jr.Devices)
                {
                    var device = jd.ToDevice(jr.Ring);
                    if (ring.Devices.Any(d => d.IsSameDisk(device))) skipped.Add($"{jr.Ring} {device.Address}");
                    else toAdd.Add(device);
                }
                bool pending = ring.RingFileState != "up-to-date" && jr.Devices.Any(jd => ring.Devices.Any(d => d.IsSameDisk(jd.ToDevice(jr.Ring))));
                if (toAdd.Count == 0 && !pending) continue;
                foreach (var d in toAdd)
                {
                    plan.Devices.Add(d);
                    plan.Steps.Add(new SwiftRingStep { Target = ring.BuilderPath + " on " + _host.Name, Action = "Add device " + d.Parameters, Command = _host.CommandLine(ring.Ring, SwiftRingHost.AddArguments(d)) });
                }
                plan.Steps.Add(new SwiftRingStep { Target = ring.BuilderPath + " on " + _host.Name, Action = "Rebalance and write " + ring.RingFilePath, Command = _host.CommandLine(ring.Ring, "rebalance") });
                var planned = new SwiftRebalanceResult { Ring = ring.Ring, Status = SwiftRebalanceResult.Planned, MinPartHours = ring.MinPartHours, TimeLeft = ring.MinPartTimeLeft, Message = "planned" };
                if (ring.MinPartTimeLeft > TimeSpan.Zero)
                {
                    planned.PossibleAt = _now() + ring.MinPartTimeLeft;
                    plan.Warnings.Add($"{ring.Ring} ring: min_part_hours is {ring.MinPartHours} and the last rebalance was less than that ago, so no partition can move to the added devices until {planned.PossibleAt:yyyy-MM-dd HH:mm:ss} UTC ({ring.MinPartTimeLeft} from now): the rebalance will be held back and the devices stay in the builder without partitions until you run this again then.");
                }
                plan.Rebalances.Add(planned);
            }
            if (plan.Rebalances.Count == 0)
                throw new SwiftRingException(SwiftRingError.NothingToRestore, journal.NodeIp,
                    $"Every device of the journal is in its ring already ({string.Join("; ", skipped)}) and the ring files are up to date: there is nothing to put back.");
            if (skipped.Count > 0) plan.Warnings.Add("Already in the builder (not added again): " + string.Join("; ", skipped) + ".");
            AddCopySteps(plan, targets);
            plan.Message = $"{plan.Devices.Count} device(s) of {journal.NodeIp} to add to {string.Join(",", plan.Rebalances.Select(r => r.Ring))}";
            return plan;
        }

        // ---------------------------------------------------------------- changes

        /// <summary>
        /// The rings as the plan read them when no builder or ring file changed since (one md5sum on the ring host), else
        /// read again: each swift-ring-builder call is a python start-up on the ring host, about a second.
        /// </summary>
        private async Task<List<SwiftRing>> ReadAgainAsync(CancellationToken ct)
        {
            if (LastRead != null && LastRead.Count == SwiftRingHost.RingNames.Count)
            {
                var md5 = await SwiftRingHost.Md5Async(_host.Shell, LastRead.Select(r => r.RingFilePath).Concat(LastRead.Select(r => r.BuilderPath)), ct).ConfigureAwait(false);
                if (LastRead.All(r => r.BuilderMd5 != null && md5.TryGetValue(r.BuilderPath, out var b) && b == r.BuilderMd5
                                      && (md5.TryGetValue(r.RingFilePath, out var f) ? f : null) == r.RingFileMd5))
                    return LastRead;
            }
            return await _host.DescribeAllAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Carries out a removal plan; the journal is written before the first change.</summary>
        public async Task<SwiftStorageNodeResult> RemoveAsync(SwiftStorageNodeResult plan, IReadOnlyList<SwiftRingTarget> targets, string journalPath, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var journal = new SwiftRingJournal
            {
                Node = plan.Node, NodeIp = plan.NodeIp, RingHost = _host.Name, BuilderDirectory = _host.BuilderDirectory, CreatedAt = _now(),
                Nodes = targets.Select(t => t.Name).ToList(),
            };
            var rings = await ReadAgainAsync(ct).ConfigureAwait(false);
            foreach (var ring in rings.Where(r => plan.Devices.Any(d => d.Ring == r.Ring)))
            {
                journal.Rings.Add(new SwiftJournalRing
                {
                    Ring = ring.Ring, BuilderPath = ring.BuilderPath, RingFilePath = ring.RingFilePath, Replicas = ring.Replicas,
                    MinPartHours = ring.MinPartHours, RingFileMd5Before = ring.RingFileMd5,
                    Devices = plan.Devices.Where(d => d.Ring == ring.Ring).Select(SwiftJournalDevice.From).ToList(),
                });
            }
            journal.Note($"planned: {plan.Devices.Count} device(s) of {plan.NodeIp} out of {string.Join(",", journal.Rings.Select(r => r.Ring))}");
            journal.WriteNew(journalPath);
            Step($"journal written: {journalPath}");

            var backups = await BackupAllAsync(ct).ConfigureAwait(false);
            foreach (var jr in journal.Rings)
            {
                jr.BuilderBackup = backups[jr.Ring].builder;
                jr.RingFileBackup = backups[jr.Ring].ringFile;
            }
            var builderMd5 = await SwiftRingHost.Md5Async(_host.Shell, journal.Rings.Select(r => r.BuilderPath), ct).ConfigureAwait(false);
            foreach (var jr in journal.Rings) jr.BuilderMd5Before = builderMd5.TryGetValue(jr.BuilderPath, out var h) ? h : null;
            journal.Note("backups: " + BackupList(backups));
            journal.Update(journalPath);

            var result = ResultOf(plan, "Remove", journalPath);
            await ChangeAsync(journal, journalPath, backups, targets, result, async () =>
            {
                foreach (var ring in journal.Rings)
                {
                    var gone = plan.Devices.Where(d => d.Ring == ring.Ring).ToList();
                    await _host.RemoveDevicesAsync(ring.Ring, gone.Select(d => d.Id).ToList(), ct).ConfigureAwait(false);
                    foreach (var d in gone)
                    {
                        journal.Note($"{d.Ring}: removed d{d.Id} {d.Parameters}");
                        Step($"{d.Ring}.builder: removed d{d.Id} {d.Parameters}");
                    }
                }
                journal.Update(journalPath);
                foreach (var ring in journal.Rings)
                {
                    var rb = await RebalanceAsync(ring.Ring, ct).ConfigureAwait(false);
                    result.Rebalances.Add(rb);
                    journal.Note($"{ring.Ring}: {rb.Status}: {rb.Message}");
                    if (!rb.Written)
                        throw new SwiftRingException(SwiftRingError.BuilderFailed, _host.BuilderPath(ring.Ring),
                            $"The rebalance of {_host.BuilderPath(ring.Ring)} after removing {plan.NodeIp}'s devices did not write the ring: {rb.Message}");
                }
                journal.Update(journalPath);
            }, ct).ConfigureAwait(false);

            journal.State = SwiftRingJournal.Removed;
            journal.RemovedAt = _now();
            journal.Note("removed; ring files on " + string.Join(", ", result.Nodes) + " checked by MD5");
            journal.Update(journalPath);
            result.Status = SwiftStorageNodeResult.Removed;
            result.Elapsed = clock.Elapsed;
            result.Message = $"{plan.Devices.Count} device(s) of {plan.NodeIp} taken out of {result.Rings}; {result.Nodes.Count} node(s) hold the same ring files (MD5). Journal: {journalPath}";
            return result;
        }

        /// <summary>Carries out a put-back plan from the journal; a rebalance held back by min_part_hours is reported, not an error.</summary>
        public async Task<SwiftStorageNodeResult> PutBackAsync(SwiftStorageNodeResult plan, SwiftRingJournal journal, string journalPath, IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var backups = await BackupAllAsync(ct).ConfigureAwait(false);
            journal.Note("put back started; backups: " + BackupList(backups));
            journal.Update(journalPath);
            var result = ResultOf(plan, "Add", journalPath);
            await ChangeAsync(journal, journalPath, backups, targets, result, async () =>
            {
                foreach (var d in plan.Devices)
                {
                    await _host.AddDeviceAsync(d.Ring, d, ct).ConfigureAwait(false);
                    journal.Note($"{d.Ring}: added {d.Parameters}");
                    Step($"{d.Ring}.builder: added {d.Parameters}");
                }
                journal.Update(journalPath);
                foreach (var planned in plan.Rebalances)
                {
                    var rb = await RebalanceAsync(planned.Ring, ct).ConfigureAwait(false);
                    result.Rebalances.Add(rb);
                    journal.Note($"{planned.Ring}: {rb.Status}: {rb.Message}");
                    if (rb.Status == SwiftRebalanceResult.Failed)
                        throw new SwiftRingException(SwiftRingError.BuilderFailed, _host.BuilderPath(planned.Ring), $"The rebalance of {_host.BuilderPath(planned.Ring)} failed: {rb.Message}");
                }
                journal.Update(journalPath);
            }, ct).ConfigureAwait(false);

            // The devices (their ids now) as the builders list them after the change.
            var now = await _host.DescribeAllAsync(ct).ConfigureAwait(false);
            result.Devices = now.SelectMany(r => r.Devices).Where(d => plan.Devices.Any(p => p.Ring == d.Ring && p.IsSameDisk(d))).ToList();
            var held = result.Rebalances.Where(r => r.Status == SwiftRebalanceResult.HeldBack).ToList();
            result.Status = held.Count == 0 ? SwiftStorageNodeResult.Added : SwiftStorageNodeResult.HeldBack;
            journal.State = held.Count == 0 ? SwiftRingJournal.PutBack : SwiftRingJournal.PutBackPending;
            if (held.Count == 0) journal.PutBackAt = _now();
            result.Elapsed = clock.Elapsed;
            if (held.Count == 0)
                result.Message = $"{plan.Devices.Count} device(s) of {plan.NodeIp} put back with their original parameters; {result.Nodes.Count} node(s) hold the same ring files (MD5).";
            else
            {
                var last = held.Max(h => h.PossibleAt ?? _now());
                result.Message = $"{plan.Devices.Count} device(s) of {plan.NodeIp} are in the builders, but the rebalance of {string.Join(", ", held.Select(h => h.Ring))} is held back by min_part_hours " +
                                 $"({held[0].MinPartHours} h since the last rebalance): their ring files are unchanged and the node gets no partitions in them yet. " +
                                 $"Run Restore-SwiftStorageNode -JournalPath '{journalPath}' again after {last:yyyy-MM-dd HH:mm:ss} UTC. The nodes' ring files are the ring host's (MD5).";
                result.Warnings.Add(result.Message);
            }
            journal.Note(result.Message);
            journal.Update(journalPath);
            return result;
        }

        /// <summary>
        /// Runs <paramref name="change"/> (builder commands), then copies the ring files to every target and checks them.
        /// Any failure, or Ctrl+C, puts the backups back on the ring host and every target and checks them; if that fails
        /// too the exception says which nodes hold what and where the backups are.
        /// </summary>
        private async Task ChangeAsync(SwiftRingJournal journal, string journalPath, IReadOnlyDictionary<string, (string builder, string? ringFile)> backups,
            IReadOnlyList<SwiftRingTarget> targets, SwiftStorageNodeResult result, Func<Task> change, CancellationToken ct)
        {
            result.Nodes = targets.Select(t => t.Name).ToList();
            try
            {
                await change().ConfigureAwait(false);
                result.Copies = await DistributeAsync(targets, ct).ConfigureAwait(false);
                var bad = result.Copies.Where(c => c.Status != SwiftRingFileCopy.Same).ToList();
                if (bad.Count > 0)
                    throw new SwiftRingException(SwiftRingError.RingsDiffer, bad[0].Node,
                        "After the copy, these nodes do not hold the ring host's ring files: " + string.Join("; ", bad.Select(c => $"{c.Node} {c.Ring}: {c.Status} ({c.Message})")));
            }
            catch (Exception failure)
            {
                string why = failure is OperationCanceledException ? "it was stopped" : failure.Message;
                journal.Note("failed: " + why + "; putting the backups back");
                try { journal.Update(journalPath); } catch (Exception) { }
                Step("failed (" + why + "): putting the previous builders and ring files back on " + _host.Name + " and every node");
                try
                {
                    foreach (var kv in backups)
                    {
                        await _host.RestoreFileAsync(kv.Value.builder, _host.BuilderPath(kv.Key), CancellationToken.None).ConfigureAwait(false);
                        if (kv.Value.ringFile != null) await _host.RestoreFileAsync(kv.Value.ringFile, _host.RingFilePath(kv.Key), CancellationToken.None).ConfigureAwait(false);
                    }
                    var copies = await DistributeAsync(targets, CancellationToken.None).ConfigureAwait(false);
                    var bad = copies.Where(c => c.Status != SwiftRingFileCopy.Same).ToList();
                    if (bad.Count > 0) throw new SwiftRingException(SwiftRingError.RingsDiffer, bad[0].Node, string.Join("; ", bad.Select(c => $"{c.Node} {c.Ring}: {c.Status} ({c.Message})")));
                    journal.State = journal.State == SwiftRingJournal.Planned ? SwiftRingJournal.RolledBack : journal.State;
                    journal.Note("rolled back: the previous builders and ring files are on the ring host and every node again (MD5 checked)");
                    try { journal.Update(journalPath); } catch (Exception) { }
                }
                catch (Exception undo)
                {
                    journal.State = SwiftRingJournal.Inconsistent;
                    journal.Note("putting the backups back failed: " + undo.Message);
                    try { journal.Update(journalPath); } catch (Exception) { }
                    string where = string.Join(", ", backups.Select(kv => $"{kv.Key}: {kv.Value.builder}" + (kv.Value.ringFile == null ? "" : " and " + kv.Value.ringFile)));
                    throw new SwiftRingException(SwiftRingError.Inconsistent, _host.Name,
                        $"{why} Putting the previous rings back failed as well ({undo.Message}). The previous builders and ring files are on {_host.Name}: {where}. " +
                        $"Copy them over {_host.BuilderDirectory}/<ring>.builder and .ring.gz there, then the ring files to {string.Join(", ", targets.Select(t => t.Name))}. Journal: {journalPath}", failure)
                    { JournalPath = journalPath };
                }
                if (failure is OperationCanceledException) throw;
                throw new SwiftRingException(SwiftRingError.RolledBack, failure is SwiftRingException s ? s.Target : failure is NodeCommandException n ? n.Node! : _host.Name, // the ring host's and the targets' shells name their node
                    $"{why} The previous builders and ring files were put back on {_host.Name} and on {string.Join(", ", targets.Select(t => t.Name))}, and every node's ring files checked by MD5: the rings are as before. Journal: {journalPath}", failure)
                { JournalPath = journalPath };
            }
        }

        /// <summary>Copies the ring host's three ring files to every target and compares them there.</summary>
        private async Task<List<SwiftRingFileCopy>> DistributeAsync(IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var ring in SwiftRingHost.RingNames) files[ring] = await _host.ReadFileAsync(_host.RingFilePath(ring), ct).ConfigureAwait(false);
            var expected = files.ToDictionary(kv => kv.Key, kv => SwiftRingDistributor.Md5(kv.Value));
            var distributor = new SwiftRingDistributor { OnProgress = n => Step("ring files copied to " + n) };
            await distributor.PushAsync(targets, files, ct).ConfigureAwait(false);
            return await SwiftRingDistributor.VerifyAsync(targets, expected, ct).ConfigureAwait(false);
        }

        private async Task<SwiftRebalanceResult> RebalanceAsync(string ring, CancellationToken ct)
        {
            var rb = await _host.RebalanceAsync(ring, _now(), ct).ConfigureAwait(false);
            Step($"{ring}.builder: rebalance: {rb.Status}: {rb.Message}");
            return rb;
        }

        private async Task<Dictionary<string, (string builder, string? ringFile)>> BackupAllAsync(CancellationToken ct)
        {
            string stamp = _now().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
            var backups = new Dictionary<string, (string builder, string? ringFile)>(StringComparer.Ordinal);
            foreach (var ring in SwiftRingHost.RingNames) backups[ring] = await _host.BackupAsync(ring, stamp, ct).ConfigureAwait(false);
            Step("backups on " + _host.Name + ": " + string.Join(", ", backups.Values.Select(b => b.builder)));
            return backups;
        }

        /// <summary>Each node's ring files against the ring host's.</summary>
        public async Task<List<SwiftRing>> ReadAsync(IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            var rings = await _host.DescribeAllAsync(ct).ConfigureAwait(false);
            await CompareAsync(rings, targets, ct).ConfigureAwait(false);
            return rings;
        }

        /// <summary>Fills each ring's Copies: every target's ring file against the ring host's.</summary>
        public static async Task CompareAsync(List<SwiftRing> rings, IReadOnlyList<SwiftRingTarget> targets, CancellationToken ct)
        {
            if (targets != null && targets.Count > 0)
            {
                var expected = rings.ToDictionary(r => r.Ring, r => r.RingFileMd5 ?? "(no ring file on the ring host)");
                var copies = await SwiftRingDistributor.VerifyAsync(targets, expected, ct).ConfigureAwait(false);
                foreach (var r in rings) r.Copies = copies.Where(c => c.Ring == r.Ring).ToList();
            }
        }

        // ---------------------------------------------------------------- names

        /// <summary>The IPs the rings' devices have (their storage nodes), in order.</summary>
        public static List<string> RingIps(IEnumerable<SwiftRing> rings)
            => rings.SelectMany(r => r.Devices).Select(d => d.Ip).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(i => i, StringComparer.Ordinal).ToList();

        /// <summary>An IP as given; a name as the ring host resolves it (getent ahosts), among the rings' IPs.</summary>
        private async Task<string> ResolveAsync(string node, List<SwiftRing> rings, CancellationToken ct)
        {
            if (IPAddress.TryParse(node, out _)) return node;
            var ips = RingIps(rings);
            var r = await _host.Shell.RunAsync(NodeCommand.User("getent", "ahosts", node), ct).ConfigureAwait(false);
            var resolved = r.Lines.Select(l => l.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault())
                .Where(a => a != null).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var inRing = resolved.Where(a => ips.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
            if (inRing.Count == 1) return inRing[0];
            throw new SwiftRingException(SwiftRingError.NodeNotInRing, node,
                resolved.Count == 0
                    ? $"{_host.Name} cannot resolve '{node}' (getent ahosts {node}): name the node by the IP its devices have in the rings ({string.Join(", ", ips)})."
                    : $"'{node}' resolves on {_host.Name} to {string.Join(", ", resolved)}, {(inRing.Count == 0 ? "none of which" : "more than one of which")} the rings' devices have ({string.Join(", ", ips)}): name the node by its ring IP.");
        }

        /// <summary>The result of carrying out a plan: its node, warnings, steps and devices, and the journal.</summary>
        private SwiftStorageNodeResult ResultOf(SwiftStorageNodeResult plan, string action, string journalPath)
        {
            var result = NewResult(plan.Node, plan.NodeIp, action);
            result.JournalPath = journalPath;
            result.Warnings.AddRange(plan.Warnings);
            result.Steps.AddRange(plan.Steps);
            result.Devices.AddRange(plan.Devices);
            return result;
        }

        private static string BackupList(Dictionary<string, (string builder, string? ringFile)> backups)
            => string.Join(", ", backups.Values.SelectMany(b => new[] { b.builder, b.ringFile }).Where(p => p != null));

        private SwiftStorageNodeResult NewResult(string node, string ip, string action)
            => new SwiftStorageNodeResult { Node = node, NodeIp = ip, Action = action, Status = SwiftStorageNodeResult.Planned, RingHost = _host.Name };

        /// <summary>Adds the copy to each target to a plan (made before the targets were known).</summary>
        public static void AddCopySteps(SwiftStorageNodeResult plan, IReadOnlyList<SwiftRingTarget> targets)
        {
            plan.Steps.RemoveAll(s => s.Command == null);
            foreach (var t in targets)
                plan.Steps.Add(new SwiftRingStep { Target = t.Name, Action = $"Copy account.ring.gz, container.ring.gz, object.ring.gz to {t.Directory} and check them by MD5" });
            plan.Nodes = targets.Select(t => t.Name).ToList();
        }

        private void Step(string text) => OnStep?.Invoke(text);
    }
}
