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

        private static string Key(SwiftRingDevice d) => $"{d.Ring}|{d.Region}|{d.Zone}|{d.Ip}|{d.Port}|{d.ReplicationIp}|{d.ReplicationPort}|{d.Device}|{d.Weight:0.00}|{d.Meta}";

        private static async Task<string[]> DeviceKeys(SwiftRingTestBed bed)
            => (await bed.Host.DescribeAllAsync(None)).SelectMany(r => r.Devices).Select(Key).OrderBy(k => k, StringComparer.Ordinal).ToArray();

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

        [Fact]
        public async Task Remove_then_put_back_from_the_journal_gives_the_original_devices_and_every_node_the_same_rings()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var before = await DeviceKeys(bed);
                Assert.Equal(18, before.Length);
                var oldObjectRing = SwiftRingTestBed.Md5(Path.Combine(bed.HostDir, "object.ring.gz"));
                var rings = new SwiftStorageNodeRings(bed.Host);

                var plan = await rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None);
                Assert.Equal(6, plan.Devices.Count);
                Assert.All(plan.Devices, d => Assert.Equal("127.0.0.13", d.Ip));
                Assert.Contains(plan.Steps, s => s.Command == $"{SwiftRingTestBed.Tool} {bed.HostDir}/object.builder remove d{plan.Devices.First(d => d.Ring == "object").Id}");
                Assert.Equal(3, plan.Steps.Count(s => s.Command != null && s.Command.EndsWith(" rebalance", StringComparison.Ordinal)));
                Assert.Equal(4, plan.Steps.Count(s => s.Command == null)); // a copy to each of the 4 nodes
                Assert.Contains(plan.Warnings, w => w.Contains("2 node(s) remain for 3 replicas"));
                Assert.Equal(before.Length, (await DeviceKeys(bed)).Length); // planning changed nothing
                Assert.False(File.Exists(bed.JournalPath));

                var removed = await rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None);
                Assert.Equal(SwiftStorageNodeResult.Removed, removed.Status);
                Assert.All(removed.Rebalances, r => Assert.Equal(SwiftRebalanceResult.Rebalanced, r.Status));
                Assert.Equal(12, (await DeviceKeys(bed)).Length);
                Assert.DoesNotContain(await DeviceKeys(bed), k => k.Contains("|127.0.0.13|"));
                Assert.NotEqual(oldObjectRing, SwiftRingTestBed.Md5(Path.Combine(bed.HostDir, "object.ring.gz")));
                AssertNodesHoldHostRings(bed, removed);

                var journal = SwiftRingJournal.Read(bed.JournalPath);
                Assert.Equal(SwiftRingJournal.Removed, journal.State);
                Assert.Equal("127.0.0.13", journal.NodeIp);
                Assert.Equal(new[] { "account", "container", "object" }, journal.Rings.Select(r => r.Ring));
                var d2 = journal.Rings.Single(r => r.Ring == "container").Devices.Single(d => d.Device == "d2");
                Assert.Equal((1, 3, "127.0.0.13", 6201, "127.0.1.13", 6230, 102.0, "s03 disk 2"), (d2.Region, d2.Zone, d2.Ip, d2.Port, d2.ReplicationIp, d2.ReplicationPort, d2.Weight, d2.Meta));
                Assert.All(journal.Rings, r => Assert.True(File.Exists(r.BuilderBackup) && File.Exists(r.RingFileBackup)));

                var putBackPlan = await rings.PlanPutBackAsync(journal, bed.Targets, None);
                Assert.Equal(6, putBackPlan.Devices.Count);
                Assert.Contains(putBackPlan.Steps, s => s.Command != null && s.Command.Contains("container.builder add --region 1 --zone 3 --ip 127.0.0.13 --port 6201 --replication-ip 127.0.1.13 --replication-port 6230 --device d2 --weight 102.00 --meta 's03 disk 2'"));
                var added = await rings.PutBackAsync(putBackPlan, journal, bed.JournalPath, bed.Targets, None);
                Assert.Equal(SwiftStorageNodeResult.Added, added.Status);
                Assert.Equal(before, await DeviceKeys(bed));
                Assert.All((await bed.Host.DescribeAllAsync(None)).SelectMany(r => r.Devices), d => Assert.True(d.Partitions > 0, d.ToString()));
                AssertNodesHoldHostRings(bed, added);
                Assert.Equal(SwiftRingJournal.PutBack, SwiftRingJournal.Read(bed.JournalPath).State);

                // Once back, the journal has nothing left to do.
                var again = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanPutBackAsync(SwiftRingJournal.Read(bed.JournalPath), bed.Targets, None));
                Assert.Equal(SwiftRingError.NothingToRestore, again.Error);
            }
        }

        [Fact]
        public async Task Refuses_when_the_remaining_devices_cannot_hold_the_replicas_and_changes_nothing()
        {
            using (var bed = new SwiftRingTestBed(nodes: 3, devicesPerNode: 1))
            {
                var before = bed.Fingerprint();
                var rings = new SwiftStorageNodeRings(bed.Host);
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.12", bed.Targets, None));
                Assert.Equal(SwiftRingError.ReplicasNotHeld, e.Error);
                Assert.Equal("SwiftRingReplicasNotHeld", e.Outcome);
                Assert.Contains("2 device(s) with weight for 3 replicas", e.Message);
                Assert.Equal(before, bed.Fingerprint());
                Assert.False(File.Exists(bed.JournalPath));

                // What the check stands for: swift-ring-builder itself refuses that rebalance (exit 2).
                bed.Run("object", "remove", "d1");
                var rb = await bed.Host.RebalanceAsync("object", DateTimeOffset.UtcNow, None);
                Assert.Equal(SwiftRebalanceResult.Failed, rb.Status);
                Assert.Equal(2, rb.ExitCode);
                Assert.Contains("Replica count of 3.0 requires more than 2 devices", rb.Message);
            }
        }

        [Fact]
        public async Task A_put_back_within_min_part_hours_is_held_back_with_the_hours_and_time_and_done_when_run_again()
        {
            using (var bed = new SwiftRingTestBed(minPartHours: 1))
            {
                var before = await DeviceKeys(bed);
                var rings = new SwiftStorageNodeRings(bed.Host);
                // Removing is never held back: swift reassigns a removed device's partitions whatever min_part_hours says.
                var removed = await rings.RemoveAsync(await rings.PlanRemovalAsync("127.0.0.11", bed.Targets, None), bed.Targets, bed.JournalPath, None);
                Assert.Equal(SwiftStorageNodeResult.Removed, removed.Status);

                var journal = SwiftRingJournal.Read(bed.JournalPath);
                var plan = await rings.PlanPutBackAsync(journal, bed.Targets, None);
                Assert.Contains(plan.Warnings, w => w.Contains("min_part_hours is 1"));
                var ringFilesBefore = bed.Fingerprint().Where(kv => kv.Key.EndsWith(".ring.gz", StringComparison.Ordinal)).ToList();
                var t0 = DateTimeOffset.UtcNow;
                var held = await rings.PutBackAsync(plan, journal, bed.JournalPath, bed.Targets, None);
                Assert.Equal(SwiftStorageNodeResult.HeldBack, held.Status);
                Assert.All(held.Rebalances, r =>
                {
                    Assert.Equal(SwiftRebalanceResult.HeldBack, r.Status);
                    Assert.Equal(1, r.ExitCode);
                    Assert.Equal(1, r.MinPartHours);
                    Assert.InRange(r.TimeLeft, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
                    Assert.InRange(r.PossibleAt.Value, t0.AddMinutes(55), t0.AddHours(1).AddMinutes(1));
                });
                Assert.Contains("held back by min_part_hours", held.Message);
                Assert.Contains("Run Restore-SwiftStorageNode -JournalPath", held.Message);
                // The ring files did not change and every node still has the ring host's.
                Assert.Equal(ringFilesBefore, bed.Fingerprint().Where(kv => kv.Key.EndsWith(".ring.gz", StringComparison.Ordinal)).ToList());
                AssertNodesHoldHostRings(bed, held);
                Assert.Equal(SwiftRingJournal.PutBackPending, SwiftRingJournal.Read(bed.JournalPath).State);
                // The devices are in the builders, without partitions.
                Assert.Equal(before, await DeviceKeys(bed));

                // An hour later (pretended): the same command finishes the job, adding nothing twice.
                foreach (var ring in SwiftRingHost.RingNames) bed.Run(ring, "pretend_min_part_hours_passed");
                journal = SwiftRingJournal.Read(bed.JournalPath);
                var plan2 = await rings.PlanPutBackAsync(journal, bed.Targets, None);
                Assert.Empty(plan2.Devices);
                Assert.Equal(3, plan2.Rebalances.Count);
                var done = await rings.PutBackAsync(plan2, journal, bed.JournalPath, bed.Targets, None);
                Assert.Equal(SwiftStorageNodeResult.Added, done.Status);
                Assert.Equal(before, await DeviceKeys(bed));
                Assert.Contains((await bed.Host.DescribeAsync("object", None)).Devices, d => d.Ip == "127.0.0.11" && d.Partitions > 0);
                AssertNodesHoldHostRings(bed, done);
            }
        }

        [Fact]
        public async Task A_node_lost_in_the_middle_of_the_copy_puts_the_previous_rings_back_everywhere()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var before = bed.Fingerprint();
                var rings = new SwiftStorageNodeRings(bed.Host);
                var plan = await rings.PlanRemovalAsync("127.0.0.12", bed.Targets, None);
                // s01 gets the new rings, then s02's connection drops after its first file.
                bed.Shells["s02"].FailUploadsAfter = 1;
                bed.Shells["s02"].FailOnce = true;
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None));
                Assert.Equal(SwiftRingError.RolledBack, e.Error);
                Assert.Equal("s02.example.com", e.Target);
                Assert.Contains("the connection was lost", e.Message);
                Assert.Contains("put back", e.Message);
                // The rollback reached s02 again (its connection is back) ...
                Assert.True(bed.Shells["s01"].Uploads >= 6);
                // ... and every builder and ring file, on the ring host and every node, is as before.
                Assert.Equal(before, bed.Fingerprint());
                var journal = SwiftRingJournal.Read(bed.JournalPath);
                Assert.Equal(SwiftRingJournal.RolledBack, journal.State);
                Assert.Contains(journal.Events, ev => ev.Contains("rolled back"));
                Assert.Equal(SwiftRingError.NothingToRestore,
                    (await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanPutBackAsync(journal, bed.Targets, None))).Error);
            }
        }

        [Fact]
        public async Task When_the_rollback_fails_too_the_error_says_where_the_backups_are()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var rings = new SwiftStorageNodeRings(bed.Host);
                var plan = await rings.PlanRemovalAsync("127.0.0.12", bed.Targets, None);
                bed.Shells["s02"].FailUploadsAfter = 0; // s02 never takes a file: neither the new rings nor the old ones
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None));
                Assert.Equal(SwiftRingError.Inconsistent, e.Error);
                var journal = SwiftRingJournal.Read(bed.JournalPath);
                Assert.Equal(SwiftRingJournal.Inconsistent, journal.State);
                foreach (var r in journal.Rings) Assert.Contains(r.BuilderBackup, e.Message);
                Assert.Contains("s02.example.com", e.Message);
                // The ring host has the previous builders again (the rollback got that far).
                foreach (var r in journal.Rings) Assert.Equal(r.BuilderMd5Before, SwiftRingTestBed.Md5(r.BuilderPath));
            }
        }

        [Fact]
        public async Task A_node_not_in_the_rings_and_pending_builder_changes_are_refused_before_anything_changes()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var rings = new SwiftStorageNodeRings(bed.Host);
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.99", bed.Targets, None));
                Assert.Equal(SwiftRingError.NodeNotInRing, e.Error);
                Assert.Contains("127.0.0.11, 127.0.0.12, 127.0.0.13", e.Message);

                bed.Run("container", "remove", "d0");
                var before = bed.Fingerprint();
                var p = await Assert.ThrowsAsync<SwiftRingException>(() => rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None));
                Assert.Equal(SwiftRingError.PendingChanges, p.Error);
                Assert.Contains("d0", p.Message);
                Assert.Equal(before, bed.Fingerprint());
            }
        }

        [Fact]
        public async Task A_journal_path_that_exists_is_never_replaced_and_nothing_changes()
        {
            using (var bed = new SwiftRingTestBed())
            {
                File.WriteAllText(bed.JournalPath, "an earlier journal");
                var before = bed.Fingerprint();
                var rings = new SwiftStorageNodeRings(bed.Host);
                var plan = await rings.PlanRemovalAsync("127.0.0.13", bed.Targets, None);
                var e = await Assert.ThrowsAsync<SwiftRingException>(() => rings.RemoveAsync(plan, bed.Targets, bed.JournalPath, None));
                Assert.Equal(SwiftRingError.JournalUnwritable, e.Error);
                Assert.Equal("an earlier journal", File.ReadAllText(bed.JournalPath));
                Assert.Equal(before, bed.Fingerprint());
            }
        }

        [Fact]
        public async Task Read_compares_every_nodes_ring_files_with_the_ring_hosts()
        {
            using (var bed = new SwiftRingTestBed())
            {
                var rings = new SwiftStorageNodeRings(bed.Host);
                var read = await rings.ReadAsync(bed.Targets, None);
                Assert.All(read, r => Assert.Equal("Consistent", r.Status));
                File.Copy(Path.Combine(bed.HostDir, "account.ring.gz"), bed.Targets[1].RingFilePath("object"), true);
                File.Delete(bed.Targets[2].RingFilePath("container"));
                read = await rings.ReadAsync(bed.Targets, None);
                Assert.Equal("Consistent", read.Single(r => r.Ring == "account").Status);
                Assert.Equal(SwiftRingFileCopy.Differs, read.Single(r => r.Ring == "object").Copies.Single(c => c.Node == "s02.example.com").Status);
                Assert.Equal(SwiftRingFileCopy.Missing, read.Single(r => r.Ring == "container").Copies.Single(c => c.Node == "s03.example.com").Status);
                Assert.Equal(new[] { "127.0.0.11", "127.0.0.12", "127.0.0.13" }, SwiftStorageNodeRings.RingIps(read));
            }
        }
    }
}
