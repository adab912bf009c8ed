namespace OpenStackOps.Configuration
{
    /// <summary>
    /// Decides the <see cref="CloudProfile"/> a <see cref="CloudProfileRequest"/> stands for, as the openstack CLI
    /// would: explicit settings; or a clouds.yaml cloud (named, OS_CLOUD, or the only one of an explicit file) with
    /// secure.yaml; or the openrc OS_* variables; the request's user and password over the configuration's,
    /// OS_PASSWORD when the configuration has none, then the prompt.
    /// </summary>
    public static class CloudProfileResolver
    {
        /// <param name="env">Reads an environment variable (null when unset).</param>
        /// <param name="currentDirectory">Where clouds.yaml and secure.yaml are searched first.</param>
        public static CloudProfile Resolve(CloudProfileRequest r, Func<string, string?> env, string currentDirectory)
        {
            CloudProfile profile;
            switch (r.Method)
            {
                case AuthMethod.Password:
                    profile = Explicit(r, AuthMethod.Password);
                    profile.Username = r.UserName;
                    profile.Password = r.Password;
                    profile.UserDomainName = r.UserDomainName;
                    profile.UserDomainId = r.UserDomainId;
                    profile.DomainName = r.DomainName;
                    if (r.UserDomainName == null && r.UserDomainId == null && r.DomainName == null) profile.UserDomainId = "default";
                    break;
                case AuthMethod.ApplicationCredential:
                    profile = Explicit(r, AuthMethod.ApplicationCredential);
                    profile.ApplicationCredentialId = r.ApplicationCredentialId;
                    profile.ApplicationCredentialSecret = r.ApplicationCredentialSecret;
                    break;
                case AuthMethod.Token:
                    profile = Explicit(r, AuthMethod.Token);
                    profile.Token = r.Token;
                    break;
                default:
                    profile = FromConfiguration(r, env, currentDirectory);
                    break;
            }
            if (r.Region != null) profile.Region = r.Region;
            if (r.Interface != null) profile.Interface = r.Interface;
            if (r.CACertificatePath != null) profile.CACertificatePath = r.CACertificatePath;
            if (r.SkipCertificateCheck) profile.SkipCertificateCheck = true;
            return profile;
        }

        private static CloudProfile Explicit(CloudProfileRequest r, AuthMethod method)
        {
            var profile = new CloudProfile
            {
                // An explicit Method comes with an AuthUrl (Connect-OpenStack's -AuthUrl is mandatory in those parameter sets).
                Name = r.AuthUrl!.Host,
                Source = "parameters",
                AuthUrl = r.AuthUrl,
                Method = method,
                ProjectName = r.ProjectName,
                ProjectId = r.ProjectId,
                ProjectDomainName = r.ProjectDomainName,
                ProjectDomainId = r.ProjectDomainId,
            };
            if (r.ProjectName != null && r.ProjectDomainName == null && r.ProjectDomainId == null) profile.ProjectDomainId = "default";
            return profile;
        }

        private static CloudProfile FromConfiguration(CloudProfileRequest r, Func<string, string?> env, string currentDirectory)
        {
            var overrides = Overrides(r, env);
            string? cloud = r.Cloud ?? (string.IsNullOrEmpty(env("OS_CLOUD")) ? null : env("OS_CLOUD")); // OS_CLOUD= is unset
            if (cloud == null && r.CloudsYamlPath == null)
            {
                var fromEnv = OpenRcEnvironment.FromEnvironment(env, overrides);
                if (fromEnv != null) return fromEnv;
                throw new ConfigurationException(ConfigurationError.CloudNotFound,
                    "No cloud given: pass -Cloud <name from clouds.yaml>, set OS_CLOUD, or load an openrc file (OS_AUTH_URL, OS_USERNAME, ...).",
                    null);
            }
            var search = CloudsYamlSearch.Default(env, currentDirectory);
            if (r.CloudsYamlPath != null) search.ExplicitFile = r.CloudsYamlPath;
            if (cloud == null)
            {
                var names = CloudsYamlLoader.ListClouds(search);
                if (names.Count != 1)
                    throw new ConfigurationException(ConfigurationError.CloudNotFound,
                        $"{Path.GetFileName(search.ExplicitFile)} defines {names.Count} clouds ({string.Join(", ", names)}): pass -Cloud.", search.ExplicitFile);
                cloud = names[0];
            }
            return CloudsYamlLoader.Load(cloud, search, overrides);
        }

        /// <summary>The request's user and password over the configuration's; OS_PASSWORD when it gives none; then the prompt.</summary>
        private static CredentialOverrides Overrides(CloudProfileRequest r, Func<string, string?> env)
        {
            var overrides = new CredentialOverrides { Prompt = r.Prompt };
            if (r.Password != null)
            {
                overrides.UserName = string.IsNullOrEmpty(r.UserName) ? null : r.UserName;
                overrides.Password = r.Password;
            }
            string? envPassword = env("OS_PASSWORD");
            if (!string.IsNullOrEmpty(envPassword)) overrides.FallbackPassword = new Secret(envPassword!);
            return overrides;
        }
    }
}
