using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;

namespace OpenStackOps.Module.Tests.Compliance
{
    /// <summary>A type is found where its namespace says: every source file's namespace is its folder under the project.</summary>
    public class SourceLayoutTests
    {
        private static readonly Regex NamespaceLine = new Regex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline);

        [Theory]
        [InlineData("OpenStackOps.Core")]
        [InlineData("OpenStackOps")]
        public void EveryNamespaceIsItsFolder(string project)
        {
            var root = Path.Combine(ModulePaths.RepositoryRoot, "src", project);
            var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .ToList();
            Assert.NotEmpty(sources);

            var misplaced = sources
                .Select(f => (File: f, Declared: NamespaceLine.Match(File.ReadAllText(f)).Groups[1].Value, Expected: Expected(root, f)))
                .Where(x => x.Declared != x.Expected && !IsPolyfill(root, x.File, x.Declared))
                .Select(x => $"{Path.GetRelativePath(root, x.File)}: namespace {x.Declared}, folder says {x.Expected}")
                .ToList();
            Assert.True(misplaced.Count == 0, "Namespaces that do not match their folders:\n" + string.Join("\n", misplaced));
        }

        // netstandard2.0 lacks attributes the compiler looks up by their BCL names; their copies live in Polyfills/.
        private static bool IsPolyfill(string root, string file, string declared) =>
            declared.StartsWith("System.") && Path.GetRelativePath(root, Path.GetDirectoryName(file)) == "Polyfills";

        // Both projects' root namespace is OpenStackOps; a folder adds its path.
        private static string Expected(string root, string file)
        {
            var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file));
            return folder == "." ? "OpenStackOps" : "OpenStackOps." + folder.Replace(Path.DirectorySeparatorChar, '.');
        }
    }
}
