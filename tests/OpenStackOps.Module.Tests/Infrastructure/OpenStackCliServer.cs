using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>
    /// Debian's openstack CLI kept running (tools/devcloud/openstack-cli-server.py) so that a test's look at the
    /// devcloud does not pay the CLI's seconds of Python start-up on every call. Same code, same cloud, same output and
    /// exit code as a fresh `openstack` process; one call at a time; started on first use, ended with the test process
    /// (its input closes).
    /// </summary>
    internal static class OpenStackCliServer
    {
        private const string AnswerPrefix = "\u001eOSOPS ";
        private static readonly object Gate = new object();
        private static Process _process;
        private static readonly System.Text.StringBuilder ErrorLines = new System.Text.StringBuilder();

        private static string Errors { get { lock (ErrorLines) return ErrorLines.ToString(); } }

        private static void End(Process process)
        {
            try { process.Kill(true); } catch (InvalidOperationException) { }
            _process = null;
        }

        /// <summary>Runs one CLI command; null when its arguments need a shell's quoting (the caller runs a process then).</summary>
        public static (int ExitCode, string Stdout, string Stderr)? TryRun(string arguments, (string, string)[] env)
        {
            if (arguments.IndexOfAny(new[] { '"', '\'', '\\' }) >= 0) return null;
            string[] args = arguments.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
            lock (Gate)
            {
                var process = Started(env);
                process.StandardInput.WriteLine(new JsonObject { ["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray()) }.ToJsonString());
                process.StandardInput.Flush();
                var reading = System.Threading.Tasks.Task.Run(() =>
                {
                    string l;
                    while ((l = process.StandardOutput.ReadLine()) != null && !l.StartsWith(AnswerPrefix, StringComparison.Ordinal)) { }
                    return l;
                });
                if (!reading.Wait(TimeSpan.FromSeconds(120)))
                {
                    End(process);
                    throw new TimeoutException("openstack " + arguments);
                }
                string line = reading.Result;
                if (line == null)
                {
                    End(process);
                    throw new InvalidOperationException("openstack-cli-server.py ended: " + Errors);
                }
                var answer = JsonNode.Parse(line.Substring(AnswerPrefix.Length));
                return ((int)answer["rc"], (string)answer["out"], (string)answer["err"]);
            }
        }

        private static Process Started((string, string)[] env)
        {
            if (_process != null && !_process.HasExited) return _process;
            var psi = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(ModulePaths.RepositoryRoot, "tools", "devcloud", "openstack-cli-server.py"));
            Devcloud.UseDebianPython(psi, env);
            _process = Process.Start(psi);
            // stderr only matters when the server dies; drain it so a chatty library never blocks the pipe.
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (ErrorLines) ErrorLines.AppendLine(e.Data); };
            _process.BeginErrorReadLine();
            return _process;
        }
    }
}
