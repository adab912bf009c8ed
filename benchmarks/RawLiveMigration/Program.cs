// A minimal raw-HTTP live-migration client, the floor the module's pipeline is measured against.
//   RawLiveMigration <destination-host> <concurrency> <server-id>...
// Credentials from the OS_* variables of an openrc (password auth). Per server: one os-migrateLive POST, then a
// GET of the server every PollSeconds until it is ACTIVE on the destination with no task (or ERROR). Prints one
// line per server and a summary: wall seconds and API calls (keystone included).
using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

const double PollSeconds = 0.5;
string destination = args[0];
int concurrency = int.Parse(args[1]);
var ids = new ConcurrentQueue<string>(args.Skip(2));
int calls = 0;
var http = new HttpClient();
string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException(name + " is not set: source an openrc");

var clock = Stopwatch.StartNew();
var auth = new JsonObject
{
    ["auth"] = new JsonObject
    {
        ["identity"] = new JsonObject
        {
            ["methods"] = new JsonArray("password"),
            ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = Env("OS_USERNAME"), ["domain"] = new JsonObject { ["name"] = Env("OS_USER_DOMAIN_NAME") }, ["password"] = Env("OS_PASSWORD") } },
        },
        ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = Env("OS_PROJECT_NAME"), ["domain"] = new JsonObject { ["name"] = Env("OS_PROJECT_DOMAIN_NAME") } } },
    },
};
var tokenResponse = await http.PostAsync(Env("OS_AUTH_URL").TrimEnd('/') + "/auth/tokens", new StringContent(auth.ToJsonString(), Encoding.UTF8, "application/json"));
Interlocked.Increment(ref calls);
tokenResponse.EnsureSuccessStatusCode();
string token = tokenResponse.Headers.GetValues("X-Subject-Token").First();
var catalog = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())["token"]["catalog"].AsArray();
string nova = catalog.First(s => (string)s["type"] == "compute")["endpoints"].AsArray()
    .First(e => (string)e["interface"] == "public")["url"].ToString().TrimEnd('/');

async Task<JsonNode> Send(HttpMethod method, string path, string body = null)
{
    var request = new HttpRequestMessage(method, nova + path);
    request.Headers.Add("X-Auth-Token", token);
    request.Headers.Add("OpenStack-API-Version", "compute 2.30");
    if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
    var response = await http.SendAsync(request);
    Interlocked.Increment(ref calls);
    string text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
    return text.Length == 0 ? null : JsonNode.Parse(text);
}

int failed = 0;
async Task Worker()
{
    while (ids.TryDequeue(out string id))
    {
        var started = clock.Elapsed;
        await Send(HttpMethod.Post, $"/servers/{id}/action", $"{{\"os-migrateLive\": {{\"host\": {JsonSerializer.Serialize(destination)}, \"block_migration\": \"auto\"}}}}");
        string outcome;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(PollSeconds));
            var server = (await Send(HttpMethod.Get, $"/servers/{id}"))["server"];
            string status = (string)server["status"], host = (string)server["OS-EXT-SRV-ATTR:host"], task = (string)server["OS-EXT-STS:task_state"];
            if (status == "ERROR") { outcome = "ERROR"; Interlocked.Increment(ref failed); break; }
            if (status == "ACTIVE" && task == null && host == destination) { outcome = "arrived"; break; }
            // nova sets task_state before answering 202, so ACTIVE with no task elsewhere means rolled back.
            if (status == "ACTIVE" && task == null) { outcome = "rolled back"; Interlocked.Increment(ref failed); break; }
        }
        Console.WriteLine($"{id} {outcome} in {(clock.Elapsed - started).TotalSeconds:F1} s");
    }
}
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
Console.WriteLine($"raw: {args.Length - 2} servers, {failed} failed, {clock.Elapsed.TotalSeconds:F1} s, {calls} API calls");
return failed == 0 ? 0 : 1;
