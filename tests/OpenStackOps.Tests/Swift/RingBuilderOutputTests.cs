using System;
using System.Linq;
using OpenStackOps.Swift;
using Xunit;

namespace OpenStackOps.Tests.Swift
{
    /// <summary>The parser on output captured from swift-ring-builder 2.30.1 (Debian 12's swift package).</summary>
    public class RingBuilderOutputTests
    {
        // swift-ring-builder object.builder, after `remove d4` and `remove d5`, before the rebalance.
        private const string MarkedForRemoval =
            "object.builder, build version 9, id a6fcccd8ffc04fe89ee04c3cf8f80702\n" +
            "256 partitions, 3.000000 replicas, 1 regions, 3 zones, 6 devices, 999.99 balance, 0.00 dispersion\n" +
            "The minimum number of hours before a partition can be reassigned is 1 (0:59:44 remaining)\n" +
            "The overload factor is 0.00% (0.000000)\n" +
            "Ring file object.ring.gz is up-to-date\n" +
            "Devices:   id region zone ip address:port replication ip:port  name weight partitions balance flags meta\n" +
            "            0      1    1 127.0.0.11:6200     127.0.1.11:6210    d1 100.00        128  -33.33       node s01\n" +
            "            1      1    1 127.0.0.11:6200     127.0.1.11:6210    d2 100.00        128  -33.33       node s01\n" +
            "            2      1    2 127.0.0.12:6200     127.0.1.12:6210    d1 100.00        128  -33.33       node s02\n" +
            "            3      1    2 127.0.0.12:6200     127.0.1.12:6210    d2 100.00        128  -33.33       node s02\n" +
            "            4      1    3 127.0.0.13:6200     127.0.1.13:6210    d1   0.00        128  999.99   DEL node s03\n" +
            "            5      1    3 127.0.0.13:6200     127.0.1.13:6210    d2   0.00        128  999.99   DEL node s03\n";

        // A new builder before its first rebalance, devices without meta (the line ends in the flags' spaces).
        private const string NotWritten =
            "t.builder, build version 3, id 359df7ec1541421cb20fa55d436128aa\n" +
            "256 partitions, 3.000000 replicas, 1 regions, 3 zones, 3 devices, 100.00 balance, 0.00 dispersion\n" +
            "The minimum number of hours before a partition can be reassigned is 0 (0:00:00 remaining)\n" +
            "The overload factor is 0.00% (0.000000)\n" +
            "Ring file t.ring.gz not found, probably it hasn't been written yet\n" +
            "Devices:   id region zone ip address:port replication ip:port  name weight partitions balance flags meta\n" +
            "            0      1    1 127.0.0.11:6200     127.0.0.11:6200    d1 100.00          0 -100.00       \n" +
            "            1      1    2 127.0.0.12:6200     127.0.0.12:6200    d1 100.00          0 -100.00       \n" +
            "            2      1    3 127.0.0.13:6200     127.0.0.13:6200    d1 100.00          0 -100.00       \n";

        [Fact]
        public void Description_with_devices_marked_for_removal()
        {
            var ring = RingBuilderOutput.ParseDescription("object", MarkedForRemoval);
            Assert.Equal((9, 256, 3.0, 1, 3, 6, 999.99, 0.0), (ring.BuildVersion, ring.Partitions, ring.Replicas, ring.Regions, ring.Zones, ring.DeviceCount, ring.Balance, ring.Dispersion.Value));
            Assert.Equal(1, ring.MinPartHours);
            Assert.Equal(new TimeSpan(0, 59, 44), ring.MinPartTimeLeft);
            Assert.Equal("up-to-date", ring.RingFileState);
            Assert.Equal(6, ring.Devices.Count);
            var d4 = ring.Devices[4];
            Assert.Equal((4, 1, 3, "127.0.0.13", 6200, "127.0.1.13", 6210, "d1", 0.0, 128, 999.99, "DEL", "node s03"),
                (d4.Id, d4.Region, d4.Zone, d4.Ip, d4.Port, d4.ReplicationIp, d4.ReplicationPort, d4.Device, d4.Weight, d4.Partitions, d4.Balance, d4.Flags, d4.Meta));
            Assert.Equal("", ring.Devices[0].Flags);
            Assert.Equal("node s01", ring.Devices[0].Meta);
            Assert.Equal(4, ring.ActiveDevices);
            Assert.Equal("r1z3-127.0.0.13:6200R127.0.1.13:6210/d1", d4.Address);
        }

