using System;
using System.IO;

namespace OpenStackOps.Tests.Configuration
{
    /// <summary>A fresh directory per test, removed afterwards.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Path = Directory.CreateTempSubdirectory("osops-cfg").FullName;

        public string Path { get; }

        /// <summary>Writes <paramref name="text"/> to a file under this directory (creating folders) and returns its path.</summary>
        public string Write(string relativePath, string text)
        {
            string full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full));
            File.WriteAllText(full, text.Replace("\r\n", "\n"));
            return full;
        }

        public string Dir(string relativePath)
        {
            string full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(full);
            return full;
        }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
