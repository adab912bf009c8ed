using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>
    /// The devcloud's Swift (tools/devcloud/swift.sh): the proxy through its real API with a keystone token, the
    /// storage nodes s01-s03 ($W/storage-nodes.json) and the lab's switches (stop/start a process, fail a disk).
    /// </summary>
    public static class DevcloudSwift
    {
        public static string Dir => Devcloud.Directory;
        public static JsonNode Config => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "swift.json")));
        public static JsonNode StorageNode(string shortName)
            => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "storage-nodes.json"))).AsArray().First(n => (string)n["short"] == shortName);

        /// <summary>Fails the test with what to do when the devcloud has no Swift.</summary>
        public static void RequireUp()
        {
            Devcloud.RequireUp();
            Assert.True(File.Exists(Path.Combine(Dir, "swift.json")), "The devcloud has no Swift ($W/swift.json missing): run tools/devcloud/swift.sh up (tools/devcloud/up.sh adds it).");
        }

        /// <summary>Connect-ComputeNode for a storage node as osops (root commands through sudo -n).</summary>
        public static string ConnectAsOsops(string node)
            => $"Connect-ComputeNode {node}.example.com -Address 127.0.0.1 -Port {(int)StorageNode(node)["port"]} -User osops -KeyFile '{DevcloudNodes.KeyFile}' -KnownHostsPath '{DevcloudNodes.KnownHosts}'";

        /// <summary>tools/devcloud/swift.sh VERB ARGS (stop/start a process, fail-disk, new-disk, restore-disk).</summary>
        public static string Ctl(params string[] args)
        {
            var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(ModulePaths.RepositoryRoot, "tools", "devcloud", "swift.sh"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["DEVCLOUD_DIR"] = Dir;
            psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
            using var p = Process.Start(psi);
            string o = p.StandardOutput.ReadToEnd(), e = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(180_000)) { p.Kill(true); throw new TimeoutException("swift.sh " + string.Join(" ", args)); }
            Assert.True(p.ExitCode == 0, $"swift.sh {string.Join(" ", args)} exited {p.ExitCode}: {e}{o}");
            return o;
        }

        /// <summary>An admin token and the object-store URL of the admin project, from keystone's catalog.</summary>
        public static (string Token, string Url) Login()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            string body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"osrig-admin\"}}}," +
                          "\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}";
            var response = http.PostAsync("http://127.0.0.1:5000/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            string token = response.Headers.GetValues("X-Subject-Token").Single();
            var catalog = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())["token"]["catalog"].AsArray();
            string url = (string)catalog.First(s => (string)s["type"] == "object-store")["endpoints"].AsArray().First(e => (string)e["interface"] == "public")["url"];
            return (token, url);
        }

        public static HttpResponseMessage Send(HttpClient http, HttpMethod method, string url, string token, string content = null)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add("X-Auth-Token", token);
            if (content != null) request.Content = new StringContent(content);
            return http.SendAsync(request).GetAwaiter().GetResult();
        }

        /// <summary>Object (*.data) files on a storage node's device, counted as root over OpenSSH.</summary>
        public static int ObjectFiles(string node, string device)
            => int.Parse(DevcloudNodes.SshOk(node, $"mountpoint -q /srv/node/{device} && find /srv/node/{device} -xdev -path '/srv/node/{device}/objects*' -name '*.data' -type f | wc -l || echo -1").Trim());
    }
}