        [Fact]
        public void Description_of_a_ring_not_written_yet_and_empty_meta()
        {
            var ring = RingBuilderOutput.ParseDescription("t", NotWritten);
            Assert.Equal("missing", ring.RingFileState);
            Assert.Equal(TimeSpan.Zero, ring.MinPartTimeLeft);
            Assert.Equal(3, ring.Devices.Count);
            Assert.All(ring.Devices, d => Assert.Equal(("", "", 0), (d.Flags, d.Meta, d.Partitions)));
        }

        [Fact]
        public void An_ipv6_device_loses_its_brackets()
        {
            string text = NotWritten.Replace("127.0.0.11:6200     127.0.0.11:6200", "[fd00::11]:6200     [fd00::12]:6210");
            var d = RingBuilderOutput.ParseDescription("t", text).Devices[0];
            Assert.Equal(("fd00::11", 6200, "fd00::12", 6210), (d.Ip, d.Port, d.ReplicationIp, d.ReplicationPort));
            Assert.Equal("r1z1-[fd00::11]:6200R[fd00::12]:6210/d1", d.Address);
        }

        [Fact]
        public void Something_else_is_not_a_description()
        {
            Assert.Throws<FormatException>(() => RingBuilderOutput.ParseDescription("object", "Ring Builder file does not exist: /etc/swift/object.builder\n"));
        }

        [Fact]
        public void Rebalance_outcomes_from_their_exit_codes_and_output()
        {
            var now = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
            var ok = RingBuilderOutput.ParseRebalance("object", 0, "Reassigned 256 (100.00%) partitions. Balance is now 1.04.  Dispersion is now 0.00\n", now);
            Assert.Equal((SwiftRebalanceResult.Rebalanced, 256, 1.04, true), (ok.Status, ok.PartitionsReassigned, ok.Balance, ok.Written));

            var noted = RingBuilderOutput.ParseRebalance("object", 1,
                "Reassigned 768 (300.00%) partitions. Balance is now 0.00.  Dispersion is now 33.33\n-------\nNOTE: Dispersion of 33.333333 indicates some parts are not\n      optimally dispersed.\n-------\n", now);
            Assert.True(noted.Written);
            Assert.Contains("optimally dispersed", noted.Message);

            var held = RingBuilderOutput.ParseRebalance("object", 1,
                "No partitions could be reassigned.\nThe time between rebalances must be at least min_part_hours: 1 hours (0:59:35 remaining)\n", now);
            Assert.Equal((SwiftRebalanceResult.HeldBack, 1, new TimeSpan(0, 59, 35), false), (held.Status, held.MinPartHours, held.TimeLeft, held.Written));
            Assert.Equal(now + new TimeSpan(0, 59, 35), held.PossibleAt);
            Assert.Contains("2026-12-07 03:59:35 UTC", held.Message);

            var none = RingBuilderOutput.ParseRebalance("object", 1, "No partitions could be reassigned.\nThere is no need to do so at this time\n", now);
            Assert.Equal(SwiftRebalanceResult.NotNeeded, none.Status);

            var refused = RingBuilderOutput.ParseRebalance("t", 2,
                "-------------------------------------------------------------------------------\nAn error has occurred during ring validation. Common\ncauses of failure are rings that are empty or do not\nhave enough devices to accommodate the replica count.\nOriginal exception message:\n Replica count of 3.0 requires more than 2 devices\n-------------------------------------------------------------------------------\n", now);
            Assert.Equal(SwiftRebalanceResult.Failed, refused.Status);
            Assert.Contains("Replica count of 3.0 requires more than 2 devices", refused.Message);
        }

        [Theory]
        [InlineData("0:00:00", 0)]
        [InlineData("0:59:40", 3580)]
        [InlineData("1 day, 2:03:04", 93784)]
        [InlineData("3 days, 0:00:00.500000", 259200.5)]
        public void Python_timedeltas(string text, double seconds) => Assert.Equal(seconds, RingBuilderOutput.ParseTimeDelta(text).TotalSeconds);
    }
}
