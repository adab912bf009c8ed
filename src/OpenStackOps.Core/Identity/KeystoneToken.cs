using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>A Keystone v3 token: the value to send (kept as a <see cref="Secret"/>), its lifetime, whom it is for, and the catalog.</summary>
    public sealed class KeystoneToken
    {
        public KeystoneToken(Secret value, DateTimeOffset issuedAt, DateTimeOffset expiresAt, ServiceCatalog? catalog,
            IReadOnlyList<string>? roles)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
            IssuedAt = issuedAt;
            ExpiresAt = expiresAt;
            Catalog = catalog ?? new ServiceCatalog(Array.Empty<CatalogEntry>());
            Roles = roles ?? Array.Empty<string>();
        }

        /// <summary>The X-Subject-Token Keystone issued; goes in X-Auth-Token and nowhere else.</summary>
        public Secret Value { get; }
        /// <summary>When Keystone issued it (Keystone's clock).</summary>
        public DateTimeOffset IssuedAt { get; }
        /// <summary>When Keystone stops accepting it (Keystone's clock).</summary>
        public DateTimeOffset ExpiresAt { get; }

        /// <summary>The authenticated user's id.</summary>
        public string? UserId { get; set; }
        /// <summary>The authenticated user's name.</summary>
        public string? UserName { get; set; }
        /// <summary>The id of the user's domain.</summary>
        public string? UserDomainId { get; set; }
        /// <summary>The name of the user's domain.</summary>
        public string? UserDomainName { get; set; }
        /// <summary>The project the token is scoped to; null for a domain-scoped or unscoped token.</summary>
        public string? ProjectId { get; set; }
        /// <summary>The name of the project the token is scoped to.</summary>
        public string? ProjectName { get; set; }
        /// <summary>The id of the project's domain.</summary>
        public string? ProjectDomainId { get; set; }
        /// <summary>The name of the project's domain.</summary>
        public string? ProjectDomainName { get; set; }
        /// <summary>The domain a domain-scoped token is for; null otherwise.</summary>
        public string? DomainId { get; set; }
        /// <summary>The name of that domain.</summary>
        public string? DomainName { get; set; }

        /// <summary>Role names on the scope (admin, member, reader...).</summary>
        public IReadOnlyList<string> Roles { get; }

        /// <summary>The endpoints this token may use; empty for an unscoped token.</summary>
        public ServiceCatalog Catalog { get; }

        /// <summary>The token carries the admin role, which the maintenance APIs (os-services, migrations) need.</summary>
        public bool IsAdmin => Roles.Any(r => string.Equals(r, "admin", StringComparison.OrdinalIgnoreCase));

        public override string ToString()
            => $"token for {UserName ?? UserId} on {(ProjectName ?? ProjectId) ?? (DomainName ?? DomainId) ?? "(unscoped)"}, expires {ExpiresAt:u}";
    }
}
