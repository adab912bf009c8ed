namespace OpenStackOps.Configuration
{
    /// <summary>
    /// The cloud's settings are unusable. The message says what to change and where (file and line,
    /// variable or parameter); it names settings, never their values when they are secret.
    /// </summary>
    public sealed class ConfigurationException : OpenStackOpsException
    {
        public ConfigurationException(ConfigurationError reason, string message, string? target, Exception? inner = null)
            : base(message, inner)
        {
            Reason = reason;
            Target = target;
        }

        /// <summary>What kind of problem this is; the cmdlet layer builds its error id from it.</summary>
        public ConfigurationError Reason { get; }

        /// <summary>What the problem is about: a file path, a cloud name or a variable name.</summary>
        public string? Target { get; }

        public override string Outcome => "OpenStackConfiguration" + Reason;
        public override bool IsFullId => true;
        public override FailureCategory Category => Reason == ConfigurationError.CloudNotFound ? FailureCategory.ObjectNotFound : FailureCategory.InvalidArgument;
        public override object? ErrorTarget => Target;

        /// <summary>The missing setting's auth key (password, username...) for <see cref="ConfigurationError.MissingSetting"/>.</summary>
        public string? Setting { get; set; }
    }
}
