using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Swift;
using Xunit;

namespace OpenStackOps.Tests.Swift
{
    /// <summary>
    /// Taking a storage node out of the rings and putting it back, with the real swift-ring-builder 2.30 on builders
    /// in a temp directory (3 nodes × 2 devices, 3 replicas) and nodes that are directories on this machine.
    /// </summary>
    public class SwiftStorageNodeRingsTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        private static void AssertNodesHoldHostRings(SwiftRingTestBed bed, SwiftStorageNodeResult result)
        {
            foreach (var ring in SwiftRingHost.RingNames)
            {
                string host = SwiftRingTestBed.Md5(Path.Combine(bed.HostDir, ring + ".ring.gz"));
                foreach (var t in bed.Targets)
                    Assert.Equal(host, SwiftRingTestBed.Md5(t.RingFilePath(ring)));
            }
            Assert.Equal(bed.Targets.Count * 3, result.Copies.Count);
            Assert.All(result.Copies, c => Assert.Equal(SwiftRingFileCopy.Same, c.Status));
            Assert.Equal("Consistent", result.RingsState);
        }

        // Each test is one bed (a copy of rings built once per run) and one story: every swift-ring-builder call is a python
        // start-up (about half a second of CPU), so the checks of one state are made together rather than in a test each.

        [Fact]
        public async Task Remove_refuse_a_second_node_then_put_back_held_by_min_part_hours_and_done_from_the_journal()
        {
            using (var bed = new SwiftRingTestBed(minPartHours: 1))
            {
                var (before, _) = bed.Devices();
                Assert.Equal(18, before.Length);
                var fingerprint = bed.Fingerprint();
                var oldObjectRing = SwiftRingTestBed.Md5(Path.Combine(bed.HostDir, "object.ring.gz"));
                var rings = new SwiftStorageNodeRings(bed.Host);

                // -WhatIf's plan: the exact command lines, nothing changed.
                var plan = await rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None);
                Assert.Equal(6, plan.Devices.Count);
                Assert.All(plan.Devices, d => Assert.Equal("127.0.0.13", d.Ip));
                var objectIds = plan.Devices.Where(d => d.Ring == "object").Select(d => d.Id).ToList();
                Assert.Contains(plan.Steps, s => s.Command == $"{SwiftRingTestBed.Tool} {bed.HostDir}/object.builder remove d{objectIds[0]} d{objectIds[1]} --yes");
                Assert.Contains(plan.Steps, s => s.Action.Contains($"device d{objectIds[0]} r1z3-127.0.0.13:6200") && s.Action.Contains("partitions"));
                Assert.Equal(3, plan.Steps.Count(s => s.Command != null && s.Command.EndsWith(" rebalance", StringComparison.Ordinal)));
                Assert.Equal(4, plan.Steps.Count(s => s.Command == null)); // a copy to each of the 4 nodes
                Assert.Contains(plan.Warnings, w => w.Contains("2 node(s) remain for 3 replicas"));
                Assert.Equal(fingerprint, bed.Fingerprint());
                Assert.False(File.Exists(bed.JournalPath));

                // Removing is never held back: swift reassigns a removed device's partitions whatever min_part_hours says.
                var removed = await rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None);
                Assert.Equal(SwiftStorageNodeResult.Removed, removed.Status);
                Assert.Equal(3, removed.Rebalances.Count);
                Assert.All(removed.Rebalances, r => Assert.Equal(SwiftRebalanceResult.Rebalanced, r.Status));
                var (afterRemoval, _) = bed.Devices();
                Assert.Equal(before.Where(k => !k.Contains("|127.0.0.13|")), afterRemoval);
                Assert.NotEqual(oldObjectRing, SwiftRingTestBed.Md5(Path.Combine(bed.HostDir, "object.ring.gz")));
                AssertNodesHoldHostRings(bed, removed);

