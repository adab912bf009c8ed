using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenStackOps.FaultProxy
{
    /// <summary>What the proxy does to one request.</summary>
    internal enum Fault { None, Unavailable503, ResetBefore, ResetAfter, Unauthorized401, TooMany429 }

    /// <summary>
    /// Decides each request's fault from a seed. The decision of the n-th request with a given route, method and
    /// path is a hash of (seed, route, method, path, n), so a run is reproducible even though concurrent requests
    /// arrive in a different order each time: only the requests to the same URL are ordered, and those are
    /// (the same caller polls or retries them one after the other).
    /// </summary>
    internal sealed class FaultPlan
    {
        private readonly int _seed;
        private readonly ConcurrentDictionary<string, int> _seen = new ConcurrentDictionary<string, int>();
        private readonly List<(Fault Fault, double Rate)> _rates = new List<(Fault, double)>();

        public FaultPlan(int seed) => _seed = seed;

        public double LatencyRate { get; set; }
        public int LatencyMinMs { get; set; } = 100;
        public int LatencyMaxMs { get; set; } = 800;
        public int RetryAfterSeconds { get; set; } = 1;

        public void SetRate(Fault fault, double rate)
        {
            if (rate < 0 || rate > 1) throw new ArgumentException($"rate of {fault} must be within 0..1");
            _rates.RemoveAll(r => r.Fault == fault);
            _rates.Add((fault, rate));
            double sum = 0;
            foreach (var r in _rates) sum += r.Rate;
            if (sum > 1) throw new ArgumentException("the fault rates add up to more than 1");
        }

        /// <summary>The fault and added latency (ms) of this request.</summary>
        public (Fault Fault, int LatencyMs) Decide(string route, string method, string path)
        {
            string key = route + " " + method + " " + path;
            int n = _seen.AddOrUpdate(key, 1, (_, c) => c + 1);
            double draw = Draw(key, n, "fault");
            var fault = Fault.None;
            double edge = 0;
            foreach (var (f, rate) in _rates)
            {
                edge += rate;
                if (draw < edge) { fault = f; break; }
            }
            int latency = 0;
            if (Draw(key, n, "latency") < LatencyRate)
                latency = LatencyMinMs + (int)(Draw(key, n, "latency-ms") * Math.Max(0, LatencyMaxMs - LatencyMinMs));
            return (fault, latency);
        }

        private double Draw(string key, int n, string purpose)
        {
            var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(_seed.ToString(CultureInfo.InvariantCulture) + "|" + key + "|" + n + "|" + purpose));
            return BitConverter.ToUInt64(bytes, 0) / (double)ulong.MaxValue;
        }

        /// <summary>"503=0.15,reset-before=0.04,reset-after=0.04,401=0.05,429=0.03,latency=0.1".</summary>
        public void ParseRates(string text)
        {
            foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = item.Split('=', 2);
                if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate))
                    throw new ArgumentException($"rate '{item}': expected kind=0.15");
                switch (kv[0].Trim())
                {
                    case "503": SetRate(Fault.Unavailable503, rate); break;
                    case "reset-before": SetRate(Fault.ResetBefore, rate); break;
                    case "reset-after": SetRate(Fault.ResetAfter, rate); break;
                    case "401": SetRate(Fault.Unauthorized401, rate); break;
                    case "429": SetRate(Fault.TooMany429, rate); break;
                    case "latency": LatencyRate = rate; break;
                    default: throw new ArgumentException($"unknown fault kind '{kv[0]}' (503, reset-before, reset-after, 401, 429, latency)");
                }
            }
        }
    }
}
