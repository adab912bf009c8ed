namespace OpenStackOps.Configuration
{
    /// <summary>The OS_* variables an openrc file sets, as a profile named "environment".</summary>
    public static class OpenRcEnvironment
    {
        /// <summary>The profile the variables describe, or null when OS_AUTH_URL is not set (no openrc loaded).</summary>
        /// <exception cref="ConfigurationException">OS_AUTH_URL is set but the rest cannot be used.</exception>
        public static CloudProfile? FromEnvironment(Func<string, string?> getEnv) => FromEnvironment(getEnv, null);

        /// <summary>As <see cref="FromEnvironment(Func{string, string})"/>, with a user name and password over OS_USERNAME/OS_PASSWORD and a prompt for a missing password.</summary>
        public static CloudProfile? FromEnvironment(Func<string, string?> getEnv, CredentialOverrides? overrides)
        {
            if (getEnv == null) throw new ArgumentNullException(nameof(getEnv));
            string? Env(string name)
            {
                string? v = getEnv(name);
                return string.IsNullOrEmpty(v) ? null : v;
            }

            string? authUrl = Env("OS_AUTH_URL");
            if (authUrl == null) return null;

            var p = new CloudProfile
            {
                Name = "environment",
                Source = "OS_* environment variables (OS_AUTH_URL " + authUrl + ")",
                AuthUrl = SettingValues.ParseAuthUrl(authUrl) ?? throw new ConfigurationException(ConfigurationError.InvalidSetting,
                    $"OS_AUTH_URL is '{authUrl}', which is not an http(s) URL such as https://keystone.example.com:5000/v3. Fix the openrc file.", "OS_AUTH_URL"),
                Username = Env("OS_USERNAME"),
                UserId = Env("OS_USER_ID"),
                Password = Secret.FromNullable(Env("OS_PASSWORD")),
                ProjectName = Env("OS_PROJECT_NAME") ?? Env("OS_TENANT_NAME"),
                ProjectId = Env("OS_PROJECT_ID") ?? Env("OS_TENANT_ID"),
                UserDomainName = Env("OS_USER_DOMAIN_NAME"),
                UserDomainId = Env("OS_USER_DOMAIN_ID"),
                ProjectDomainName = Env("OS_PROJECT_DOMAIN_NAME"),
                ProjectDomainId = Env("OS_PROJECT_DOMAIN_ID"),
                DomainName = Env("OS_DOMAIN_NAME"),
                DomainId = Env("OS_DOMAIN_ID"),
                ApplicationCredentialId = Env("OS_APPLICATION_CREDENTIAL_ID"),
                ApplicationCredentialName = Env("OS_APPLICATION_CREDENTIAL_NAME"),
                ApplicationCredentialSecret = Secret.FromNullable(Env("OS_APPLICATION_CREDENTIAL_SECRET")),
                Token = Secret.FromNullable(Env("OS_TOKEN") ?? Env("OS_AUTH_TOKEN")),
                Region = Env("OS_REGION_NAME"),
                CACertificatePath = Env("OS_CACERT"),
                SkipCertificateCheck = SettingValues.ParseBool(Env("OS_INSECURE")) == true,
            };

            string? version = Env("OS_IDENTITY_API_VERSION");
            if (version != null && !SettingValues.IsIdentityV3(version))
                throw new ConfigurationException(ConfigurationError.UnsupportedIdentityVersion,
                    $"OS_IDENTITY_API_VERSION is {version}; OpenStackOps speaks Keystone v3 only. Use a v3 openrc file " +
                    "(OS_IDENTITY_API_VERSION=3, OS_AUTH_URL ending in /v3, OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME).", "OS_IDENTITY_API_VERSION");

            overrides?.ApplyExplicit(p);
            string? authType = Env("OS_AUTH_TYPE");
            if (authType != null)
            {
                p.Method = SettingValues.ParseAuthType(authType) ?? throw new ConfigurationException(ConfigurationError.UnsupportedAuthType,
                    $"OS_AUTH_TYPE is '{authType}'; OpenStackOps supports {SettingValues.SupportedAuthTypes}.", "OS_AUTH_TYPE");
            }
            else
            {
                p.Method = SettingValues.InferAuthType(p.Password != null, p.ApplicationCredentialSecret != null, p.Token != null);
            }

            string? iface = Env("OS_INTERFACE") ?? Env("OS_ENDPOINT_TYPE");
            if (iface != null)
                p.Interface = SettingValues.NormalizeInterface(iface) ?? throw new ConfigurationException(ConfigurationError.InvalidSetting,
                    $"OS_INTERFACE/OS_ENDPOINT_TYPE is '{iface}'; use public, internal or admin.", Env("OS_INTERFACE") != null ? "OS_INTERFACE" : "OS_ENDPOINT_TYPE");

            string? missing = SettingValues.FirstMissing(p);
            if (missing != null && overrides != null && overrides.Complete(p))
                missing = SettingValues.FirstMissing(p);
            if (missing != null)
            {
                string variable = "OS_" + missing.ToUpperInvariant();
                bool password = p.Method == AuthMethod.Password && (missing == "password" || missing == "username");
                string noPrompt = password && overrides?.NoPromptReason != null ? $", and {overrides.NoPromptReason}" : "";
                throw new ConfigurationException(ConfigurationError.MissingSetting,
                    $"OS_AUTH_URL is set but {variable} is not, and {SettingValues.MethodDescription(p.Method)} needs it{noPrompt}. " +
                    $"Set {variable} (an openrc file from the dashboard sets all of them){(password ? ", pass -Credential" : "")}, or use -Cloud with clouds.yaml.", variable)
                { Setting = missing };
            }
            return p;
        }
    }
}
