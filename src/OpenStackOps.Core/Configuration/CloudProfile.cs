namespace OpenStackOps.Configuration
{
    /// <summary>
    /// Everything needed to connect to one cloud, whatever it came from (clouds.yaml + secure.yaml,
    /// OS_* environment variables, or explicit parameters). Secrets are <see cref="Secret"/>s.
    /// </summary>
    public sealed class CloudProfile
    {
        /// <summary>The clouds.yaml cloud name, or a label such as "environment" or the auth URL's host.</summary>
        public string Name { get; set; } = null!;
        /// <summary>Where the settings came from, for messages (never includes secrets).</summary>
        public string Source { get; set; } = null!;

        public Uri? AuthUrl { get; set; }
        public AuthMethod Method { get; set; } = AuthMethod.Password;

        public string? Username { get; set; }
        public string? UserId { get; set; }
        public string? UserDomainName { get; set; }
        public string? UserDomainId { get; set; }
        public Secret? Password { get; set; }

        public string? ProjectName { get; set; }
        public string? ProjectId { get; set; }
        public string? ProjectDomainName { get; set; }
        public string? ProjectDomainId { get; set; }
        /// <summary>Domain scope (instead of a project), or the default for user/project domains.</summary>
        public string? DomainName { get; set; }
        public string? DomainId { get; set; }

        public string? ApplicationCredentialId { get; set; }
        public string? ApplicationCredentialName { get; set; }
        public Secret? ApplicationCredentialSecret { get; set; }

        public Secret? Token { get; set; }

        public string? Region { get; set; }
        /// <summary>public (default), internal or admin.</summary>
        public string Interface { get; set; } = "public";

        /// <summary>PEM bundle of CAs to trust for this cloud's endpoints.</summary>
        public string? CACertificatePath { get; set; }
        /// <summary>Explicit opt-out of certificate checks (test clouds only).</summary>
        public bool SkipCertificateCheck { get; set; }
    }
}
