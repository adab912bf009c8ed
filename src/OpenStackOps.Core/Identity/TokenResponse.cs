using System.Text.Json.Nodes;
using OpenStackOps.Configuration;
using OpenStackOps.Http;

namespace OpenStackOps.Identity
{
    /// <summary>Reads Keystone's answer to POST /v3/auth/tokens: the X-Subject-Token header and the "token" object.</summary>
    internal static class TokenResponse
    {
        /// <returns>The token, or null when the body lacks what every v3 token has (the caller reports that).</returns>
        public static KeystoneToken? Parse(string subjectToken, JsonNode? body)
        {
            var token = body?["token"] as JsonObject;
            var expires = token.Date("expires_at");
            if (token == null || expires == null) return null;

            var user = token["user"];
            var project = token["project"];
            var domain = token["domain"];
            var roles = token.Arr("roles")?.Select(r => r.Str("name")).OfType<string>().ToList();
            return new KeystoneToken(new Secret(subjectToken), token.Date("issued_at") ?? DateTimeOffset.MinValue, expires.Value,
                ServiceCatalog.Parse(token.Arr("catalog")), roles)
            {
                UserId = user.Str("id"),
                UserName = user.Str("name"),
                UserDomainId = user?["domain"].Str("id"),
                UserDomainName = user?["domain"].Str("name"),
                ProjectId = project.Str("id"),
                ProjectName = project.Str("name"),
                ProjectDomainId = project?["domain"].Str("id"),
                ProjectDomainName = project?["domain"].Str("name"),
                DomainId = domain.Str("id"),
                DomainName = domain.Str("name"),
            };
        }
    }
}
