using System.Linq;
using OpenStackOps.Database;
using Xunit;

namespace OpenStackOps.Tests.Database
{
    /// <summary>The planner with rows in memory: what moves, what blocks, and the statements it builds.</summary>
    public class DatabaseRecoveryPlannerTests
    {
        private const string Failed = "c03.example.com", Dest = "c02.example.com";
        private const string I1 = "11111111-1111-1111-1111-111111111111", I2 = "22222222-2222-2222-2222-222222222222";
        private const string P1 = "aaaaaaaa-0000-0000-0000-000000000001", P2 = "aaaaaaaa-0000-0000-0000-000000000002";

        private static RecoverySnapshot Healthy()
        {
            var s = new RecoverySnapshot();
            s.DestinationNodes.Add("c02.example.com");
            s.Instances.Add(new InstanceRow { Id = 1, Uuid = I1, DisplayName = "vm1", Host = Failed, Node = Failed, LaunchedOn = Failed, Deleted = 0 });
            s.Instances.Add(new InstanceRow { Id = 2, Uuid = I2, DisplayName = "vm2", Host = Failed, Node = Failed, LaunchedOn = "c01.example.com", Deleted = 0 });
            s.Ports.Add(new PortRow { Id = P1, DeviceId = I1, DeviceOwner = "compute:nova", Status = "ACTIVE" });
            s.Ports.Add(new PortRow { Id = P2, DeviceId = I2, DeviceOwner = "compute:nova", Status = "ACTIVE" });
            s.Bindings.Add(Binding(P1, Failed));
            s.Bindings.Add(Binding(P2, Failed));
            s.Levels.Add(Level(P1, Failed, 0));
            s.Levels.Add(Level(P2, Failed, 0));
            s.Levels.Add(Level(P2, Failed, 1));
            return s;
        }

        private static PortBindingRow Binding(string port, string host, string status = "ACTIVE", string vif = "ovs")
            => new PortBindingRow { PortId = port, Host = host, VifType = vif, VnicType = "normal", Profile = "", VifDetails = "{}", Status = status };

        private static PortBindingLevelRow Level(string port, string host, int level)
            => new PortBindingLevelRow { PortId = port, Host = host, Level = level, Driver = "openvswitch", SegmentId = "seg" };

        private static DatabaseRecoveryPlan Plan(RecoverySnapshot s, string dest = Dest, string node = null)
            => DatabaseRecoveryPlanner.Plan(s, new RecoveryRequest { FailedHost = Failed, Destination = dest, DestinationNode = node });

        [Fact]
        public void HealthyRowsPlanOneCheckedStatementPerRowWithHostsAsParameters()
        {
            var plan = Plan(Healthy());
            Assert.False(plan.IsBlocked, string.Join("; ", plan.Problems));
            Assert.Equal("c02.example.com", plan.DestinationNode);
            Assert.Equal(2, plan.NovaStatements.Count);
            Assert.All(plan.NovaStatements, st => Assert.Equal(1, st.ExpectedRows));
            Assert.Equal(4, plan.NeutronStatements.Count); // binding + levels per port
            Assert.Equal(2, plan.NeutronStatements.Single(st => st.Sql.Contains("levels") && st.Parameters["@port"] == P2).ExpectedRows);
            Assert.All(plan.Statements, st =>
            {
                Assert.DoesNotContain(Failed, st.Sql);
                Assert.DoesNotContain(Dest, st.Sql);
                Assert.Contains("@dest", st.Sql);
            });
            var nova = plan.NovaStatements[0];
            Assert.StartsWith("UPDATE `nova`.`instances` SET `host` = @dest, `node` = @destNode", nova.Sql);
            Assert.DoesNotContain("launched_on", nova.Sql);
            Assert.Equal(Failed, nova.Parameters["@oldNode"]);
            Assert.StartsWith("UPDATE `neutron`.`ml2_port_bindings`", plan.NeutronStatements[0].Sql);
        }

        [Fact]
        public void DatabaseNamesAreParametersOfThePlan()
        {
            var plan = DatabaseRecoveryPlanner.Plan(Healthy(), new RecoveryRequest { FailedHost = Failed, Destination = Dest }, "osops_t_nova", "osops_t_neutron");
            Assert.All(plan.NovaStatements, st => Assert.Contains("`osops_t_nova`.`instances`", st.Sql));
            Assert.All(plan.NeutronStatements, st => Assert.Contains("`osops_t_neutron`.", st.Sql));
        }

        [Fact]
        public void BindingForTheDestinationIsAConflict()
        {
            var s = Healthy();
            s.Bindings.Add(Binding(P2, Dest, "INACTIVE"));
            var plan = Plan(s);
            Assert.True(plan.IsBlocked);
            var p = plan.Problems.First();
            Assert.Equal(RecoveryProblemKind.DestinationBindingExists, p.Kind);
            Assert.Equal(P2, p.Target);
            Assert.Contains(P2, p.Message);
            Assert.Contains(plan.Problems, x => x.Kind == RecoveryProblemKind.DuplicateBinding);
            Assert.Contains(plan.Problems, x => x.Kind == RecoveryProblemKind.InactiveBinding);
        }

        [Fact]
        public void DestinationConflictIgnoresCaseAsTheCollationDoes()
        {
            var s = Healthy();
            s.Bindings.Add(Binding(P1, "C02.EXAMPLE.COM"));
            Assert.Contains(Plan(s).Problems, x => x.Kind == RecoveryProblemKind.DestinationBindingExists && x.Target == P1);
        }