                // The journal: each device's original parameters, the backups.
                var journal = SwiftRingJournal.Read(bed.JournalPath);
                Assert.Equal(SwiftRingJournal.Removed, journal.State);
                Assert.Equal("127.0.0.13", journal.NodeIp);
                Assert.Equal(new[] { "account", "container", "object" }, journal.Rings.Select(r => r.Ring));
                Assert.All(journal.Rings, r => Assert.Equal(2, r.Devices.Count));
                var d2 = journal.Rings.Single(r => r.Ring == "container").Devices.Single(d => d.Device == "d2");
                Assert.Equal((1, 3, "127.0.0.13", 6201, "127.0.1.13", 6230, 102.0, "s03 disk 2"), (d2.Region, d2.Zone, d2.Ip, d2.Port, d2.ReplicationIp, d2.ReplicationPort, d2.Weight, d2.Meta));
                Assert.All(journal.Rings, r => Assert.True(File.Exists(r.BuilderBackup) && File.Exists(r.RingFileBackup)));

                // A second node out would leave 2 devices for 3 replicas: refused before anything changes ...
                var afterRemovalFingerprint = bed.Fingerprint();
                var refused = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.12", bed.Targets, None));
                Assert.Equal((SwiftRingError.ReplicasNotHeld, "SwiftRingReplicasNotHeld"), (refused.Error, refused.Outcome));
                Assert.Contains("2 device(s) with weight for 3 replicas", refused.Message);
                Assert.Equal(afterRemovalFingerprint, bed.Fingerprint());
                // ... which is what swift-ring-builder itself refuses (exit 2), on a copy of the builder.
                string scratch = Path.Combine(bed.Root, "scratch");
                Directory.CreateDirectory(scratch);
                File.Copy(Path.Combine(bed.HostDir, "object.builder"), Path.Combine(scratch, "object.builder"));
                // (this one is /usr/bin/swift-ring-builder itself, started as a node would start it)
                var scratchHost = new SwiftRingHost(new LocalNodeShell("scratch") { PreloadedRingBuilder = false }, scratch) { Program = SwiftRingTestBed.Tool };
                var s02 = (await scratchHost.DescribeAsync("object", None)).Devices.Where(d => d.Ip == "127.0.0.12").Select(d => d.Id).ToList();
                await scratchHost.RemoveDevicesAsync("object", s02, None);
                var rb = await scratchHost.RebalanceAsync("object", DateTimeOffset.UtcNow, None);
                Assert.Equal((SwiftRebalanceResult.Failed, 2), (rb.Status, rb.ExitCode));
                Assert.Contains("Replica count of 3.0 requires more than 2 devices", rb.Message);

