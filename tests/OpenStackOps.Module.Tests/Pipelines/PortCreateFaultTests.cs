using System.Linq;
using OpenStackOps.Module.Tests.Infrastructure;
using OpenStackOps.Testing;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>
    /// Issue #14: a port create that meets a transient fault is looked up in neutron before it is sent again, so a
    /// lost answer never makes a second port and a create that did not happen is retried (bounded, after Retry-After).
    /// </summary>
    public class PortCreateFaultTests
    {
        private static JsonPort[] Named(FakeCloud c, string name) => c.Ports.Where(p => (string)p["name"] == name).Select(p => new JsonPort((string)p["id"], (string)p["fixed_ips"][0]["ip_address"])).ToArray();
        private sealed record JsonPort(string Id, string Ip);

        [Fact]
        public void ACreateWhoseAnswerWasLostIsFoundNotMadeTwice()
        {
            using var s = new FakeCloudSession();
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Reset = true, Processed = true });
            var r = s.Run("New-ReusablePort -Network public -Name web01 -Verbose");
            r.ThrowOnErrors();
            var port = Assert.Single(Named(s.Cloud, "web01"));
            Assert.Equal(port.Id, P(Assert.Single(r.Output), "Id"));
            Assert.Equal(1, s.Cloud.PortCreateRequests);
            Assert.Contains(r.Verbose, v => v.Contains("the connection to neutron-server dropped, but neutron had created it"));
        }

        [Fact]
        public void ACreateNeutronDidNotTakeIsSentAgainAfterRetryAfter()
        {
            using var s = new FakeCloudSession();
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Status = 503 });
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Status = 429, RetryAfter = 1 });
            var r = s.Run("New-ReusablePort -Network public -Name web02 -IPAddress 203.0.113.9 -Verbose");
            r.ThrowOnErrors();
            var port = Assert.Single(Named(s.Cloud, "web02"));
            Assert.Equal("203.0.113.9", port.Ip);
            Assert.Equal(3, s.Cloud.PortCreateRequests);
            Assert.Contains(r.Verbose, v => v.Contains("neutron-server asked to slow down (429); neutron did not create it: sending it again in 1 s"));
        }

        [Fact]
        public void ThreeFaultsInARowEndWithAnErrorAndNoPort()
        {
            using var s = new FakeCloudSession();
            for (int i = 0; i < 3; i++) s.Cloud.PortCreateFaults.Enqueue(new PortFault { Status = 503 });
            var r = s.Run("New-ReusablePort -Network public -Name web03");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("NeutronCreatePortServiceUnavailable,OpenStackOps.Commands.Network.NewReusablePortCommand", error.FullyQualifiedErrorId);
            Assert.Contains("neutron-server unavailable (503) 3 times; it was not sent again", error.Exception.Message);
            Assert.Empty(Named(s.Cloud, "web03"));
            Assert.Equal(3, s.Cloud.PortCreateRequests);
        }

        [Fact]
        public void RestoreExactWithALostAnswerKeepsTheOnePortNeutronMade()
        {
            using var s = new FakeCloudSession();
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Status = 502, Processed = true });
            var r = s.Run("Restore-PortAddress 203.0.113.9 -Network public -Name web04");
            r.ThrowOnErrors();
            var result = Assert.Single(r.Output);
            Assert.Equal("Exact", P(result, "Strategy"));
            var port = Assert.Single(s.Cloud.Ports);
            Assert.Equal("203.0.113.9", (string)port["fixed_ips"][0]["ip_address"]);
            Assert.Equal(1, s.Cloud.PortCreateRequests);
        }

        [Fact]
        public void ASweepCreateWhoseAnswerWasLostIsFoundByItsNameAndLeavesOnlyTheWinner()
        {
            using var s = new FakeCloudSession();
            s.Cloud.ForbidExactAddress = true;
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Status = 503 });   // the exact request: a 503, then (sent again) policy refuses it
            s.Cloud.PortCreateFaults.Enqueue(new PortFault { Reset = true, Processed = true });  // the sweep's first create: made, answer lost
            var r = s.Run("Restore-PortAddress 203.0.113.9 -Network public -Name web05");
            r.ThrowOnErrors();
            var result = Assert.Single(r.Output);
            Assert.Equal("Sweep", P(result, "Strategy"));
            Assert.Equal(int.Parse(P(result, "PortsCreated")) - 1, int.Parse(P(result, "PortsDeleted")));
            var port = Assert.Single(s.Cloud.Ports);
            Assert.Equal("web05", (string)port["name"]);
            Assert.Equal("203.0.113.9", (string)port["fixed_ips"][0]["ip_address"]);
        }
    }
}
