using System.Linq;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Test-ControlPlaneHealth against the devcloud's real control plane, with a nova-compute really stopped.</summary>
    [Trait("Tier", "Devcloud")]
    public class ControlPlaneHealthDevcloudTests
    {
        [Fact]
        public void EveryApiAnswersEveryServiceReportsAndAStoppedComputeIsDown()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Test-ControlPlaneHealth");
            r.ThrowOnErrors();
            var apis = r.Output.Where(o => P(o, "Kind") == "Api").ToList();
            Assert.Equal(new[] { "keystone", "nova-api", "placement-api", "glance-api", "neutron-server", "cinder-api", "swift-proxy" }, apis.Select(o => P(o, "Component")));
            Assert.All(apis, o => Assert.Equal("Up", P(o, "State")));
            // The probe's request id is nova-api's own: the one its log has for that call.
            string novaRequest = P(apis.Single(o => P(o, "Component") == "nova-api"), "RequestId");
            Assert.StartsWith("req-", novaRequest);
            Assert.Contains(novaRequest, System.IO.File.ReadAllText(System.IO.Path.Combine(Cloud.Directory, "log", "nova-api.out")));
            var services = r.Output.Where(o => P(o, "Kind") == "Service").Select(o => P(o, "Component") + "@" + P(o, "Host")).ToList();
            foreach (var expected in new[] { "nova-conductor", "nova-scheduler", "cinder-scheduler" })
                Assert.Contains(services, s => s.StartsWith(expected + "@"));
            foreach (var node in Cloud.ComputeHosts)
                Assert.Contains("nova-compute@" + node, services);
            Assert.Equal("Up", P(r.Output.Single(o => P(o, "Kind") == "Database"), "State"));

            try
            {
                Cloud.ComputeCtl("stop", "c03");
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "down", "nova to see c03 down", 150);
                var after = host.Run("Test-ControlPlaneHealth");
                after.ThrowOnErrors();
                var c03 = after.Output.Single(o => P(o, "Component") == "nova-compute" && P(o, "Host") == "c03.example.com");
                Assert.Equal("Down", P(c03, "State"));
                Assert.StartsWith("nova reports it down: last heartbeat ", P(c03, "Evidence"));
                Assert.Equal("False", host.Run("Test-ControlPlaneHealth -Quiet").Output.Single().ToString());
            }
            finally
            {
                Cloud.ComputeCtl("start", "c03");
                Cloud.WaitFor(() => Cloud.OpenStackCli("compute service list --service nova-compute --host c03.example.com -f value -c State").Trim() == "up", "nova to see c03 up again", 150);
            }
        }
    }
}
