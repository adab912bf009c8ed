using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OpenStackOps.Tests.Swift
{
    /// <summary>
    /// swift-ring-builder without its start-up: one python process imports <c>swift.cli.ringbuilder</c> (what
    /// /usr/bin/swift-ring-builder runs) once, then forks a child per call that runs the tool's own <c>main(argv)</c> with
    /// the same words, stdin at EOF, its own stdout and stderr, its exit code (SystemExit, 2 for an uncaught exception as
    /// the script's excepthook does) and a fresh random seed. A call costs a fork (~10 ms) instead of ~0.7 s of imports
    /// (pkg_resources, eventlet, dnspython), which made the engine tests take minutes on this machine.
    /// </summary>
    internal static class RingBuilderServer
    {
        private const string Script = @"
import json, os, random, sys, traceback
import swift.cli.ringbuilder as rb
sys.stdout.write('ready\n'); sys.stdout.flush()
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        rc = 2
        try:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            sys.stdin = open(os.devnull)
            os.dup2(os.open(req['out'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
            os.dup2(os.open(req['err'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            random.seed()
            try:
                rc = rb.main(req['argv'])
            except SystemExit as e:
                rc = e.code
            except BaseException:
                traceback.print_exc()
                rc = 2
            if rc is None:
                rc = 0
            elif not isinstance(rc, int):
                sys.stderr.write(str(rc) + '\n')
                rc = 1
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            finally:
                os._exit(rc)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(json.dumps({'rc': os.waitstatus_to_exitcode(status)}) + '\n'); sys.stdout.flush()
";

        private static readonly SemaphoreSlim Gate = new SemaphoreSlim(1, 1);
        private static Process _python;

        public static async Task<(int exitCode, string stdout, string stderr)> RunAsync(IReadOnlyList<string> argv, CancellationToken ct)
        {
            await Gate.WaitAsync(ct);
            string outFile = Path.GetTempFileName(), errFile = Path.GetTempFileName();
            try
            {
                if (_python == null || _python.HasExited)
                {
                    var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
                    psi.ArgumentList.Add("-c");
                    psi.ArgumentList.Add(Script);
                    psi.Environment["EVENTLET_NO_GREENDNS"] = "yes";
                    _python = Process.Start(psi);
                    AppDomain.CurrentDomain.ProcessExit += (s, e) => { try { _python.StandardInput.Close(); _python.Kill(); } catch (Exception) { } };
                    string ready = await _python.StandardOutput.ReadLineAsync();
                    if (ready != "ready") throw new InvalidOperationException("the swift-ring-builder server did not start: " + ready);
                }
                await _python.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { argv, @out = outFile, err = errFile }));
                await _python.StandardInput.FlushAsync();
                string reply = await _python.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the swift-ring-builder server exited");
                int rc = JsonDocument.Parse(reply).RootElement.GetProperty("rc").GetInt32();
                return (rc, File.ReadAllText(outFile), File.ReadAllText(errFile));
            }
            finally
            {
                File.Delete(outFile);
                File.Delete(errFile);
                Gate.Release();
            }
        }
    }
}
