using YamlDotNet.RepresentationModel;

namespace OpenStackOps.Configuration
{
    /// <summary>
    /// One cloud's settings as dotted keys ("auth.username", "region_name") with the file and line each came
    /// from, so that a secure.yaml value can replace a clouds.yaml one key by key (openstacksdk's deep merge)
    /// and every message can point at the line to fix.
    /// </summary>
    internal sealed class CloudSettings
    {
        private readonly Dictionary<string, Setting> _values = new Dictionary<string, Setting>();

        public CloudSettings(string cloudName) => CloudName = cloudName;

        public string CloudName { get; }

        public IEnumerable<string> Keys => _values.Keys;

        public static CloudSettings FromMapping(string cloudName, YamlMappingNode mapping, string file)
        {
            var settings = new CloudSettings(cloudName);
            settings.Flatten("", mapping, file);
            return settings;
        }

        /// <summary>Every key of <paramref name="over"/> replaces the same key here (lists are replaced whole).</summary>
        public void MergeFrom(CloudSettings over)
        {
            foreach (var pair in over._values)
                _values[pair.Key] = pair.Value;
        }

        public Setting? Find(string key) => _values.TryGetValue(key, out var s) ? s : null;

        /// <summary>The text of a single-value setting, or null when absent or empty (YAML null, ~, nothing).</summary>
        public string? Text(string key)
        {
            var s = Find(key);
            if (s == null) return null;
            if (!(s.Node is YamlScalarNode scalar))
                throw new ConfigurationException(ConfigurationError.InvalidFile,
                    $"{Describe(key)} must be a single value, not a {(s.Node is YamlSequenceNode ? "list" : "mapping")} ({s.Where}).", s.File);
            return IsNull(scalar) ? null : scalar.Value;
        }

        /// <summary>An authentication setting: under auth: as usual, or at the cloud's top level as openstacksdk also accepts.</summary>
        public string? Auth(string key) => Text("auth." + key) ?? Text(key);

        /// <summary>The auth key actually present ("auth.x" or "x"), for messages.</summary>
        public Setting? FindAuth(string key) => Find("auth." + key) ?? Find(key);

        public string Describe(string key) => $"clouds.{CloudName}.{key}";

        private void Flatten(string prefix, YamlMappingNode mapping, string file)
        {
            foreach (var pair in mapping.Children)
            {
                // openstacksdk treats auth-url and auth_url alike.
                string name = ((pair.Key as YamlScalarNode)?.Value ?? pair.Key.ToString()).Replace('-', '_');
                string key = prefix + name;
                if (pair.Value is YamlMappingNode child && child.Children.Count > 0)
                    Flatten(key + ".", child, file);
                else
                    _values[key] = new Setting(key, pair.Value, file);
            }
        }

        internal static bool IsNull(YamlScalarNode scalar)
            => scalar.Value == null ||
               (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain &&
                (scalar.Value.Length == 0 || scalar.Value == "~" || scalar.Value == "null" || scalar.Value == "Null" || scalar.Value == "NULL"));
    }

    /// <summary>One value and where it was written.</summary>
    internal sealed class Setting
    {
        public Setting(string key, YamlNode node, string file)
        {
            Key = key;
            Node = node;
            File = file;
        }

        public string Key { get; }
        public YamlNode Node { get; }
        public string File { get; }
        public long Line => Node.Start.Line;
        public string Where => $"{File} line {Line}";
    }
}