        [Fact]
        public void InactiveBindingOnTheFailedHostBlocks()
        {
            var s = Healthy();
            s.Bindings[0].Status = "INACTIVE";
            var p = Assert.Single(Plan(s).Problems);
            Assert.Equal(RecoveryProblemKind.InactiveBinding, p.Kind);
            Assert.Equal(P1, p.Target);
        }

        [Fact]
        public void DuplicateBindingsBlock()
        {
            var s = Healthy();
            s.Bindings.Add(Binding(P1, "c01.example.com", "INACTIVE"));
            var plan = Plan(s);
            Assert.Contains(plan.Problems, x => x.Kind == RecoveryProblemKind.DuplicateBinding && x.Target == P1);
        }

        [Fact]
        public void BindingOnAThirdHostIsStale()
        {
            var s = Healthy();
            s.Bindings[1].Host = "c01.example.com";
            s.Levels.Where(l => l.PortId == P2).ToList().ForEach(l => l.Host = "c01.example.com");
            var p = Assert.Single(Plan(s).Problems);
            Assert.Equal(RecoveryProblemKind.StaleBinding, p.Kind);
            Assert.Equal(P2, p.Target);
            Assert.Contains("c01.example.com", p.Message);
        }

        [Fact]
        public void UnboundPortIsLeftAloneAndDoesNotBlock()
        {
            var s = Healthy();
            s.Bindings[0] = Binding(P1, "", vif: "unbound");
            s.Levels.RemoveAll(l => l.PortId == P1);
            var plan = Plan(s);
            Assert.False(plan.IsBlocked);
            Assert.Equal(new[] { P1 }, plan.UnboundPorts);
            Assert.DoesNotContain(plan.NeutronStatements, st => st.Parameters["@port"] == P1);
        }

        [Fact]
        public void LevelsOnAnotherHostThanTheBindingAreInconsistent()
        {
            var s = Healthy();
            s.Levels[0].Host = "c01.example.com";
            var p = Assert.Single(Plan(s).Problems);
            Assert.Equal(RecoveryProblemKind.InconsistentLevels, p.Kind);
            Assert.Equal(P1, p.Target);
        }

        [Fact]
        public void MissingOrGappedLevelsAreInconsistent()
        {
            var s = Healthy();
            s.Levels.RemoveAll(l => l.PortId == P1);
            s.Levels.RemoveAll(l => l.PortId == P2 && l.Level == 0);
            var plan = Plan(s);
            Assert.Equal(2, plan.Problems.Count(x => x.Kind == RecoveryProblemKind.InconsistentLevels));
            Assert.Contains(plan.Problems, x => x.Target == P1 && x.Message.Contains("no binding levels"));
            Assert.Contains(plan.Problems, x => x.Target == P2 && x.Message.Contains("not 0..0"));
        }

        [Fact]
        public void LevelsWithoutABindingAreInconsistent()
        {
            var s = Healthy();
            s.Bindings.RemoveAll(b => b.PortId == P1);
            Assert.Contains(Plan(s).Problems, x => x.Kind == RecoveryProblemKind.InconsistentLevels && x.Target == P1);
        }

        [Fact]
        public void DestinationNodeMustBeUniqueUnlessNamed()
        {
            var s = Healthy();
            s.DestinationNodes.Clear();
            Assert.Contains(Plan(s).Problems, x => x.Kind == RecoveryProblemKind.DestinationNodeUnknown);
            s.DestinationNodes.AddRange(new[] { "n1", "n2" });
            Assert.Contains(Plan(s).Problems, x => x.Kind == RecoveryProblemKind.DestinationNodeUnknown && x.Message.Contains("n1, n2"));
            var named = Plan(s, node: "n2");
            Assert.False(named.IsBlocked);
            Assert.All(named.NovaStatements, st => Assert.Equal("n2", st.Parameters["@destNode"]));
        }

        [Fact]
        public void NamedInstanceNotOnTheHostAndSameHostBlock()
        {
            var s = Healthy();
            s.MissingInstances.Add("99999999-9999-9999-9999-999999999999");
            Assert.Contains(Plan(s).Problems, x => x.Kind == RecoveryProblemKind.InstanceNotOnFailedHost);
            Assert.Contains(Plan(Healthy(), dest: "C03.example.com").Problems, x => x.Kind == RecoveryProblemKind.SameHost);
        }

        [Fact]
        public void HostileHostNamesStayInParametersAndDisplayQuotesThem()
        {
            const string evil = "c02'; DROP TABLE instances; -- `x`";
            var plan = Plan(Healthy(), dest: evil, node: evil);
            Assert.All(plan.Statements, st => Assert.DoesNotContain("DROP", st.Sql));
            Assert.Contains("@dest='c02''; DROP TABLE instances; -- `x`'", plan.NovaStatements[0].Display);
        }

        [Fact]
        public void DatabaseNamesThatAreNotPlainIdentifiersAreRefused()
        {
            Assert.Throws<System.ArgumentException>(() =>
                DatabaseRecoveryPlanner.Plan(Healthy(), new RecoveryRequest { FailedHost = Failed, Destination = Dest }, "nova`; drop", "neutron"));
            Assert.Throws<System.ArgumentException>(() => DatabaseTarget.FromCredential("h", 3306, "u", "p", "nova", "neu tron"));
        }

        [Fact]
        public void TargetNeverShowsThePassword()
        {
            var t = DatabaseTarget.FromConnectionString("Server=db1;Port=3307;User ID=nova;Password=Sup3r-S3cret");
            Assert.Equal("nova@db1:3307", t.ToString());
            var e = Assert.Throws<System.ArgumentException>(() => DatabaseTarget.FromConnectionString("Server=db1;Password=Sup3r-S3cret;Bogus Key=1"));
            Assert.DoesNotContain("Sup3r-S3cret", e.Message);
        }
    }
}
