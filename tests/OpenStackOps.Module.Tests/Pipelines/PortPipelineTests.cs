using System;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using OpenStackOps.Testing;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>The port cmdlets against the loopback FakeCloud's minimal neutron: binding, -WhatIf, error ids.</summary>
    public class PortPipelineTests
    {
        private static bool Mutated(FakeCloud c) => c.RequestLines.Any(l => !l.StartsWith("GET") && !l.Contains("/auth/tokens"));

        [Fact]
        public void RestoreWhatIfChecksTheAddressButCreatesNothing()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Restore-PortAddress 203.0.113.9 -Network public -WhatIf -PassThru");
            r.ThrowOnErrors();
            var plan = Assert.Single(r.Output);
            Assert.Equal("OpenStackOps.Network.Recovery.AddressRecoveryResult", plan.BaseObject.GetType().FullName);
            Assert.Equal("True", P(plan, "Planned"));
            Assert.Equal("203.0.113.0/28", P(plan, "SubnetCidr"));
            Assert.False(Mutated(s.Cloud));
            Assert.Empty(s.Cloud.Ports);
        }

        [Fact]
        public void RestoreAsAdminAsksForTheExactAddress()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Restore-PortAddress 203.0.113.9 -Network public -Name web01.sys.example.com");
            r.ThrowOnErrors();
            var result = Assert.Single(r.Output);
            Assert.Equal("Exact", P(result, "Strategy"));
            Assert.Equal("1", P(result, "PortsCreated"));
            var port = Assert.Single(s.Cloud.Ports);
            Assert.Equal("203.0.113.9", (string)port["fixed_ips"][0]["ip_address"]);
            Assert.Equal("web01.sys.example.com", (string)port["name"]);
        }

        [Fact]
        public void RestoreSweepsWhenPolicyForbidsTheExactAddressAndLeavesOnlyTheWinner()
        {
            using var s = new FakeCloudSession();
            s.Cloud.ForbidExactAddress = true;
            s.Cloud.AddPort("other", "203.0.113.2");
            var r = s.Run("Restore-PortAddress 203.0.113.9 -Name web01");
            r.ThrowOnErrors();
            var result = Assert.Single(r.Output);
            Assert.Equal("Sweep", P(result, "Strategy"));
            Assert.Equal("True", P(result, "ExactForbidden"));
            Assert.Equal(int.Parse(P(result, "PortsCreated")) - 1, int.Parse(P(result, "PortsDeleted")));
            Assert.Equal(2, s.Cloud.Ports.Count); // "other" and the winner
            Assert.Contains(s.Cloud.Ports, p => (string)p["name"] == "web01" && (string)p["fixed_ips"][0]["ip_address"] == "203.0.113.9");
            Assert.Contains(s.Cloud.RequestLines, l => l == "POST /network/v2.0/ports");
            // A progress bar: addresses drawn, then the temporary ports deleted, then closed.
            var sweeping = r.Progress.Where(p => p.Activity.EndsWith(": Sweeping")).ToList();
            Assert.NotEmpty(sweeping);
            Assert.All(sweeping, p => Assert.InRange(p.PercentComplete, 1, 100));
            Assert.True(int.Parse(P(result, "PortsDeleted")) > 0); // the fake hands out .3, .4 ... first
            Assert.Equal(100, r.Progress.Last(p => p.Activity.EndsWith(": Deleting temporary ports")).PercentComplete);
            Assert.Equal(ProgressRecordType.Completed, r.Progress.Last().RecordType);
        }

        [Fact]
        public void AnAddressInUseIsResourceExistsNamingTheHolder()
        {
            using var s = new FakeCloudSession();
            var holder = s.Cloud.AddPort("c02-cache-port", "203.0.113.5", Guid.NewGuid().ToString(), "compute:nova");
            var r = s.Run("Restore-PortAddress 203.0.113.5");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("PortAddressInUse,OpenStackOps.Commands.Network.RestorePortAddressCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal((string)holder["id"], ((dynamic)error.TargetObject).Id);
            Assert.Contains("c02-cache-port", error.Exception.Message);
            Assert.False(Mutated(s.Cloud));
        }

        [Theory]
        [InlineData("203.0.113", "InvalidIPAddress", ErrorCategory.InvalidArgument)]
        [InlineData("192.0.2.9", "AddressNotInNetwork", ErrorCategory.InvalidArgument)]
        [InlineData("203.0.113.1", "AddressIsGateway", ErrorCategory.InvalidArgument)]
        public void BadAddressesAreClearErrorsAndCreateNothing(string ip, string id, ErrorCategory category)
        {
            using var s = new FakeCloudSession();
            var r = s.Run($"Restore-PortAddress {ip} -Network public");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal(id + ",OpenStackOps.Commands.Network.RestorePortAddressCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Contains("No port was created", error.ErrorDetails.Message);
            Assert.False(Mutated(s.Cloud));
            if (id == "InvalidIPAddress") Assert.DoesNotContain(s.Cloud.RequestLines, l => l.Contains("/network/"));
        }

        [Fact]
        public void NewReusablePortIsNamedAfterTheFqdnAndWhatIfCreatesNothing()
        {
            using var s = new FakeCloudSession();
            var planned = s.Run("New-ReusablePort -Network public -Fqdn web01.sys.example.com -WhatIf");
            planned.ThrowOnErrors();
            Assert.Empty(s.Cloud.Ports);
            var r = s.Run("New-ReusablePort -Network public -Fqdn web01.sys.example.com.");
            r.ThrowOnErrors();
            var port = Assert.Single(r.Output);
            Assert.Equal("OpenStackOps.Network.Ports.Port", port.BaseObject.GetType().FullName);
            Assert.Equal("web01.sys.example.com", P(port, "Name"));
            Assert.Equal("public", P(port, "NetworkName"));
            Assert.Single(s.Cloud.Ports);
        }

        [Fact]
        public void GetNetworkPortFindsByAddressAndByPipedServers()
        {
            using var s = new FakeCloudSession();
            string web1 = (string)s.Cloud.Servers.First(x => (string)x["name"] == "web-1")["id"];
            s.Cloud.AddPort("web-1-public", "203.0.113.7", web1, "compute:nova");
            s.Cloud.AddPort("spare", "203.0.113.8");
            var byIp = s.Run("Get-NetworkPort -IPAddress 203.0.113.7");
            byIp.ThrowOnErrors();
            Assert.Equal("web-1-public", P(Assert.Single(byIp.Output), "Name"));
            Assert.Equal(web1, P(byIp.Output[0], "ServerId"));

            var byServer = s.Run("Get-NodeServer c01 | Get-NetworkPort");
            byServer.ThrowOnErrors();
            Assert.Equal("web-1-public", P(Assert.Single(byServer.Output), "Name"));
            Assert.Contains(s.Cloud.RequestLines, l => l == "GET /network/v2.0/ports?device_id=" + web1);
        }

        [Fact]
        public void APortPipesIntoDisconnectWhichUsesTheGuidesUpdateForAPortNovaMayHaveCreated()
        {
            using var s = new FakeCloudSession();
            var server = s.Cloud.Servers.First(x => (string)x["name"] == "web-1");
            server["created"] = "2026-11-23T08:00:00Z"; // the port (09:00) is younger: nova may have created it
            var port = s.Cloud.AddPort("web-1-public", "203.0.113.7", (string)server["id"], "compute:nova");
            var whatIf = s.Run("Get-NetworkPort -IPAddress 203.0.113.7 | Disconnect-NetworkPort -WhatIf");
            whatIf.ThrowOnErrors();
            Assert.Equal((string)server["id"], (string)port["device_id"]);
            Assert.False(Mutated(s.Cloud));

            var r = s.Run("Get-NetworkPort -IPAddress 203.0.113.7 | Disconnect-NetworkPort -PassThru");
            r.ThrowOnErrors();
            Assert.Equal("True", P(Assert.Single(r.Output), "IsFree"));
            Assert.Equal("", (string)port["device_id"]);
            Assert.Contains(s.Cloud.Requests, q => q.Method == "PUT" && q.Path == "/network/v2.0/ports/" + (string)port["id"] && q.Body.Contains("\"binding:profile\":{}"));
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.Contains("os-interface"));
            Assert.Single(s.Cloud.Ports); // kept
        }

        [Fact]
        public void SavedPortsAndObjectsWithAPortIdBindToDisconnect()
        {
            using var s = new FakeCloudSession();
            string web1 = (string)s.Cloud.Servers.First(x => (string)x["name"] == "web-1")["id"];
            var port = s.Cloud.AddPort("web-1-public", "203.0.113.7", web1, "compute:nova");
            var r = s.Run("$saved = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize(@(Get-NetworkPort -IPAddress 203.0.113.7))); " +
                          "$saved | Disconnect-NetworkPort -WhatIf; [pscustomobject]@{ PortId = '" + (string)port["id"] + "' } | Disconnect-NetworkPort -PassThru");
            r.ThrowOnErrors();
            Assert.Equal("True", P(Assert.Single(r.Output), "IsFree"));
            Assert.Single(s.Cloud.RequestLines, l => l.StartsWith("PUT /network/v2.0/ports/"));
        }

        [Fact]
        public void APortOfARouterIsNotDetachedWithoutForce()
        {
            using var s = new FakeCloudSession();
            var port = s.Cloud.AddPort("router-gw", "203.0.113.3", Guid.NewGuid().ToString(), "network:router_interface");
            var r = s.Run("Disconnect-NetworkPort router-gw");
            var error = Assert.Single(r.AllErrors);
            Assert.Equal("PortNotServerPort,OpenStackOps.Commands.Network.DisconnectNetworkPortCommand", error.FullyQualifiedErrorId);
            Assert.False(Mutated(s.Cloud));
            s.Run("Disconnect-NetworkPort router-gw -Force").ThrowOnErrors();
            Assert.Equal("", (string)port["device_owner"]);
        }

        [Fact]
        public void APortOlderThanItsServerIsDetachedThroughNova()
        {
            using var s = new FakeCloudSession();
            var server = s.Cloud.Servers.First(x => (string)x["name"] == "web-1");
            server["created"] = "2026-11-23T10:00:00Z"; // the port (09:00) existed before the server: nova keeps it
            var port = s.Cloud.AddPort("web01.sys.example.com", "203.0.113.7", (string)server["id"], "compute:nova");
            var r = s.Run("Disconnect-NetworkPort web01.sys.example.com");
            r.ThrowOnErrors();
            Assert.Contains(s.Cloud.RequestLines, l => l == $"DELETE /compute/v2.1/servers/{server["id"]}/os-interface/{port["id"]}");
            Assert.DoesNotContain(s.Cloud.RequestLines, l => l.StartsWith("PUT /network"));
            Assert.Equal("", (string)port["device_id"]);
        }

        [Fact]
        public void ConnectAttachesAFreePortToAServerObjectAndRefusesABusyOne()
        {
            using var s = new FakeCloudSession();
            var free = s.Cloud.AddPort("spare", "203.0.113.8");
            s.Cloud.AddPort("busy", "203.0.113.9", Guid.NewGuid().ToString(), "compute:nova");
            var r = s.Run("$srv = @(Get-NodeServer c02)[0]; Get-NetworkPort -Name spare | Connect-NetworkPort -Server $srv -PassThru");
            r.ThrowOnErrors();
            string db1 = (string)s.Cloud.Servers.First(x => (string)x["name"] == "db-1")["id"];
            Assert.Contains(s.Cloud.Requests, q => q.Method == "POST" && q.Path == $"/compute/v2.1/servers/{db1}/os-interface" && q.Body.Contains((string)free["id"]));
            var attached = Assert.Single(r.Output);
            Assert.Equal(db1, P(attached, "DeviceId"));
            Assert.Equal("db-1", P(attached, "ServerName")); // the server it was given: its name costs no call

            var busy = s.Run("Connect-NetworkPort busy -Server db-1");
            var error = Assert.Single(busy.AllErrors);
            Assert.Equal("PortInUse,OpenStackOps.Commands.Network.ConnectNetworkPortCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        }

        [Fact]
        public void ARestoredPortPipesIntoConnect()
        {
            using var s = new FakeCloudSession();
            var r = s.Run("Restore-PortAddress 203.0.113.11 -Network public | Connect-NetworkPort -Server @(Get-NodeServer c02)[0] -PassThru");
            r.ThrowOnErrors();
            Assert.Equal("203.0.113.11", RunResult.Prop<string[]>(Assert.Single(r.Output), "IpAddresses").Single());
            Assert.Contains(s.Cloud.RequestLines, l => l.StartsWith("POST /compute/v2.1/servers/") && l.EndsWith("/os-interface"));
        }
    }
}
