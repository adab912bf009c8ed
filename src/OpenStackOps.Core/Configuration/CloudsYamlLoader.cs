namespace OpenStackOps.Configuration
{
    /// <summary>
    /// Reads a cloud from clouds.yaml the way openstacksdk does: the first clouds file found wins, and the first
    /// secure.yaml found is merged over it key by key (secrets kept apart from the shareable file win).
    /// </summary>
    public static class CloudsYamlLoader
    {
        private static readonly string[] Suffixes = { ".yaml", ".yml", ".json" };

        /// <summary>The settings of <paramref name="cloudName"/> as a profile ready to authenticate with.</summary>
        /// <exception cref="ConfigurationException">No file, no such cloud, a broken file, or unusable settings.</exception>
        public static CloudProfile Load(string cloudName, CloudsYamlSearch search) => Load(cloudName, search, null);

        /// <summary>
        /// As <see cref="Load(string, CloudsYamlSearch)"/>, with a user name and password that replace the files'
        /// (-Credential), a password for when they give none (OS_PASSWORD), and a prompt for what is still missing.
        /// </summary>
        public static CloudProfile Load(string cloudName, CloudsYamlSearch search, CredentialOverrides? overrides)
        {
            if (string.IsNullOrEmpty(cloudName)) throw new ArgumentException("A cloud name is needed.", nameof(cloudName));
            var files = ReadFiles(search);
            if (!files.Clouds.TryGetValue(cloudName, out var settings))
                throw CloudNotFound(cloudName, files);
            return CloudsYamlProfile.Build(settings, files.CloudsPath, files.SecurePathFor(cloudName), search, overrides,
                SecretWhere(search, files.CloudsPath, files.SecurePath));
        }

        /// <summary>
        /// Where a password (or other secret) can go, naming exactly the files read, and which secure.yaml would be
        /// read when none was: OS_CLIENT_SECURE_FILE, else the first secure.yaml/.yml/.json in the search directories,
        /// as openstacksdk reads it, never one next to a clouds.yaml named by -CloudsYamlPath or OS_CLIENT_CONFIG_FILE.
        /// </summary>
        internal static string SecretWhere(CloudsYamlSearch search, string cloudsPath, string? securePath)
        {
            var dirs = (search.Directories ?? (IList<string>)Array.Empty<string>()).Where(d => !string.IsNullOrEmpty(d)).ToList();
            string text = securePath != null
                ? $"in {cloudsPath} or in {securePath} (the secure.yaml that was read)"
                : $"in {cloudsPath} or in a secure.yaml, of which none was found (read from OS_CLIENT_SECURE_FILE, else the first secure.yaml, .yml or .json in {string.Join(", ", dirs)})";
            string cloudsDir = Path.GetDirectoryName(cloudsPath);
            if (search.ExplicitFile != null && search.ExplicitSecureFile == null && cloudsDir != null && !dirs.Any(d => SameDirectory(d, cloudsDir)))
                text += $"; a secure.yaml next to {cloudsPath} is not read (neither does the openstack CLI read one there): set OS_CLIENT_SECURE_FILE to it";
            return text;
        }

        private static bool SameDirectory(string a, string b)
            => string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
                Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        /// <summary>The cloud names clouds.yaml and secure.yaml define, in file order.</summary>
        public static IReadOnlyList<string> ListClouds(CloudsYamlSearch search) => ReadFiles(search).Names;

        /// <summary>
        /// The regions clouds.yaml and secure.yaml name for <paramref name="cloudName"/> (region_name or regions:), or
        /// for every cloud when it is null or not defined; in file order, each once.
        /// </summary>
        public static IReadOnlyList<string> ListRegions(CloudsYamlSearch search, string? cloudName)
        {
            var files = ReadFiles(search);
            var clouds = cloudName != null && files.Clouds.TryGetValue(cloudName, out var one)
                ? new[] { one } : files.Names.Select(n => files.Clouds[n]).ToArray();
            return clouds.SelectMany(CloudsYamlProfile.RegionNames).Distinct(StringComparer.Ordinal).ToList();
        }

        private static MergedFiles ReadFiles(CloudsYamlSearch search)
        {
            if (search == null) throw new ArgumentNullException(nameof(search));
            var candidates = Candidates(search, "clouds");
            string cloudsPath = search.ExplicitFile != null ? Explicit(search.ExplicitFile, "clouds.yaml") : candidates.FirstOrDefault(File.Exists);
            if (cloudsPath == null)
                throw new ConfigurationException(ConfigurationError.NoCloudsFile,
                    "Found no clouds.yaml. Looked for: " + string.Join(", ", candidates) + ". Create one there, name it with " +
                    "-CloudsYamlPath or OS_CLIENT_CONFIG_FILE, or use the OS_* variables of an openrc file.", candidates.FirstOrDefault());

            string? securePath = search.ExplicitSecureFile != null
                ? Explicit(search.ExplicitSecureFile, "secure.yaml")
                : Candidates(search, "secure").FirstOrDefault(File.Exists);

            var merged = new MergedFiles(cloudsPath, securePath);
            var clouds = CloudsFile.Read(cloudsPath);
            foreach (var name in clouds.CloudNames)
                merged.Add(name, clouds.Clouds[name], fromSecure: false);
            if (securePath != null)
            {
                var secure = CloudsFile.Read(securePath);
                foreach (var name in secure.CloudNames)
                    merged.Add(name, secure.Clouds[name], fromSecure: true);
            }
            return merged;
        }

        private static List<string> Candidates(CloudsYamlSearch search, string baseName)
        {
            var list = new List<string>();
            foreach (var dir in search.Directories ?? (IList<string>)Array.Empty<string>())
                if (!string.IsNullOrEmpty(dir))
                    foreach (var suffix in Suffixes)
                        list.Add(Path.Combine(dir, baseName + suffix));
            return list;
        }

        private static string Explicit(string path, string what)
        {
            if (File.Exists(path)) return path;
            throw new ConfigurationException(ConfigurationError.NoCloudsFile,
                $"The {what} named by {(what == "secure.yaml" ? "OS_CLIENT_SECURE_FILE" : "-CloudsYamlPath or OS_CLIENT_CONFIG_FILE")} does not exist: {path}. " +
                "Check the path.", path);
        }

        private static ConfigurationException CloudNotFound(string cloudName, MergedFiles files)
        {
            string read = files.CloudsPath + (files.SecurePath == null ? "" : " and " + files.SecurePath);
            string defined = files.Names.Count == 0
                ? "It defines no clouds (the top-level key must be 'clouds:')."
                : "Clouds defined there: " + string.Join(", ", files.Names) + ".";
            string? near = files.Names.FirstOrDefault(n => string.Equals(n, cloudName, StringComparison.OrdinalIgnoreCase));
            string hint = near != null
                ? $" Cloud names are case-sensitive: did you mean '{near}'?"
                : " Pass one of those names to -Cloud (or OS_CLOUD), or point -CloudsYamlPath/OS_CLIENT_CONFIG_FILE at the file that defines it.";
            return new ConfigurationException(ConfigurationError.CloudNotFound,
                $"No cloud named '{cloudName}' in {read}. {defined}{hint}", cloudName);
        }

        /// <summary>clouds.yaml with secure.yaml merged over it, cloud by cloud.</summary>
        private sealed class MergedFiles
        {
            private readonly HashSet<string> _inSecure = new HashSet<string>(StringComparer.Ordinal);

            public MergedFiles(string cloudsPath, string? securePath)
            {
                CloudsPath = cloudsPath;
                SecurePath = securePath;
            }

            public string CloudsPath { get; }
            public string? SecurePath { get; }
            public List<string> Names { get; } = new List<string>();
            public Dictionary<string, CloudSettings> Clouds { get; } = new Dictionary<string, CloudSettings>(StringComparer.Ordinal);

            public void Add(string name, CloudSettings settings, bool fromSecure)
            {
                if (fromSecure) _inSecure.Add(name);
                if (!Clouds.TryGetValue(name, out var existing))
                {
                    existing = new CloudSettings(name);
                    Clouds[name] = existing;
                    Names.Add(name);
                }
                existing.MergeFrom(settings);
            }

            /// <summary>The secure.yaml path when it holds settings for this cloud (for the profile's Source).</summary>
            public string? SecurePathFor(string name) => _inSecure.Contains(name) ? SecurePath : null;
        }
    }
}
