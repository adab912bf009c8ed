using System;
using System.IO;
using OpenStackOps.Module.Tests.Infrastructure;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;
using Xunit.Abstractions;

namespace OpenStackOps.Module.Tests.Chaos
{
    /// <summary>What a chaos test saw, to the test's output and to out/test-results/chaos-report.txt for the run's reader.</summary>
    public sealed class ChaosReport
    {
        private readonly ITestOutputHelper _output;
        public ChaosReport(ITestOutputHelper output) => _output = output;

        public void Line(string text)
        {
            _output.WriteLine(text);
            try
            {
                string dir = Path.Combine(ModulePaths.RepositoryRoot, "out", "test-results");
                Directory.CreateDirectory(dir);
                File.AppendAllText(Path.Combine(dir, "chaos-report.txt"), $"{DateTime.UtcNow:HH:mm:ss} {text}{Environment.NewLine}");
            }
            catch (IOException) { }
        }
    }
}
