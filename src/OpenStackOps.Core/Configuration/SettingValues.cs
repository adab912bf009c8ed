namespace OpenStackOps.Configuration
{
    /// <summary>The value vocabularies clouds.yaml and openrc files share (auth types, interfaces, booleans).</summary>
    internal static class SettingValues
    {
        public const string SupportedAuthTypes = "password, v3password, v3applicationcredential, token, v3token";

        /// <summary>keystoneauth plugin name → method; null when we do not implement it.</summary>
        public static AuthMethod? ParseAuthType(string? value)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case "password":
                case "v3password":
                    return AuthMethod.Password;
                case "v3applicationcredential":
                case "applicationcredential":
                    return AuthMethod.ApplicationCredential;
                case "token":
                case "v3token":
                    return AuthMethod.Token;
                default:
                    return null;
            }
        }

        /// <summary>
        /// With no auth type, openstacksdk assumes password. We do too, unless only an application credential
        /// or only a token was given: then that is obviously what is meant.
        /// </summary>
        public static AuthMethod InferAuthType(bool hasPassword, bool hasApplicationCredentialSecret, bool hasToken)
        {
            if (hasPassword) return AuthMethod.Password;
            if (hasApplicationCredentialSecret) return AuthMethod.ApplicationCredential;
            if (hasToken) return AuthMethod.Token;
            return AuthMethod.Password;
        }

        /// <summary>public/internal/admin, also from the v2 names (publicURL...); null when unknown.</summary>
        public static string? NormalizeInterface(string? value)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case "public":
                case "publicurl":
                    return "public";
                case "internal":
                case "internalurl":
                    return "internal";
                case "admin":
                case "adminurl":
                    return "admin";
                default:
                    return null;
            }
        }

        /// <summary>YAML 1.1 and shell spellings of a boolean; null when the text is neither.</summary>
        public static bool? ParseBool(string? value)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case "true":
                case "yes":
                case "on":
                case "1":
                    return true;
                case "false":
                case "no":
                case "off":
                case "0":
                    return false;
                default:
                    return null;
            }
        }

        /// <summary>"3", "3.0", "v3" are fine; anything else (2, 2.0) is not something we speak.</summary>
        public static bool IsIdentityV3(string version)
        {
            string v = version.Trim().TrimStart('v', 'V');
            return v == "3" || v.StartsWith("3.", StringComparison.Ordinal);
        }

        /// <summary>An absolute http(s) URL, or null.</summary>
        public static Uri? ParseAuthUrl(string? value)
        {
            if (Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                return uri;
            return null;
        }

        /// <summary>
        /// The first setting the chosen method still lacks, by its auth key name (password, username...), or null.
        /// Both sources turn the name into their own spelling: auth.password in clouds.yaml, OS_PASSWORD in openrc.
        /// </summary>
        public static string? FirstMissing(CloudProfile p)
        {
            switch (p.Method)
            {
                case AuthMethod.ApplicationCredential:
                    if (p.ApplicationCredentialSecret == null || p.ApplicationCredentialSecret.IsEmpty) return "application_credential_secret";
                    if (p.ApplicationCredentialId != null) return null;
                    if (p.ApplicationCredentialName == null) return "application_credential_id";
                    return p.Username == null && p.UserId == null ? "username" : null;
                case AuthMethod.Token:
                    return p.Token == null || p.Token.IsEmpty ? "token" : null;
                default:
                    if (p.Username == null && p.UserId == null) return "username";
                    return p.Password == null ? "password" : null;
            }
        }

        public static bool IsSecret(string authKey)
            => authKey == "password" || authKey == "application_credential_secret" || authKey == "token";

        public static string MethodDescription(AuthMethod method)
        {
            switch (method)
            {
                case AuthMethod.ApplicationCredential: return "application credential authentication";
                case AuthMethod.Token: return "token authentication";
                default: return "password authentication";
            }
        }
    }
}
