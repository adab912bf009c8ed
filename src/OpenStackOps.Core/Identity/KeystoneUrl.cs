using System.Text.RegularExpressions;
using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// Where the v3 token API is, from an auth URL as people write it: ".../v3", ".../v3/", or Keystone's root
    /// (".../identity", ":5000"). A root gets "/v3" appended instead of version discovery: we only speak v3 anyway.
    /// </summary>
    internal static class KeystoneUrl
    {
        private static readonly Regex VersionSegment = new Regex(@"^v(\d+)(\.\d+)?$", RegexOptions.IgnoreCase);

        public static Uri Tokens(Uri authUrl)
        {
            string path = authUrl.AbsolutePath.TrimEnd('/');
            int slash = path.LastIndexOf('/');
            var version = VersionSegment.Match(path.Substring(slash + 1));
            if (version.Success && version.Groups[1].Value != "3")
                throw new ConfigurationException(ConfigurationError.UnsupportedIdentityVersion,
                    $"The auth URL {authUrl} is Keystone {version.Value}; OpenStackOps speaks Keystone v3 only. " +
                    $"Use {authUrl.GetLeftPart(UriPartial.Authority)}{path.Substring(0, slash)}/v3 instead.", authUrl.ToString());
            if (!version.Success) path += "/v3";
            return new Uri(authUrl.GetLeftPart(UriPartial.Authority) + path + "/auth/tokens");
        }
    }
}
