namespace OpenStackOps.Configuration
{
    /// <summary>Why a cloud's settings could not be turned into a <see cref="CloudProfile"/>.</summary>
    public enum ConfigurationError
    {
        /// <summary>No cloud of that name in the clouds.yaml/secure.yaml that were read.</summary>
        CloudNotFound,
        /// <summary>No clouds.yaml in any searched place, or the named file does not exist.</summary>
        NoCloudsFile,
        /// <summary>A file is not valid YAML, is not shaped like clouds.yaml, or holds an unusable value.</summary>
        InvalidFile,
        /// <summary>A setting the chosen authentication needs (auth_url, password...) is absent.</summary>
        MissingSetting,
        /// <summary>auth_type (or OS_AUTH_TYPE) names a method OpenStackOps does not implement.</summary>
        UnsupportedAuthType,
        /// <summary>Keystone v2 (identity_api_version 2, an auth URL ending in /v2.0).</summary>
        UnsupportedIdentityVersion,
        /// <summary>A value outside any file (an OS_* variable) that cannot be used, e.g. an auth URL that is not a URL.</summary>
        InvalidSetting,
    }
}
