namespace OpenStackOps.Node.Disks
{
    /// <summary>Paths inside a mounted guest file system, kept inside its mount point.</summary>
    public static class GuestPath
    {
        /// <summary>
        /// The node path of <paramref name="guestPath"/> (absolute or relative to the guest's root) under
        /// <paramref name="mountPoint"/>. ".." can never climb out; a NUL or newline is refused.
        /// </summary>
        public static string Under(string mountPoint, string guestPath)
        {
            if (string.IsNullOrEmpty(guestPath)) throw new ArgumentException("A guest path is needed.");
            if (guestPath.IndexOfAny(new[] { '\0', '\n', '\r' }) >= 0) throw new ArgumentException("A guest path cannot contain NUL or line breaks.");
            var parts = new List<string>();
            foreach (var p in guestPath.Replace('\\', '/').Split('/'))
            {
                if (p.Length == 0 || p == ".") continue;
                if (p == "..")
                    throw new ArgumentException($"'{guestPath}' climbs with '..': name the file by its path inside the guest.");
                parts.Add(p);
            }
            if (parts.Count == 0) throw new ArgumentException($"'{guestPath}' names the guest's root, not a file.");
            return mountPoint.TrimEnd('/') + "/" + string.Join("/", parts);
        }

        /// <summary>The guest path in canonical form (/a/b).</summary>
        public static string Canonical(string mountPoint, string nodePath) => nodePath.Substring(mountPoint.TrimEnd('/').Length);

        /// <summary>True when a resolved node path (realpath) is still inside the mount point.</summary>
        public static bool IsInside(string mountPoint, string resolved)
            => resolved.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
    }
}
