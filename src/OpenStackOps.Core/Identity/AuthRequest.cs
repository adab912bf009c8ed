using System.Text.Json.Nodes;
using OpenStackOps.Configuration;

namespace OpenStackOps.Identity
{
    /// <summary>
    /// The body of POST /v3/auth/tokens for a profile, in Keystone's documented shapes, and the words that
    /// describe who is authenticating for messages. Domain rules follow openstacksdk: with a project, domain_*
    /// is only the default for the user's and the project's domain; without one it is the scope; and a user or
    /// project named without any domain is in the "default" domain.
    /// </summary>
    internal static class AuthRequest
    {
        public static JsonObject Body(CloudProfile p)
        {
            var auth = new JsonObject { ["identity"] = Identity(p) };
            // An application credential carries its own project: Keystone refuses an explicit scope.
            var scope = p.Method == AuthMethod.ApplicationCredential ? null : Scope(p);
            if (scope != null) auth["scope"] = scope;
            return new JsonObject { ["auth"] = auth };
        }

        public static bool HasScope(CloudProfile p) => Scope(p) != null;

        private static JsonObject Identity(CloudProfile p)
        {
            // Only after KeystoneAuthenticator.Validate: the method's secret is set (SettingValues.FirstMissing), hence the !s.
            switch (p.Method)
            {
                case AuthMethod.ApplicationCredential:
                    var credential = new JsonObject();
                    if (p.ApplicationCredentialId != null)
                    {
                        credential["id"] = p.ApplicationCredentialId;
                    }
                    else
                    {
                        credential["name"] = p.ApplicationCredentialName;
                        credential["user"] = User(p);
                    }
                    credential["secret"] = p.ApplicationCredentialSecret!.Reveal();
                    return new JsonObject { ["methods"] = new JsonArray("application_credential"), ["application_credential"] = credential };
                case AuthMethod.Token:
                    return new JsonObject { ["methods"] = new JsonArray("token"), ["token"] = new JsonObject { ["id"] = p.Token!.Reveal() } };
                default:
                    var user = User(p);
                    user["password"] = p.Password!.Reveal();
                    return new JsonObject { ["methods"] = new JsonArray("password"), ["password"] = new JsonObject { ["user"] = user } };
            }
        }

        private static JsonObject User(CloudProfile p)
            => p.UserId != null
                ? new JsonObject { ["id"] = p.UserId }
                : new JsonObject { ["name"] = p.Username, ["domain"] = Domain(p.UserDomainId, p.UserDomainName, p) };

        private static JsonObject? Scope(CloudProfile p)
        {
            if (p.ProjectId != null)
                return new JsonObject { ["project"] = new JsonObject { ["id"] = p.ProjectId } };
            if (p.ProjectName != null)
                return new JsonObject { ["project"] = new JsonObject { ["name"] = p.ProjectName, ["domain"] = Domain(p.ProjectDomainId, p.ProjectDomainName, p) } };
            if (p.DomainId != null)
                return new JsonObject { ["domain"] = new JsonObject { ["id"] = p.DomainId } };
            if (p.DomainName != null)
                return new JsonObject { ["domain"] = new JsonObject { ["name"] = p.DomainName } };
            return null;
        }

        private static JsonObject Domain(string? id, string? name, CloudProfile p)
        {
            if (id != null) return new JsonObject { ["id"] = id };
            if (name != null) return new JsonObject { ["name"] = name };
            if (p.DomainId != null) return new JsonObject { ["id"] = p.DomainId };
            if (p.DomainName != null) return new JsonObject { ["name"] = p.DomainName };
            return new JsonObject { ["id"] = "default" };
        }

        /// <summary>"user 'admin' (domain Default) for project 'admin'": who asked, never with what secret.</summary>
        public static string Describe(CloudProfile p)
        {
            switch (p.Method)
            {
                case AuthMethod.ApplicationCredential:
                    return p.ApplicationCredentialId != null
                        ? $"application credential '{p.ApplicationCredentialId}'"
                        : $"application credential '{p.ApplicationCredentialName}' of {UserWords(p)}";
                case AuthMethod.Token:
                    return "the token" + ScopeWords(p);
                default:
                    return UserWords(p) + ScopeWords(p);
            }
        }

        private static string UserWords(CloudProfile p)
            => p.UserId != null
                ? $"user id '{p.UserId}'"
                : $"user '{p.Username}' (domain {p.UserDomainName ?? p.UserDomainId ?? p.DomainName ?? p.DomainId ?? "default"})";

        private static string ScopeWords(CloudProfile p)
        {
            if (p.ProjectId != null) return $" for project id '{p.ProjectId}'";
            if (p.ProjectName != null) return $" for project '{p.ProjectName}'";
            if (p.DomainId != null || p.DomainName != null) return $" for domain '{p.DomainName ?? p.DomainId}'";
            return " (unscoped)";
        }
    }
}
