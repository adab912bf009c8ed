using System;
using System.Collections.Generic;
using System.Linq;
using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>A Keystone v3 token: the value to send (kept as a <see cref="Secret"/>), its lifetime, whom it is for, and the catalog.</summary>
    public sealed class KeystoneToken
    {
        public KeystoneToken(Secret value, DateTimeOffset issuedAt, DateTimeOffset expiresAt, ServiceCatalog catalog,
            IReadOnlyList<string> roles)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
            IssuedAt = issuedAt;
            ExpiresAt = expiresAt;
            Catalog = catalog ?? new ServiceCatalog(Array.Empty<CatalogEntry>());
            Roles = roles ?? Array.Empty<string>();
        }

        /// <summary>The X-Subject-Token Keystone issued; goes in X-Auth-Token and nowhere else.</summary>
        public Secret Value { get; }
        public DateTimeOffset IssuedAt { get; }
        public DateTimeOffset ExpiresAt { get; }

        public string UserId { get; set; }
        public string UserName { get; set; }
        public string UserDomainId { get; set; }
        public string UserDomainName { get; set; }
        /// <summary>Null for a domain-scoped or unscoped token.</summary>
        public string ProjectId { get; set; }
        public string ProjectName { get; set; }
        public string ProjectDomainId { get; set; }
        public string ProjectDomainName { get; set; }
        /// <summary>Set for a domain-scoped token only.</summary>
        public string DomainId { get; set; }
        public string DomainName { get; set; }

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
