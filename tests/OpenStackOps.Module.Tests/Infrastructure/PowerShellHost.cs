using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>
    /// A runspace with the built module imported, as an operator's pwsh would have it. Runs script text and
    /// keeps every stream, so tests can assert on output objects, ErrorRecords, verbose and progress.
    /// </summary>
    public sealed class PowerShellHost : IDisposable
    {
        private readonly Runspace _runspace;

        public PowerShellHost(bool importModule = true)
        {
            var iss = InitialSessionState.CreateDefault2();
            _runspace = RunspaceFactory.CreateRunspace(iss);
            _runspace.Open();
            if (importModule)
            {
                var r = Run($"Import-Module '{ModulePaths.Manifest}' -ErrorAction Stop");
                r.ThrowOnErrors();
            }
        }

        public RunResult Run(string script, IDictionary<string, object> variables = null)
        {
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = _runspace;
                if (variables != null)
                    foreach (var v in variables) _runspace.SessionStateProxy.SetVariable(v.Key, v.Value);
                ps.AddScript(script);
                var result = new RunResult();
                // Collected as it comes, so what a script wrote before it threw is kept.
                var output = new PSDataCollection<PSObject>();
                try
                {
                    ps.Invoke(null, output);
                }
                catch (RuntimeException e)
                {
                    result.Terminating = e.ErrorRecord;
                }
                result.Output = output.ToList();
                result.Errors = ps.Streams.Error.ToList();
                result.Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList();
                result.Debug = ps.Streams.Debug.Select(v => v.Message).ToList();
                result.Warnings = ps.Streams.Warning.Select(v => v.Message).ToList();
                result.Progress = ps.Streams.Progress.ToList();
                return result;
            }
        }

        /// <summary>A pipeline on this runspace that the test drives itself (BeginInvoke, Stop: what Ctrl+C does).</summary>
        public PowerShell Create(string script)
        {
            var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            return ps;
        }

        public void Dispose() => _runspace.Dispose();
    }

    public sealed class RunResult
    {
        public List<PSObject> Output { get; set; } = new List<PSObject>();
        public List<ErrorRecord> Errors { get; set; } = new List<ErrorRecord>();
        /// <summary>An error that stopped the whole script (a cmdlet's terminating error only stops its statement: see Errors).</summary>
        public ErrorRecord Terminating { get; set; }
        public List<string> Verbose { get; set; } = new List<string>();
        public List<string> Debug { get; set; } = new List<string>();
        public List<string> Warnings { get; set; } = new List<string>();
        public List<ProgressRecord> Progress { get; set; } = new List<ProgressRecord>();

        public IEnumerable<ErrorRecord> AllErrors => Terminating == null ? Errors : Errors.Concat(new[] { Terminating });

        /// <summary>Every text the run produced on any stream, for "this secret never appears" checks.</summary>
        public string AllText => string.Join("\n",
            Output.Select(o => o?.ToString() ?? "")
                .Concat(AllErrors.SelectMany(e => new[] { e.ToString(), e.Exception?.ToString() ?? "", e.ErrorDetails?.Message ?? "", e.ErrorDetails?.RecommendedAction ?? "", e.TargetObject?.ToString() ?? "" }))
                .Concat(Verbose).Concat(Debug).Concat(Warnings));

        public void ThrowOnErrors()
        {
            var first = AllErrors.FirstOrDefault();
            if (first != null) throw new InvalidOperationException("PowerShell error: " + first + " (" + first.FullyQualifiedErrorId + ")");
        }

        /// <summary>A property converted as PowerShell would (a ReadableList to string[], say).</summary>
        public static T Prop<T>(PSObject o, string name) => LanguagePrimitives.ConvertTo<T>(o.Properties[name].Value);
    }
}
