using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenStackOps.Node.Ssh
{
    /// <summary>What known_hosts says about a key a server presented.</summary>
    public enum HostKeyVerdict
    {
        /// <summary>An entry for this host has exactly this key.</summary>
        Trusted,
        /// <summary>No entry for this host at all.</summary>
        Unknown,
        /// <summary>The host is known with another key of the same type (or only with other key types): possibly an attack.</summary>
        Changed,
        /// <summary>The key is marked @revoked.</summary>
        Revoked,
    }

    /// <summary>
    /// An OpenSSH known_hosts file: plain and comma-separated host patterns, <c>[host]:port</c> for ports other than
    /// 22, wildcards (<c>*</c>, <c>?</c>) and negations (<c>!</c>), hashed names (<c>|1|salt|hmac-sha1</c>),
    /// <c>@revoked</c> lines. <c>@cert-authority</c> lines are ignored (host certificates are not supported).
    /// </summary>
    public sealed class KnownHostsFile
    {
        private readonly List<Entry> _entries;

        private KnownHostsFile(string? path, List<Entry> entries)
        {
            Path = path;
            _entries = entries;
        }

        public string? Path { get; }
        public int Count => _entries.Count;

        /// <summary>The default file of the current user: ~/.ssh/known_hosts.</summary>
        public static string DefaultPath =>
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

        /// <summary>Reads a file; a missing file is an empty list (every host unknown).</summary>
        public static KnownHostsFile Load(string path)
            => new KnownHostsFile(path, File.Exists(path) ? Parse(File.ReadAllLines(path)) : new List<Entry>());

        public static KnownHostsFile FromLines(IEnumerable<string> lines) => new KnownHostsFile(null, Parse(lines));

        /// <summary>The name OpenSSH looks up: <c>host</c> on port 22, <c>[host]:port</c> otherwise.</summary>
        public static string LookupName(string host, int port) => port == 22 ? host : "[" + host + "]:" + port;

        /// <summary>The key type named inside an SSH public key blob (e.g. ssh-ed25519, ssh-rsa).</summary>
        public static string? KeyTypeOf(byte[]? blob)
        {
            if (blob == null || blob.Length < 4) return null;
            int len = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            if (len <= 0 || len > blob.Length - 4) return null;
            return Encoding.ASCII.GetString(blob, 4, len);
        }

        /// <summary>SHA256:… as ssh-keygen -l prints it.</summary>
        public static string Fingerprint(byte[] blob)
        {
            using (var sha = SHA256.Create())
                return "SHA256:" + Convert.ToBase64String(sha.ComputeHash(blob)).TrimEnd('=');
        }

        /// <summary>The key types known_hosts holds for a host (to ask the server for one of those first).</summary>
        public IReadOnlyList<string> KnownKeyTypes(string host, int port)
            => _entries.Where(e => e.Marker == null && e.Matches(host, port)).Select(e => e.KeyType).Distinct().ToList();

        public HostKeyVerdict Verify(string host, int port, byte[] keyBlob)
        {
            string? type = KeyTypeOf(keyBlob);
            var matching = _entries.Where(e => e.Matches(host, port)).ToList();
            if (_entries.Any(e => e.Marker == "@revoked" && e.Key.SequenceEqual(keyBlob))) return HostKeyVerdict.Revoked;
            var plain = matching.Where(e => e.Marker == null).ToList();
            if (plain.Count == 0) return HostKeyVerdict.Unknown;
            if (plain.Any(e => e.KeyType == type && e.Key.SequenceEqual(keyBlob))) return HostKeyVerdict.Trusted;
            return HostKeyVerdict.Changed;
        }

        /// <summary>The line that records a newly accepted key (not hashed, like ssh's default on most systems).</summary>
        public static string FormatLine(string host, int port, byte[] keyBlob)
            => LookupName(host, port) + " " + KeyTypeOf(keyBlob) + " " + Convert.ToBase64String(keyBlob);

        /// <summary>Appends an accepted key to the file (creating it and its directory) and to this list.</summary>
        public void Add(string host, int port, byte[] keyBlob)
        {
            string line = FormatLine(host, port, keyBlob);
            if (Path != null)
            {
                string dir = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
                bool needsNewline = File.Exists(Path) && new FileInfo(Path).Length > 0 && !File.ReadAllText(Path).EndsWith("\n");
                File.AppendAllText(Path, (needsNewline ? "\n" : "") + line + "\n");
            }
            _entries.AddRange(Parse(new[] { line }));
        }

        private static List<Entry> Parse(IEnumerable<string> lines)
        {
            var entries = new List<Entry>();
            foreach (var raw in lines)
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var fields = Regex.Split(line, @"\s+");
                int i = 0;
                string? marker = null;
                if (fields[0].StartsWith("@"))
                {
                    marker = fields[0];
                    i = 1;
                    if (marker != "@revoked" && marker != "@cert-authority") continue;
                    if (marker == "@cert-authority") continue;
                }
                if (fields.Length < i + 3) continue;
                byte[] key;
                try
                {
                    key = Convert.FromBase64String(fields[i + 2]);
                }
                catch (FormatException)
                {
                    continue;
                }
                entries.Add(new Entry(marker, fields[i], fields[i + 1], key));
            }
            return entries;
        }

        private sealed class Entry
        {
            private readonly string[] _patterns;
            private readonly byte[]? _salt;
            private readonly byte[]? _hash;

            public Entry(string? marker, string hosts, string keyType, byte[] key)
            {
                Marker = marker;
                KeyType = keyType;
                Key = key;
                if (hosts.StartsWith("|1|"))
                {
                    var parts = hosts.Split('|');
                    if (parts.Length == 4)
                    {
                        try
                        {
                            _salt = Convert.FromBase64String(parts[2]);
                            _hash = Convert.FromBase64String(parts[3]);
                        }
                        catch (FormatException)
                        {
                            _salt = _hash = null;
                        }
                    }
                    _patterns = new string[0];
                }
                else
                {
                    _patterns = hosts.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
                }
            }

            public string? Marker { get; }
            public string KeyType { get; }
            public byte[] Key { get; }

            public bool Matches(string host, int port)
            {
                string name = LookupName(host, port);
                if (_hash != null)
                {
                    using (var hmac = new HMACSHA1(_salt))
                        return hmac.ComputeHash(Encoding.UTF8.GetBytes(name)).SequenceEqual(_hash);
                }
                // OpenSSH matches known_hosts patterns as ssh_config's Host patterns: * ?, !negation, case-insensitive.
                return SshConfigFile.HostMatches(_patterns, name);
            }
        }
    }
}
