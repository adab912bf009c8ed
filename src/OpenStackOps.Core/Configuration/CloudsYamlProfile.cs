using YamlDotNet.RepresentationModel;

namespace OpenStackOps.Configuration
{
    /// <summary>Turns one cloud's merged clouds.yaml/secure.yaml settings into a <see cref="CloudProfile"/>.</summary>
    internal static class CloudsYamlProfile
    {
        /// <param name="secretWhere">Where a secret may be written: clouds.yaml and which secure.yaml (read, or would be read).</param>
        public static CloudProfile Build(CloudSettings s, string cloudsPath, string? securePath, CloudsYamlSearch search,
            CredentialOverrides? overrides = null, string? secretWhere = null)
        {
            string name = s.CloudName;
            var profile = new CloudProfile
            {
                Name = name,
                Source = $"clouds.yaml {cloudsPath} (cloud '{name}')" + (securePath == null ? "" : $" + secure.yaml {securePath}"),
            };

            CheckIdentityVersion(s);
            ReadAuth(s, profile);
            overrides?.ApplyExplicit(profile);

            string? authType = s.Text("auth_type") ?? s.Text("auth_plugin");
            if (authType != null)
            {
                var method = SettingValues.ParseAuthType(authType);
                if (method == null)
                {
                    var at = (s.Find("auth_type") ?? s.Find("auth_plugin"))!;
                    throw new ConfigurationException(ConfigurationError.UnsupportedAuthType,
                        $"{s.Describe("auth_type")} is '{authType}' ({at.Where}); OpenStackOps supports {SettingValues.SupportedAuthTypes}. " +
                        "Use one of those, e.g. an application credential instead of federation or TOTP.", at.File);
                }
                profile.Method = method.Value;
                if (overrides?.Password != null && method.Value != AuthMethod.Password)
                    throw new ConfigurationException(ConfigurationError.InvalidSetting,
                        $"{overrides.Source} gives a user name and password, but {s.Describe("auth_type")} is '{authType}' ({AuthTypeWhere(s)}), which takes none. " +
                        "Leave out -Credential, or connect with -AuthUrl and -Credential.", overrides.Source);
            }
            else
            {
                profile.Method = SettingValues.InferAuthType(profile.Password != null, profile.ApplicationCredentialSecret != null, profile.Token != null);
            }

            string? authUrl = s.Auth("auth_url");
            if (authUrl == null)
                throw Missing(s, "auth_url", profile.Method, cloudsPath);
            profile.AuthUrl = SettingValues.ParseAuthUrl(authUrl)
                ?? throw Invalid(s, s.FindAuth("auth_url")!, $"'{authUrl}' is not an http(s) URL such as https://keystone.example.com:5000/v3");

            string? missing = SettingValues.FirstMissing(profile);
            if (missing != null && overrides != null && overrides.Complete(profile))
                missing = SettingValues.FirstMissing(profile);
            if (missing != null)
                throw Missing(s, missing, profile.Method, cloudsPath, secretWhere, overrides);

            ReadRegion(s, profile);
            ReadInterface(s, profile);
            ReadTls(s, profile, search);
            return profile;
        }

        private static void ReadAuth(CloudSettings s, CloudProfile p)
        {
            p.Username = s.Auth("username");
            p.UserId = s.Auth("user_id");
            p.Password = Secret.FromNullable(s.Auth("password"));
            // tenant_* are the Keystone v2 names; project_* win when both are present, as in openstacksdk.
            p.ProjectName = s.Auth("project_name") ?? s.Auth("tenant_name");
            p.ProjectId = s.Auth("project_id") ?? s.Auth("tenant_id");
            p.UserDomainName = s.Auth("user_domain_name");
            p.UserDomainId = s.Auth("user_domain_id");
            p.ProjectDomainName = s.Auth("project_domain_name");
            p.ProjectDomainId = s.Auth("project_domain_id");
            p.DomainName = s.Auth("domain_name");
            p.DomainId = s.Auth("domain_id");
            p.ApplicationCredentialId = s.Auth("application_credential_id");
            p.ApplicationCredentialName = s.Auth("application_credential_name");
            p.ApplicationCredentialSecret = Secret.FromNullable(s.Auth("application_credential_secret"));
            p.Token = Secret.FromNullable(s.Auth("token") ?? s.Auth("auth_token"));
        }

        private static void CheckIdentityVersion(CloudSettings s)
        {
            string? version = s.Text("identity_api_version");
            if (version == null || SettingValues.IsIdentityV3(version)) return;
            var at = s.Find("identity_api_version")!;
            throw new ConfigurationException(ConfigurationError.UnsupportedIdentityVersion,
                $"{s.Describe("identity_api_version")} is {version} ({at.Where}); OpenStackOps speaks Keystone v3 only. " +
                "Set identity_api_version: 3 and an auth_url that ends in /v3 (or has no version).", at.File);
        }

