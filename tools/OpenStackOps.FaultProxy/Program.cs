using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenStackOps.FaultProxy
{
    /// <summary>
    /// A fault-injecting reverse proxy for the chaos tier, on loopback only. Each --route listens on its own
    /// 127.0.0.1 port in front of one devcloud service. The --keystone route forwards untouched but rewrites the
    /// catalog in keystone's token responses so that nova, neutron and cinder point at their proxy ports: a client
    /// that authenticates through the proxy (auth_url = the proxy's keystone port) then sends every API request
    /// through it, with no change to the client. The other routes inject faults at the --rates, decided from --seed.
    ///
    ///   OpenStackOps.FaultProxy --seed 14 --log faults.log --retry-after 1 --parent-pid 1234
    ///     --keystone keystone:15000:http://127.0.0.1:5000 --route nova:18774:http://127.0.0.1:8774 ...
    ///     --rates 503=0.15,reset-before=0.04,reset-after=0.04,401=0.05,429=0.03,latency=0.1 --latency-ms 50-400
    ///
    /// Prints "ready" on stdout once it listens; ends on SIGTERM/SIGINT or when --parent-pid is gone.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var routes = new List<Route>();
            var plan = new FaultPlan(0);
            string logPath = null;
            int? parentPid = null;
            try
            {
                int seed = 0;
                string rates = null, latency = null;
                int retryAfter = 1;
                for (int i = 0; i < args.Length; i++)
                {
                    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
                    switch (args[i++])
                    {
                        case "--seed": seed = int.Parse(value); break;
                        case "--route": routes.Add(Route.Parse(value)); break;
                        case "--keystone": var k = Route.Parse(value); k.RewritesCatalog = true; routes.Add(k); break;
                        case "--rates": rates = value; break;
                        case "--latency-ms": latency = value; break;
                        case "--retry-after": retryAfter = int.Parse(value); break;
                        case "--log": logPath = value; break;
                        case "--parent-pid": parentPid = int.Parse(value); break;
                        default: throw new ArgumentException($"unknown option {args[i - 1]}");
                    }
                }
                if (routes.Count == 0) throw new ArgumentException("no --route given");
                plan = new FaultPlan(seed) { RetryAfterSeconds = retryAfter };
                if (rates != null) plan.ParseRates(rates);
                if (latency != null)
                {
                    var mm = latency.Split('-');
                    plan.LatencyMinMs = int.Parse(mm[0]);
                    plan.LatencyMaxMs = int.Parse(mm[mm.Length - 1]);
                }
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException)
            {
                Console.Error.WriteLine("fault proxy: " + e.Message);
                return 2;
            }

            using var log = new FaultLog(logPath);
            var forwarder = new Forwarder(routes, plan, log);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(o =>
            {
                o.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
                foreach (var r in routes) o.Listen(IPAddress.Loopback, r.ListenPort);   // 127.0.0.1 only, never 0.0.0.0
            });
            var app = builder.Build();
            app.Run(forwarder.HandleAsync);
            await app.StartAsync().ConfigureAwait(false);
            Console.WriteLine("ready");
            Console.Out.Flush();

            if (parentPid != null)
                _ = Task.Run(async () =>
                {
                    while (Alive(parentPid.Value)) await Task.Delay(2000).ConfigureAwait(false);
                    await app.StopAsync().ConfigureAwait(false);
                });
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            Console.WriteLine(log.Summary());
            return 0;
        }

        private static bool Alive(int pid)
        {
            try { return !Process.GetProcessById(pid).HasExited; }
            catch (ArgumentException) { return false; }
        }
    }
}
