using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenStackOps.Common
{
    /// <summary>
    /// How a journal (a record written on the operator's machine before a change and after each step) reaches the disk:
    /// camelCase indented JSON, the first write never replacing a file, later ones replacing it whole.
    /// </summary>
    internal static class JsonJournalFile
    {
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };

        /// <summary>The first write: refuses to replace an existing file (it may be the only record of an earlier change).</summary>
        public static void WriteNew<T>(T journal, string path)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(f, journal, Options);
                f.Flush(true);
            }
        }

        /// <summary>Later writes: a new file renamed over the old one, so a crash leaves one or the other whole.</summary>
        public static void Update<T>(T journal, string path)
        {
            string temp = path + ".tmp";
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(f, journal, Options);
                f.Flush(true);
            }
            File.Replace(temp, path, null);
        }

        /// <summary>The file's journal (null for a JSON null); JsonException and IO exceptions are the caller's to word.</summary>
        public static T? Read<T>(string path) where T : class => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
    }
}