        /// <summary>
        /// Every region a cloud names: region_name, or each of a regions list (plain names or {name: ...} entries).
        /// For completion: what it cannot read it leaves out, it never throws.
        /// </summary>
        internal static IEnumerable<string> RegionNames(CloudSettings s)
        {
            var setting = s.Find("region_name") ?? s.Find("regions");
            if (setting?.Node is YamlScalarNode scalar && !CloudSettings.IsNull(scalar) && !string.IsNullOrEmpty(scalar.Value))
                yield return scalar.Value!;
            if (setting?.Node is YamlSequenceNode list)
                foreach (var item in list.Children)
                {
                    string? name = (item as YamlScalarNode)?.Value
                        ?? ((item as YamlMappingNode)?.Children.TryGetValue(new YamlScalarNode("name"), out var n) == true ? (n as YamlScalarNode)?.Value : null);
                    if (!string.IsNullOrEmpty(name)) yield return name!;
                }
        }

        /// <summary>region_name, or the first of a regions list (plain names or {name: ...} entries); the caller may override it.</summary>
        private static void ReadRegion(CloudSettings s, CloudProfile p)
        {
            var setting = s.Find("region_name") ?? s.Find("regions");
            if (setting == null) return;
            if (setting.Node is YamlScalarNode scalar)
            {
                p.Region = CloudSettings.IsNull(scalar) ? null : scalar.Value;
                return;
            }
            if (setting.Node is YamlSequenceNode list)
            {
                if (list.Children.Count == 0) return;
                var first = list.Children[0];
                p.Region = (first as YamlScalarNode)?.Value
                    ?? ((first as YamlMappingNode)?.Children.TryGetValue(new YamlScalarNode("name"), out var n) == true ? (n as YamlScalarNode)?.Value : null)
                    ?? throw Invalid(s, setting, "a region must be a name or a mapping with name:");
                if (list.Children.Count > 1)
                    p.Source += $", region {p.Region} (first of {list.Children.Count} listed; pass -Region for another)";
                return;
            }
            throw Invalid(s, setting, "must be a region name or a list of them");
        }

        private static void ReadInterface(CloudSettings s, CloudProfile p)
        {
            string key = s.Find("interface") != null ? "interface" : "endpoint_type";
            string? value = s.Text(key);
            if (value == null) return;
            p.Interface = SettingValues.NormalizeInterface(value)
                ?? throw Invalid(s, s.Find(key)!, $"'{value}' is not an interface; use public, internal or admin");
        }

        private static void ReadTls(CloudSettings s, CloudProfile p, CloudsYamlSearch search)
        {
            string? cacert = s.Text("cacert");
            if (cacert != null) p.CACertificatePath = ResolvePath(cacert, search);

            string? verify = s.Text("verify");
            if (verify != null)
            {
                bool? b = SettingValues.ParseBool(verify);
                if (b == false) p.SkipCertificateCheck = true;
                // requests' verify may also be a CA bundle path.
                else if (b == null && p.CACertificatePath == null) p.CACertificatePath = ResolvePath(verify, search);
            }
            if (SettingValues.ParseBool(s.Text("insecure")) == true) p.SkipCertificateCheck = true;
        }

        private static string ResolvePath(string path, CloudsYamlSearch search)
        {
            if ((path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)) && search.HomeDirectory != null)
                path = Path.Combine(search.HomeDirectory, path.Length > 2 ? path.Substring(2) : "");
            if (!Path.IsPathRooted(path) && search.CurrentDirectory != null)
                path = Path.Combine(search.CurrentDirectory, path);
            return path;
        }

        private static string AuthTypeWhere(CloudSettings s) => (s.Find("auth_type") ?? s.Find("auth_plugin"))!.Where;

        private static ConfigurationException Missing(CloudSettings s, string authKey, AuthMethod method, string cloudsPath,
            string? secretWhere = null, CredentialOverrides? overrides = null)
        {
            string name = s.CloudName;
            string need = authKey == "auth_url" ? "every cloud needs" : SettingValues.MethodDescription(method) + " needs";
            string example;
            switch (authKey)
            {
                case "auth_url": example = "auth_url: https://keystone.example.com:5000/v3"; break;
                case "username": example = "username: <user name> (or user_id: <id>)"; break;
                case "application_credential_id": example = "application_credential_id: <id> (or application_credential_name with username)"; break;
                default: example = authKey + ": <" + authKey.Replace('_', ' ') + ">"; break;
            }
            string where = SettingValues.IsSecret(authKey)
                ? secretWhere ?? $"in {cloudsPath} or in a secure.yaml"
                : $"in {cloudsPath}";
            string vendorHint = s.Text("profile") != null ? " Vendor profiles (profile:) are not supported: write the settings out." : "";
            bool password = method == AuthMethod.Password && (authKey == "password" || authKey == "username");
            string noPrompt = password && overrides?.NoPromptReason != null ? $", and {overrides.NoPromptReason}" : "";
            string fix = password
                ? $"Pass -Credential with -Cloud, {(authKey == "password" ? "set OS_PASSWORD, " : "")}or add '{example}' under clouds.{name}.auth {where}."
                : $"Add '{example}' under clouds.{name}.auth {where}.";
            return new ConfigurationException(ConfigurationError.MissingSetting,
                $"Cloud '{name}' has no auth.{authKey}, which {need}{noPrompt}. {fix}{vendorHint}",
                name) { Setting = authKey };
        }

        private static ConfigurationException Invalid(CloudSettings s, Setting at, string what)
            => new ConfigurationException(ConfigurationError.InvalidFile, $"{s.Describe(at.Key)} ({at.Where}): {what}.", at.File);
    }
}
