namespace OpenStackOps.Configuration
{
    /// <summary>A user name and password typed at a prompt, or why there was none (<see cref="NotPrompted"/>).</summary>
    public sealed class PromptedCredential
    {
        public PromptedCredential(string? userName, Secret password)
        {
            UserName = userName;
            Password = password ?? throw new ArgumentNullException(nameof(password));
        }

        private PromptedCredential(string reason) => NotPromptedReason = reason;

        /// <summary>No credential: the prompt could not be shown or was cancelled, for the reason given.</summary>
        public static PromptedCredential NotPrompted(string reason) => new PromptedCredential(reason ?? throw new ArgumentNullException(nameof(reason)));

        public string? UserName { get; }
        /// <summary>Null when <see cref="NotPromptedReason"/> says why nothing was typed.</summary>
        public Secret? Password { get; }
        public string? NotPromptedReason { get; }
    }

    /// <summary>
    /// What replaces or completes a configuration's user and password, in the openstack CLI's order: a
    /// <see cref="UserName"/>/<see cref="Password"/> (Connect-OpenStack -Credential, like --os-username/--os-password)
    /// beats the files; a <see cref="FallbackPassword"/> (OS_PASSWORD) is used only when the files give none; and
    /// when there is still no password, <see cref="Prompt"/> asks for one (it returns null when it cannot or the
    /// operator cancelled, saying why in <see cref="NoPromptReason"/>).
    /// </summary>
    public sealed class CredentialOverrides
    {
        /// <summary>Replaces the configuration's user name (and user id) when set.</summary>
        public string? UserName { get; set; }
        /// <summary>Replaces the configuration's password when set.</summary>
        public Secret? Password { get; set; }
        /// <summary>Where <see cref="UserName"/>/<see cref="Password"/> came from, for messages ("-Credential").</summary>
        public string Source { get; set; } = "-Credential";

        /// <summary>A password used only when the configuration has none.</summary>
        public Secret? FallbackPassword { get; set; }
        public string FallbackSource { get; set; } = "OS_PASSWORD";

        /// <summary>Asks for a user name and password: (cloud name, user name known so far) → credential, or null or <see cref="PromptedCredential.NotPrompted"/>.</summary>
        public Func<string, string?, PromptedCredential?>? Prompt { get; set; }
        /// <summary>Why <see cref="Prompt"/> did not give a credential (not interactive, cancelled), for the error.</summary>
        public string? NoPromptReason { get; set; }

        /// <summary>Puts the explicit user name and password over <paramref name="p"/>'s (before the method is chosen).</summary>
        internal void ApplyExplicit(CloudProfile p)
        {
            if (Password == null && UserName == null) return;
            if (UserName != null)
            {
                p.Username = UserName;
                p.UserId = null; // the credential names the user: an id from the file would name another one
            }
            if (Password != null) p.Password = Password;
            p.Source += $", user and password from {Source}";
        }

        /// <summary>
        /// For password authentication still lacking the user name or password: the fallback password, else the
        /// prompt. True when <paramref name="p"/> changed.
        /// </summary>
        internal bool Complete(CloudProfile p)
        {
            if (p.Method != AuthMethod.Password || p.Password != null && (p.Username != null || p.UserId != null)) return false;
            if (p.Password == null && FallbackPassword != null && (p.Username != null || p.UserId != null))
            {
                p.Password = FallbackPassword;
                p.Source += $", password from {FallbackSource}";
                return true;
            }
            if (Prompt == null) return false;
            var typed = Prompt(p.Name, p.Username);
            if (typed?.Password == null)
            {
                if (typed != null) NoPromptReason = typed.NotPromptedReason;
                return false;
            }
            if (!string.IsNullOrEmpty(typed.UserName) && !string.Equals(typed.UserName, p.Username, StringComparison.Ordinal))
            {
                p.Username = typed.UserName;
                p.UserId = null;
            }
            p.Password = typed.Password;
            p.Source += ", password typed at the prompt";
            return true;
        }
    }
}