                // Put back within min_part_hours: added with the original parameters, the rebalance held back and said so.
                var putBack = await rings.PlanPutBackAsync(journal, bed.Targets, None);
                Assert.Equal(6, putBack.Devices.Count);
                Assert.Contains(putBack.Steps, s => s.Command == $"{SwiftRingTestBed.Tool} {bed.HostDir}/container.builder add --region 1 --zone 3 --ip 127.0.0.13 --port 6201 --replication-ip 127.0.1.13 --replication-port 6230 --device d2 --weight 102.00 --meta 's03 disk 2'");
                Assert.Contains(putBack.Warnings, w => w.Contains("min_part_hours is 1"));
                var ringFilesBefore = bed.Fingerprint().Where(kv => kv.Key.EndsWith(".ring.gz", StringComparison.Ordinal)).ToList();
                var t0 = DateTimeOffset.UtcNow;
                var held = await rings.PutBackAsync(putBack, journal, bed.JournalPath, bed.Targets, None);
                Assert.Equal(SwiftStorageNodeResult.HeldBack, held.Status);
                Assert.All(held.Rebalances, r =>
                {
                    Assert.Equal((SwiftRebalanceResult.HeldBack, 1, 1), (r.Status, r.ExitCode, r.MinPartHours));
                    Assert.InRange(r.TimeLeft, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
                    Assert.InRange(r.PossibleAt.Value, t0.AddMinutes(50), t0.AddHours(1).AddMinutes(1));
                });
                Assert.Contains("held back by min_part_hours", held.Message);
                Assert.Contains("Run Restore-SwiftStorageNode -JournalPath", held.Message);
                Assert.Equal(ringFilesBefore, bed.Fingerprint().Where(kv => kv.Key.EndsWith(".ring.gz", StringComparison.Ordinal)).ToList());
                AssertNodesHoldHostRings(bed, held);
                Assert.Equal(SwiftRingJournal.PutBackPending, SwiftRingJournal.Read(bed.JournalPath).State);
                var (heldKeys, heldParts) = bed.Devices();
                Assert.Equal(before, heldKeys);                                                   // in the builders ...
                Assert.All(heldKeys.Where(k => k.Contains("|127.0.0.13|")), k => Assert.Equal(0, heldParts[k])); // ... without partitions

                // An hour later (pretended): the same command finishes the job, adding nothing twice.
                bed.PretendMinPartHoursPassed();
                journal = SwiftRingJournal.Read(bed.JournalPath);
                var plan2 = await rings.PlanPutBackAsync(journal, bed.Targets, None);
                Assert.Empty(plan2.Devices);
                Assert.Equal(3, plan2.Rebalances.Count);
                var done = await rings.PutBackAsync(plan2, journal, bed.JournalPath, bed.Targets, None);
                Assert.Equal(SwiftStorageNodeResult.Added, done.Status);
                var (after, parts) = bed.Devices();
                Assert.Equal(before, after);
                Assert.All(after, k => Assert.True(parts[k] > 0, k));
                AssertNodesHoldHostRings(bed, done);
                Assert.Equal(SwiftRingJournal.PutBack, SwiftRingJournal.Read(bed.JournalPath).State);

                // Once back, the journal has nothing left to do.
                var again = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanPutBackAsync(SwiftRingJournal.Read(bed.JournalPath), bed.Targets, None));
                Assert.Equal(SwiftRingError.NothingToRestore, again.Error);
            }
        }

        [Fact]
        public async Task A_failed_rebalance_or_a_node_lost_mid_copy_rolls_back_everywhere_and_a_failed_rollback_names_the_backups()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var before = bed.Fingerprint();

                // The object builder's rebalance fails after the account and container rings were rebalanced and written:
                // their builders and ring files are put back (swift-ring-builder behind a wrapper that fails that one call).
                bed.HostShell.FailCommand = line => line.EndsWith("object.builder rebalance", StringComparison.Ordinal) ? "injected failure" : null;
                var failing = new SwiftStorageNodeRings(bed.Host);
                string journal0 = Path.Combine(bed.Root, "journal0.json");
                var r0 = await Assert.ThrowsAsync<SwiftRingException>(async () => await failing.RemoveAsync(await failing.PlanRemovalAsync("127.0.0.12", bed.Targets, None), bed.Targets, journal0, None));
                Assert.Equal(SwiftRingError.RolledBack, r0.Error);
                Assert.Contains("injected failure", r0.Message);
                Assert.Equal(before, bed.Fingerprint());
                Assert.Equal(SwiftRingJournal.RolledBack, SwiftRingJournal.Read(journal0).State);
                Assert.Contains(SwiftRingJournal.Read(journal0).Events, ev => ev.Contains("account: Rebalanced"));
                bed.HostShell.FailCommand = null;

                var rings = new SwiftStorageNodeRings(bed.Host);
                var plan = await rings.PlanRemovalAsync("127.0.0.12", bed.Targets, None);
                // s01 gets the new rings, then s02's connection drops after its first file (and is back for the rollback).
                bed.Shells["s02"].FailUploadsAfter = 1;
                bed.Shells["s02"].FailOnce = true;
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None));
                Assert.Equal((SwiftRingError.RolledBack, "s02.example.com"), (e.Error, e.Target));
                Assert.Contains("the connection was lost", e.Message);
                Assert.Contains("put back", e.Message);
                Assert.True(bed.Shells["s01"].Uploads >= 6);     // s01 got the new rings and then the old ones again
                Assert.Equal(before, bed.Fingerprint());        // every builder and ring file, ring host and nodes, as before
                var journal = SwiftRingJournal.Read(bed.JournalPath);
                Assert.Equal(SwiftRingJournal.RolledBack, journal.State);
                Assert.Contains(journal.Events, ev => ev.Contains("rolled back"));
                Assert.Equal(SwiftRingError.NothingToRestore,
                    (await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanPutBackAsync(journal, bed.Targets, None))).Error);

                // The same removal with s02 gone for good: neither the new rings nor the old ones reach it.
                string journal2 = Path.Combine(bed.Root, "journal2.json");
                bed.Shells["s02"].FailUploadsAfter = 0;
                bed.Shells["s02"].FailOnce = false;
                var e2 = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, journal2, None));
                Assert.Equal(SwiftRingError.Inconsistent, e2.Error);
                var j2 = SwiftRingJournal.Read(journal2);
                Assert.Equal(SwiftRingJournal.Inconsistent, j2.State);
                foreach (var r in j2.Rings) Assert.Contains(r.BuilderBackup, e2.Message);
                Assert.Contains("s02.example.com", e2.Message);
                // The ring host has the previous builders again (the rollback got that far).
                foreach (var r in j2.Rings) Assert.Equal(r.BuilderMd5Before, SwiftRingTestBed.Md5(r.BuilderPath));
            }
        }

        [Fact]
        public async Task Refusals_before_anything_changes_and_reading_compares_every_nodes_ring_files()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var rings = new SwiftStorageNodeRings(bed.Host);
                var before = bed.Fingerprint();

                var read = await rings.ReadAsync(bed.Targets, None);
                Assert.All(read, r => Assert.Equal("Consistent", r.Status));
                Assert.Equal(new[] { "127.0.0.11", "127.0.0.12", "127.0.0.13" }, SwiftStorageNodeRings.RingIps(read));

                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.99", bed.Targets, None));
                Assert.Equal(SwiftRingError.NodeNotInRing, e.Error);
                Assert.Contains("127.0.0.11, 127.0.0.12, 127.0.0.13", e.Message);

                // A journal path that exists is never replaced, and nothing changes.
                File.WriteAllText(bed.JournalPath, "an earlier journal");
                var plan = await rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None);
                var j = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None));
                Assert.Equal(SwiftRingError.JournalUnwritable, j.Error);
                Assert.Equal("an earlier journal", File.ReadAllText(bed.JournalPath));
                Assert.Equal(before, bed.Fingerprint());

                // A node's ring file changed or missing shows in the read.
                File.Copy(Path.Combine(bed.HostDir, "account.ring.gz"), bed.Targets[1].RingFilePath("object"), true);
                File.Delete(bed.Targets[2].RingFilePath("container"));
                read = await rings.ReadAsync(bed.Targets, None);
                Assert.Equal("Consistent", read.Single(r => r.Ring == "account").Status);
                Assert.Equal(SwiftRingFileCopy.Differs, read.Single(r => r.Ring == "object").Copies.Single(c => c.Node == "s02.example.com").Status);
                Assert.Equal(SwiftRingFileCopy.Missing, read.Single(r => r.Ring == "container").Copies.Single(c => c.Node == "s03.example.com").Status);

                // A builder with a change not rebalanced yet is refused.
                bed.Run("container", "remove", "d0");
                var pending = bed.Fingerprint();
                var p = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None));
                Assert.Equal(SwiftRingError.PendingChanges, p.Error);
                Assert.Contains("d0", p.Message);
                Assert.Equal(pending, bed.Fingerprint());
            }
        }
    }
}
