using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>
    /// What a move cmdlet said about each server of a chaos run: its result object, or (when it could not even
    /// start on it) the error record that names it. A server with neither, or with two results, is unaccounted for.
    /// </summary>
    public sealed class ChaosOutcome
    {
        public ChaosOutcome(RunResult run, IEnumerable<string> ids)
        {
            var results = run.Output.Where(o => o.Properties["ServerId"] != null && P(o, "ServerId") != null).ToList();
            foreach (string id in ids)
            {
                var mine = results.Where(o => P(o, "ServerId") == id).ToList();
                var error = run.AllErrors.FirstOrDefault(e => e.TargetObject?.ToString() == id || (e.TargetObject is PSObject p && p.Properties["ServerId"] != null && P(p, "ServerId") == id));
                ResultsPerServer[id] = mine.Count;
                if (mine.Count == 1) Results[id] = mine[0];
                else if (mine.Count == 0 && error != null) Errors[id] = error;
            }
        }

        public Dictionary<string, int> ResultsPerServer { get; } = new Dictionary<string, int>();
        public Dictionary<string, PSObject> Results { get; } = new Dictionary<string, PSObject>();
        public Dictionary<string, ErrorRecord> Errors { get; } = new Dictionary<string, ErrorRecord>();

        /// <summary>Servers with no result and no error naming them, or more than one result.</summary>
        public IEnumerable<string> Unaccounted => ResultsPerServer.Where(kv => kv.Value > 1 || (kv.Value == 0 && !Errors.ContainsKey(kv.Key))).Select(kv => kv.Key);

        public bool Completed(string id) => Results.TryGetValue(id, out var o) && P(o, "Status") == "Completed";

        /// <summary>The operator's reason a server was not moved: the result's status and error, or the error record.</summary>
        public string Why(string id)
            => Results.TryGetValue(id, out var o) ? $"{P(o, "Status")}: {P(o, "Message")} [{P(o, "Error")}]"
             : Errors.TryGetValue(id, out var e) ? $"error {e.FullyQualifiedErrorId}: {e.Exception?.Message}" : "no result and no error";
    }
}
