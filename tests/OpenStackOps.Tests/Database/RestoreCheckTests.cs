using System.Collections.Generic;
using System.Linq;
using OpenStackOps.Database;
using Xunit;

namespace OpenStackOps.Tests.Database
{
    /// <summary>The restore's comparison of the rows as they are with the rows as the move left them.</summary>
    public class RestoreCheckTests
    {
        private static RecoveryJournal Journal() => new RecoveryJournal
        {
            FailedHost = "c03", Destination = "c02", DestinationNode = "c02-node",
            Instances = { new InstanceRow { Uuid = "i-1", DisplayName = "web", Host = "c03", Node = "c03", LaunchedOn = "c03", VmState = "active", Deleted = 0 } },
            Bindings = { new PortBindingRow { PortId = "p-1", Host = "c03", VifType = "ovs", VnicType = "normal", Profile = "", VifDetails = "{}", Status = "ACTIVE" } },
            Levels = { new PortBindingLevelRow { PortId = "p-1", Host = "c03", Level = 0, Driver = "openvswitch" } },
        };

        private static InstanceRow Moved() => new InstanceRow { Uuid = "i-1", DisplayName = "web", Host = "c02", Node = "c02-node", LaunchedOn = "c03", VmState = "active", Deleted = 0 };
        private static PortBindingRow MovedBinding() => new PortBindingRow { PortId = "p-1", Host = "c02", VifType = "ovs", VnicType = "normal", Profile = "", VifDetails = "{}", Status = "ACTIVE" };
        private static PortBindingLevelRow MovedLevel() => new PortBindingLevelRow { PortId = "p-1", Host = "c02", Level = 0, Driver = "openvswitch" };

        [Fact]
        public void RowsAsTheMoveLeftThemHaveNoDifferences()
        {
            Assert.Empty(RestoreCheck.NovaDifferences(Journal(), new[] { Moved() }));
            Assert.Empty(RestoreCheck.NeutronDifferences(Journal(), new[] { MovedBinding() }, new[] { MovedLevel() }));
        }

        [Fact]
        public void EveryChangedInstanceColumnIsNamedWithBothValues()
        {
            var now = Moved();
            now.VmState = "stopped"; now.TaskState = "powering-on"; now.Node = "elsewhere";
            var found = RestoreCheck.NovaDifferences(Journal(), new[] { now });
            Assert.Equal(new[]
            {
                "instance web (i-1): node is 'elsewhere', the move left 'c02-node'",
                "instance web (i-1): vm_state is 'stopped', the move left 'active'",
                "instance web (i-1): task_state is 'powering-on', the move left NULL",
            }, found.Select(d => d.Text));
            Assert.All(found, d => Assert.Equal("i-1", d.Target));
        }

        [Fact]
        public void AGoneRowAndABindingThatAppearedAreDifferences()
        {
            Assert.Equal("instance web (i-1): its row is gone", Assert.Single(RestoreCheck.NovaDifferences(Journal(), new InstanceRow[0])).Text);
            var inactive = new PortBindingRow { PortId = "p-1", Host = "c05", Status = "INACTIVE" };
            var found = RestoreCheck.NeutronDifferences(Journal(), new[] { MovedBinding(), inactive }, new[] { MovedLevel() });
            Assert.Equal("port p-1: a binding for host 'c05' (status INACTIVE) appeared after the move", Assert.Single(found).Text);
        }

        [Fact]
        public void AChangedProfileAndAMissingLevelAreDifferences()
        {
            var b = MovedBinding();
            b.Profile = "{\"migrating_to\": \"c05\"}";
            var found = RestoreCheck.NeutronDifferences(Journal(), new[] { b }, new List<PortBindingLevelRow>());
            Assert.Equal(new[]
            {
                "port p-1 binding: profile is '{\"migrating_to\": \"c05\"}', the move left ''",
                "port p-1: binding level 0 on 'c02' is gone",
            }, found.Select(d => d.Text));
        }
    }
}
