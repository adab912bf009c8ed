using System.Linq;
using OpenStackOps.Checks;
using Xunit;

namespace OpenStackOps.Tests.Checks
{
    /// <summary>systemctl show blocks and ps lines as a Debian controller prints them, read into components.</summary>
    public class ControllerUnitCheckTests
    {
        private const string Output =
            "@unit mariadb\nId=mariadb.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=812\n" +
            "@unit mysql\nId=mariadb.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=812\n" +
            "@unit nova-scheduler\nId=nova-scheduler.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@unit nova-conductor\nId=nova-conductor.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\n" +
            "@unit cinder-api\nId=cinder-api.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\n" +
            "@unit swift-proxy\nId=swift-proxy.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@unit memcached\nsystemctl: command not found\n" +
            "@ps\n  812  7322 /usr/sbin/mariadbd\n";

        [Fact]
        public void ReadsEachUnitOnceWithItsProcessAndLeavesOutWhatTheControllerDoesNotHave()
        {
            var found = ControllerUnitCheck.Parse("ctl01", Output, false);
            Assert.Equal(new[] { "mariadb", "nova-scheduler", "nova-conductor", "cinder-api", "memcached" }, found.Select(c => c.Component));
            Assert.All(found, c => Assert.Equal("Process", c.Kind));
            Assert.All(found, c => Assert.Equal("ctl01", c.Host));

            var db = found[0];
            Assert.Equal("Up", db.State);
            Assert.Equal(812, db.ProcessId);
            Assert.Equal("systemctl: active (running), main PID 812 up 2h 2min: /usr/sbin/mariadbd", db.Evidence);

            Assert.Equal("Down", found[1].State);
            Assert.Equal("systemctl: inactive (dead)", found[1].Evidence);
            Assert.Equal("Down", found[2].State);
            Assert.Equal("systemctl: failed (failed)", found[2].Evidence);
            // systemd still says active, but the process it names is gone: down, and said so.
            Assert.Equal("Down", found[3].State);
            Assert.Equal("systemctl says active (running) with main PID 4242, but no process 4242 is in the process list", found[3].Evidence);
            Assert.Equal("Unknown", found[4].State);
            Assert.Contains("systemctl: command not found", found[4].Evidence);
        }

        [Fact]
        public void AUnitNamedOnPurposeThatTheControllerLacksIsUnknown()
        {
            var found = ControllerUnitCheck.Parse("ctl01", Output, true);
            var swift = found.Single(c => c.Component == "swift-proxy");
            Assert.Equal("Unknown", swift.State);
            Assert.Equal("systemd on ctl01 has no unit swift-proxy.service", swift.Evidence);
        }

        /// <summary>An RDO controller (CentOS Stream / RHEL): openstack-nova-api and the others, keystone and placement under httpd.</summary>
        private const string Rdo =
            "@unit nova-api\nId=nova-api.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@unit apache2\nId=apache2.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@unit cinder-volume\nId=cinder-volume.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@unit httpd\nId=httpd.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=901\n" +
            "@unit openstack-nova-api\nId=openstack-nova-api.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=1201\n" +
            "@unit openstack-nova-scheduler\nId=openstack-nova-scheduler.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\n" +
            "@unit openstack-cinder-volume\nId=openstack-cinder-volume.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" +
            "@ps\n  901  60 /usr/sbin/httpd -DFOREGROUND\n 1201  60 /usr/bin/python3 /usr/bin/nova-api\n";

        [Fact]
        public void AnotherDistributionsUnitsAreReportedUnderTheSameComponentsOnce()
        {
            Assert.Equal("nova-api", ControllerUnitCheck.ComponentOf("openstack-nova-api"));
            Assert.Equal("nova-api", ControllerUnitCheck.ComponentOf("nova-api"));
            Assert.Equal(new[] { "nova-api", "openstack-nova-api" }, ControllerUnitCheck.WithAliases("nova-api"));
            Assert.Equal(new[] { "openstack-cinder-volume", "cinder-volume" }, ControllerUnitCheck.WithAliases("openstack-cinder-volume"));
            Assert.Equal(new[] { "apache2", "httpd" }, ControllerUnitCheck.WithAliases("apache2"));
            Assert.Contains("openstack-nova-conductor", ControllerUnitCheck.DefaultUnits);
            Assert.All(ControllerUnitCheck.Aliases.Keys, a => Assert.Contains(a, ControllerUnitCheck.DefaultUnits));

            var found = ControllerUnitCheck.Parse("ctl01", Rdo, false);
            Assert.Equal(new[] { "apache2", "nova-api", "nova-scheduler" }, found.Select(c => c.Component));
            Assert.Equal("Up", found[1].State);
            Assert.Equal(1201, found[1].ProcessId);
            Assert.Equal("openstack-nova-api.service: systemctl: active (running), main PID 1201 up 1min 0s: /usr/bin/python3 /usr/bin/nova-api", found[1].Evidence);
            Assert.Equal("httpd.service: systemctl: active (running), main PID 901 up 1min 0s: /usr/sbin/httpd -DFOREGROUND", found[0].Evidence);
            Assert.Equal("Down", found[2].State);

            // Named with -Unit: a component the controller has under none of its names is Unknown once, both names said.
            var named = ControllerUnitCheck.Parse("ctl01", Rdo, true);
            var volume = Assert.Single(named, c => c.Component == "cinder-volume");
            Assert.Equal("Unknown", volume.State);
            Assert.Equal("systemd on ctl01 has no unit cinder-volume.service nor openstack-cinder-volume.service", volume.Evidence);
            Assert.Single(named, c => c.Component == "nova-api");
            Assert.Single(named, c => c.Component == "apache2");
        }
    }
}
