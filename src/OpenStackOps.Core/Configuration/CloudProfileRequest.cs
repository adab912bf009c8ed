namespace OpenStackOps.Configuration
{
    /// <summary>
    /// What an operator gave to connect (Connect-OpenStack's parameters), before any file or variable is read.
    /// Paths are already file-system paths. <see cref="CloudProfileResolver"/> turns it into a <see cref="CloudProfile"/>.
    /// </summary>
    public sealed class CloudProfileRequest
    {
        /// <summary>An explicit login with <see cref="AuthUrl"/>; null: the configuration's (clouds.yaml, OS_CLOUD, openrc).</summary>
        public AuthMethod? Method { get; set; }

        /// <summary>The cloud's name in clouds.yaml; null: OS_CLOUD, else the openrc variables.</summary>
        public string? Cloud { get; set; }
        /// <summary>A clouds.yaml to read instead of searching the usual places.</summary>
        public string? CloudsYamlPath { get; set; }

        public Uri? AuthUrl { get; set; }

        /// <summary>
        /// A user name and password (a PSCredential): the whole login with <see cref="AuthMethod.Password"/>; with the
        /// configuration they replace its user and password, as the openstack CLI's --os-username/--os-password do.
        /// An empty user name keeps the configuration's.
        /// </summary>
        public string? UserName { get; set; }
        public Secret? Password { get; set; }

        /// <summary>With the configuration, when it has no password (and OS_PASSWORD is unset): asks for one, see <see cref="CredentialOverrides.Prompt"/>.</summary>
        public Func<string, string?, PromptedCredential?>? Prompt { get; set; }

        public string? ApplicationCredentialId { get; set; }
        public Secret? ApplicationCredentialSecret { get; set; }
        public Secret? Token { get; set; }

        public string? ProjectName { get; set; }
        public string? ProjectId { get; set; }
        public string? ProjectDomainName { get; set; }
        public string? ProjectDomainId { get; set; }
        public string? UserDomainName { get; set; }
        public string? UserDomainId { get; set; }
        public string? DomainName { get; set; }

        /// <summary>These replace whatever the login's source says.</summary>
        public string? Region { get; set; }
        public string? Interface { get; set; }
        public string? CACertificatePath { get; set; }
        public bool SkipCertificateCheck { get; set; }
    }
}
