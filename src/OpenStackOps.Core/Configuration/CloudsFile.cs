using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OpenStackOps.Configuration
{
    /// <summary>One parsed clouds.yaml or secure.yaml: its clouds in the order the file lists them.</summary>
    internal sealed class CloudsFile
    {
        private CloudsFile(string path) => Path = path;

        public string Path { get; }
        public List<string> CloudNames { get; } = new List<string>();
        public Dictionary<string, CloudSettings> Clouds { get; } = new Dictionary<string, CloudSettings>(StringComparer.Ordinal);

        public static CloudsFile Read(string path)
        {
            var file = new CloudsFile(path);
            var root = Parse(path);
            if (root == null) return file; // an empty file defines no clouds
            if (!(root is YamlMappingNode top))
                throw Invalid(path, root.Start.Line, "the top level must be a mapping with a 'clouds:' key");
            if (!top.Children.TryGetValue(new YamlScalarNode("clouds"), out var cloudsNode))
                return file;
            if (cloudsNode is YamlScalarNode empty && CloudSettings.IsNull(empty))
                return file;
            if (!(cloudsNode is YamlMappingNode clouds))
                throw Invalid(path, cloudsNode.Start.Line, "'clouds:' must be a mapping of cloud names to their settings");

            foreach (var pair in clouds.Children)
            {
                string? name = (pair.Key as YamlScalarNode)?.Value;
                if (string.IsNullOrEmpty(name))
                    throw Invalid(path, pair.Key.Start.Line, "a cloud name must be a plain word");
                if (pair.Value is YamlScalarNode none && CloudSettings.IsNull(none))
                    file.Add(name!, new CloudSettings(name!));
                else if (pair.Value is YamlMappingNode settings)
                    file.Add(name!, CloudSettings.FromMapping(name!, settings, path));
                else
                    throw Invalid(path, pair.Value.Start.Line, $"cloud '{name}' must be a mapping of settings (auth:, region_name:...)");
            }
            return file;
        }

        private void Add(string name, CloudSettings settings)
        {
            CloudNames.Add(name);
            Clouds[name] = settings;
        }

        private static YamlNode? Parse(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                throw new ConfigurationException(ConfigurationError.InvalidFile,
                    $"Cannot read {path}: {e.Message}. Check the path and its permissions.", path, e);
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                // Not kept as the inner exception: an alias error quotes the alias, which may be part of a password.
                var at = (e is AnchorNotFoundException ? UnknownAlias(text) : null) ?? e.Start;
                throw new ConfigurationException(ConfigurationError.InvalidFile,
                    $"{path} is not valid YAML at line {at.Line}, column {at.Column}: {Reason(e)}. Fix the file (clouds.yaml syntax: " +
                    "https://docs.openstack.org/openstacksdk/latest/user/config/configuration.html).", path);
            }
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }

        /// <summary>
        /// The parser's own explanation, which describes structure ("did not find expected key"), except for
        /// an unknown alias: an unquoted password starting with '*' is read as one, and the message would quote it.
        /// </summary>
        private static string Reason(YamlException e)
        {
            if (e is AnchorNotFoundException)
                return "a value starting with '*' is read as a reference to an anchor that does not exist (quote values that start with * or &)";
            return (e.Message ?? "").TrimEnd('.');
        }

        /// <summary>Where the first alias to an undefined anchor is: YamlDotNet reports such errors at the document start.</summary>
        private static Mark? UnknownAlias(string text)
        {
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                var parser = new Parser(new StringReader(text));
                while (parser.MoveNext())
                {
                    if (parser.Current is AnchorAlias alias && !anchors.Contains(alias.Value.Value))
                        return alias.Start;
                    if (parser.Current is NodeEvent node && !node.Anchor.IsEmpty)
                        anchors.Add(node.Anchor.Value);
                }
            }
            catch (YamlException)
            {
            }
            return null;
        }

        internal static ConfigurationException Invalid(string path, long line, string what)
            => new ConfigurationException(ConfigurationError.InvalidFile, $"{path} line {line}: {what}.", path);
    }
}
