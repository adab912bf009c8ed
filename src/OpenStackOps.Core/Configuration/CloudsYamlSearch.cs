using System.Runtime.InteropServices;

namespace OpenStackOps.Configuration
{
    /// <summary>
    /// Where to look for clouds.yaml and secure.yaml. In each directory, in order, the first
    /// clouds.yaml/clouds.yml/clouds.json wins, as in openstacksdk; an <see cref="ExplicitFile"/> beats them all.
    /// </summary>
    public sealed class CloudsYamlSearch
    {
        /// <summary>A clouds.yaml named by OS_CLIENT_CONFIG_FILE or -CloudsYamlPath; it must exist.</summary>
        public string? ExplicitFile { get; set; }

        /// <summary>A secure.yaml named by OS_CLIENT_SECURE_FILE; it must exist.</summary>
        public string? ExplicitSecureFile { get; set; }

        /// <summary>Directories searched in order for clouds.yaml and secure.yaml.</summary>
        public IList<string> Directories { get; set; } = new List<string>();

        /// <summary>Relative paths in the files (cacert) are taken from here, not from the process's directory.</summary>
        public string? CurrentDirectory { get; set; }

        /// <summary>What a leading ~ in a path (cacert) stands for.</summary>
        public string? HomeDirectory { get; set; }

        /// <summary>
        /// openstacksdk's search: OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE, then the current directory,
        /// $XDG_CONFIG_HOME/openstack, ~/.config/openstack, %APPDATA%\openstack on Windows, /etc/openstack.
        /// </summary>
        public static CloudsYamlSearch Default(Func<string, string?>? getEnv, string? currentDirectory)
        {
            string? Env(string name) => NullIfEmpty(getEnv?.Invoke(name));
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var search = new CloudsYamlSearch
            {
                ExplicitFile = Env("OS_CLIENT_CONFIG_FILE"),
                ExplicitSecureFile = Env("OS_CLIENT_SECURE_FILE"),
                CurrentDirectory = currentDirectory,
            };

            var dirs = new List<string>();
            void Add(string? dir)
            {
                if (string.IsNullOrEmpty(dir)) return;
                if (!dirs.Exists(d => string.Equals(d, dir, windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
                    dirs.Add(dir!);
            }

            Add(currentDirectory);
            if (Env("XDG_CONFIG_HOME") is string xdg) Add(Path.Combine(xdg, "openstack"));
            // Snaps move $HOME; openstacksdk then reads the real one.
            string? home = Env("SNAP_REAL_HOME") ?? Env("HOME") ?? Env("USERPROFILE") ?? NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            search.HomeDirectory = home;
            if (home != null) Add(Path.Combine(home, ".config", "openstack"));
            if (windows && Env("APPDATA") is string appData) Add(Path.Combine(appData, "openstack"));
            Add("/etc/openstack");
            search.Directories = dirs;
            return search;
        }

        private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
