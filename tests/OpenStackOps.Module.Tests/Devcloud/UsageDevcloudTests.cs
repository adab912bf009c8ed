using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// The weekly usage report against the devcloud's real keystone, nova, cinder, glance and neutron, each figure
    /// compared with what the openstack CLI (and the cinder CLI, for quota usage the openstack CLI does not show) answers.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class UsageDevcloudTests
    {
        private static JsonArray CliJson(string arguments) => JsonNode.Parse(Cloud.OpenStackCli(arguments + " -f json")).AsArray();

        /// <summary>The CLI's names for neutron's quotas (openstackclient renames them).</summary>
        private static readonly Dictionary<string, string> CliNetworkNames = new Dictionary<string, string>
        {
            ["floatingip"] = "floating_ips", ["network"] = "networks", ["port"] = "ports", ["rbac_policy"] = "rbac_policies",
            ["router"] = "routers", ["security_group"] = "security_groups", ["security_group_rule"] = "security_group_rules",
            ["subnet"] = "subnets", ["subnetpool"] = "subnet_pools",
        };

        [Fact]
        public void QuotasOfEveryProjectAreWhatNovaCinderAndNeutronSay()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Get-ProjectQuotaUsage");
            r.ThrowOnErrors();
            var projects = CliJson("project list");
            Assert.Equal(projects.Select(p => (string)p["Name"]).OrderBy(n => n), r.Output.Select(o => P(o, "ProjectName")).Distinct().OrderBy(n => n));
            foreach (var name in new[] { "admin", "demo" })
            {
                string id = (string)projects.First(p => (string)p["Name"] == name)["ID"];
                var mine = r.Output.Where(o => P(o, "ProjectName") == name).ToList();
                string Row(PSObjectLike o) => $"{o.Resource} {o.InUse} {o.Reserved} {o.Limit}";

                var nova = CliJson($"quota list --detail --compute --project {id}").Select(q => $"{q["Resource"]} {q["In Use"]} {q["Reserved"]} {q["Limit"]}").OrderBy(x => x);
                Assert.Equal(nova, mine.Where(o => P(o, "Service") == "compute").Select(o => Row(new PSObjectLike(o))).OrderBy(x => x));

                var neutron = CliJson($"quota list --detail --network --project {id}").Select(q => $"{q["Resource"]} {q["In Use"]} {q["Reserved"]} {q["Limit"]}").OrderBy(x => x);
                Assert.Equal(neutron, mine.Where(o => P(o, "Service") == "network")
                    .Select(o => new PSObjectLike(o)).Select(o => { o.Resource = CliNetworkNames.TryGetValue(o.Resource, out var n) ? n : o.Resource; return Row(o); }).OrderBy(x => x));

                // cinder quota-usage: | Type | In_use | Reserved | Limit | Allocated |
                var cinder = Cloud.CinderCli("quota-usage " + id).Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| Type"))
                    .Select(l => l.Split('|').Select(c => c.Trim()).ToArray()).Select(c => $"{c[1]} {c[2]} {c[3]} {c[4]}").OrderBy(x => x);
                Assert.Equal(cinder, mine.Where(o => P(o, "Service") == "volume").Select(o => Row(new PSObjectLike(o))).OrderBy(x => x));
            }
            var adminCores = r.Output.Single(o => P(o, "ProjectName") == "admin" && P(o, "Resource") == "cores");
            Assert.True(long.Parse(P(adminCores, "InUse")) > 0, "the seeded servers are admin's and use cores");
        }

        [Fact]
        public void ImagesAndTheServersBootedFromThemAreWhatGlanceAndNovaSay()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Get-ImageUsage");
            r.ThrowOnErrors();
            var images = CliJson("image list --long");
            var servers = CliJson("server list --all-projects --long");
            Assert.Equal(images.Select(i => (string)i["ID"]).OrderBy(i => i), r.Output.Where(o => P(o, "Status") != "missing").Select(o => P(o, "Id")).OrderBy(i => i));
            foreach (var image in images)
            {
                var o = r.Output.Single(x => P(x, "Id") == (string)image["ID"]);
                Assert.Equal((string)image["Name"], P(o, "Name"));
                Assert.Equal(((long)image["Size"]).ToString(), P(o, "SizeBytes"));
                Assert.Equal((string)image["Visibility"], P(o, "Visibility"));
                Assert.Equal((string)image["Project"], P(o, "Owner"));
                var using_ = servers.Where(s => (string)s["Image ID"] == (string)image["ID"]).Select(s => (string)s["ID"]).OrderBy(i => i, StringComparer.Ordinal).ToList();
                Assert.Equal(using_.Count.ToString(), P(o, "ServerCount"));
                Assert.Equal(string.Join(", ", using_), P(o, "ServerIds"));
            }
            Assert.Contains(r.Output, o => int.Parse(P(o, "ServerCount")) > 0);
        }

        [Fact]
        public void TheLargestServersAreTheCliServersWithTheLargestFlavors()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Get-LargestServer -Top 5 -By RamMb");
            r.ThrowOnErrors();
            // At 2.90 the CLI shows a server's flavor by name in "Flavor" (nova dropped its id in 2.47).
            var flavors = CliJson("flavor list --all").ToDictionary(f => (string)f["Name"], f => (Ram: (long)f["RAM"], Vcpus: (long)f["VCPUs"]));
            var servers = CliJson("server list --all-projects --long");
            var expected = servers.Select(s => flavors[(string)s["Flavor"]]).OrderByDescending(f => f.Ram).ThenByDescending(f => f.Vcpus).Take(5).Select(f => f.Ram.ToString());
            Assert.Equal(Math.Min(5, servers.Count), r.Output.Count);
            Assert.Equal(expected, r.Output.Select(o => P(o, "FlavorRamMb")));
            foreach (var o in r.Output)
                Assert.Equal(flavors[(string)servers.Single(s => (string)s["ID"] == P(o, "Id"))["Flavor"]].Ram.ToString(), P(o, "FlavorRamMb"));
        }

        [Fact]
        public void AddressesPerNetworkAreWhatNeutronSays()
        {
            using var host = Cloud.Connected();
            var r = host.Run("Get-NetworkIpAvailability");
            r.ThrowOnErrors();
            var cli = CliJson("ip availability list").ToDictionary(n => (string)n["Network ID"]);
            Assert.Equal(cli.Keys.OrderBy(k => k), r.Output.Select(o => P(o, "NetworkId")).OrderBy(k => k));
            foreach (var o in r.Output)
            {
                var n = cli[P(o, "NetworkId")];
                Assert.Equal((string)n["Network Name"], P(o, "NetworkName"));
                Assert.Equal(((long)n["Total IPs"]).ToString(), P(o, "TotalIps"));
                Assert.Equal(((long)n["Used IPs"]).ToString(), P(o, "UsedIps"));
                var subnets = JsonNode.Parse(Cloud.OpenStackCli($"ip availability show {P(o, "NetworkId")} -f json"))["subnet_ip_availability"].AsArray()
                    .Select(s => $"{s["cidr"]} {s["used_ips"]}/{s["total_ips"]}").OrderBy(x => x, StringComparer.Ordinal);
                Assert.Equal(subnets, Items(o, "Subnets").Select(s => s.ToString()).OrderBy(x => x, StringComparer.Ordinal));
            }
            Assert.Contains(r.Output, o => P(o, "NetworkName") == "public" && decimal.Parse(P(o, "UsedIps")) > 0);
        }

        /// <summary>A quota row's four figures, as text, with the name the CLI uses.</summary>
        private sealed class PSObjectLike
        {
            public PSObjectLike(System.Management.Automation.PSObject o)
            {
                Resource = P(o, "Resource"); InUse = P(o, "InUse"); Reserved = P(o, "Reserved"); Limit = P(o, "Limit");
            }
            public string Resource { get; set; }
            public string InUse { get; }
            public string Reserved { get; }
            public string Limit { get; }
        }
    }
}
