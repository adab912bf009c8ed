using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using System.Security;
using OpenStackOps.Configuration;
using OpenStackOps.Infrastructure;
using OpenStackOps.Sessions;
using OpenStackOps.Infrastructure.Completion;

namespace OpenStackOps.Commands.Sessions
{
    /// <summary>
    /// <para type="synopsis">Connects to an OpenStack cloud and makes it the default for this session.</para>
    /// <para type="description">Authenticates against Keystone v3 with a password, an application credential or a token, taking the settings from clouds.yaml (and secure.yaml), from the OS_* variables an openrc file sets, or from parameters. The token is reused by every cmdlet and renewed before it expires. The new session becomes the default for this PowerShell session; use -PassThru to keep it in a variable for scripts that talk to several clouds.</para>
    /// <example>
    ///   <code>Connect-OpenStack -Cloud devcloud</code>
    ///   <para>Connects with the cloud named devcloud in clouds.yaml (searched in the current directory, ~/.config/openstack and /etc/openstack, or OS_CLIENT_CONFIG_FILE).</para>
    /// </example>
    /// <example>
    ///   <code>Connect-OpenStack -Cloud prod -Credential (Get-Credential)</code>
    ///   <para>Takes everything but the login from clouds.yaml: the credential's user and password replace the profile's (like openstack --os-cloud prod --os-username ... --os-password ...). When clouds.yaml and secure.yaml hold no password and OS_PASSWORD is not set, an interactive session asks for it; a non-interactive one fails, naming -Credential, secure.yaml and OS_PASSWORD.</para>
    /// </example>
    /// <example>
    ///   <code>. ./openrc.ps1; Connect-OpenStack</code>
    ///   <para>With no parameters, uses OS_CLOUD when it is set, otherwise the OS_AUTH_URL, OS_USERNAME, OS_PASSWORD... variables of an openrc file.</para>
    /// </example>
    /// <example>
    ///   <code>$prod = Connect-OpenStack -AuthUrl https://keystone.example.com:5000/v3 -Credential (Get-Credential) -ProjectName admin -UserDomainName Default -ProjectDomainName Default -CACertificatePath ./ca.pem -PassThru</code>
    ///   <para>Connects with explicit settings, trusting a private CA, and keeps the session for -Session.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "OpenStack", DefaultParameterSetName = CloudSet)]
    [OutputType(typeof(OpenStackSession))]
    public sealed class ConnectOpenStackCommand : CancellableCmdlet
    {
        private const string CloudSet = "Cloud";
        private const string PasswordSet = "Password";
        private const string ApplicationCredentialSet = "ApplicationCredential";
        private const string TokenSet = "Token";

        /// <summary>
        /// <para type="description">The cloud's name in clouds.yaml. Default: the OS_CLOUD variable; when that is not set either, the OS_* variables of an openrc file.</para>
        /// </summary>
        [Parameter(Position = 0, ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CloudNameCompleter))]
        public string? Cloud { get; set; }

        /// <summary><para type="description">A clouds.yaml file to read instead of searching the usual places.</para></summary>
        [Parameter(ParameterSetName = CloudSet)]
        [ValidateNotNullOrEmpty]
        public string? CloudsYamlPath { get; set; }

        /// <summary><para type="description">Keystone's URL, e.g. https://keystone.example.com:5000/v3.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, ParameterSetName = ApplicationCredentialSet)]
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        public Uri AuthUrl { get; set; } = null!;

        /// <summary><para type="description">User name and password. With -AuthUrl they are the whole login; with -Cloud (or OS_CLOUD, or an openrc's OS_* variables) they replace the configuration's user and password, as the openstack CLI's --os-username and --os-password replace clouds.yaml's.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = CloudSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary><para type="description">An application credential: its id as the user name, its secret as the password.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ApplicationCredentialSet)]
        [Credential]
        public PSCredential ApplicationCredential { get; set; } = null!;

        /// <summary><para type="description">An existing Keystone token to use (it cannot be renewed: connect again when it expires).</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        public SecureString Token { get; set; } = null!;

        /// <summary><para type="description">The project to scope to, by name.</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        public string? ProjectName { get; set; }

        /// <summary><para type="description">The project to scope to, by id.</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        public string? ProjectId { get; set; }

        /// <summary><para type="description">The domain of the user (name). Default: Default.</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        public string? UserDomainName { get; set; }

        /// <summary><para type="description">The domain of the user (id).</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        public string? UserDomainId { get; set; }

        /// <summary><para type="description">The domain of the project (name).</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        public string? ProjectDomainName { get; set; }

        /// <summary><para type="description">The domain of the project (id).</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = TokenSet)]
        public string? ProjectDomainId { get; set; }

        /// <summary><para type="description">Scope the token to a domain instead of a project (domain name).</para></summary>
        [Parameter(ParameterSetName = PasswordSet)]
        public string? DomainName { get; set; }

        /// <summary><para type="description">The region whose endpoints to use. Default: the configured one, else the first the catalog lists.</para></summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary><para type="description">Which endpoints to use: public (default), internal or admin.</para></summary>
        [Parameter]
        [ValidateSet("public", "internal", "admin")]
        public string? Interface { get; set; }

        /// <summary><para type="description">A PEM file with the CA certificates to trust for this cloud's endpoints.</para></summary>
        [Parameter]
        public string? CACertificatePath { get; set; }

        /// <summary><para type="description">Do not check TLS certificates at all. For test clouds only.</para></summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary><para type="description">Write the new session to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            CloudProfile profile;
            try
            {
                profile = BuildProfile();
            }
            catch (ConfigurationException e)
            {
                ThrowTerminatingError(ErrorRecords.FromException(e, "OpenStackConfiguration", Cloud ?? AuthUrl?.ToString()));
                return;
            }

            WriteVerbose($"Connecting to {profile.AuthUrl} ({profile.Source}) as {Describe(profile)}");
            OpenStackSession session;
            try
            {
                session = Run(ct => OpenStackSession.ConnectAsync(profile, Messages, ct));
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                Messages.Drain(this);
                ThrowTerminatingError(ErrorRecords.FromException(e, "Keystone", profile.Name));
                return;
            }
            session.LogTarget = null;
            SessionStore.SetDefault(session);
            WriteVerbose($"Connected to {session.Cloud}: project {session.ProjectName}, token valid until {session.TokenExpiresAt:u}");
            if (PassThru) WriteObject(session);
        }

        /// <summary>The parameters as the engine's request: PowerShell paths made file-system paths, credentials unwrapped.</summary>
        private CloudProfile BuildProfile()
        {
            var r = new CloudProfileRequest
            {
                Method = ParameterSetName == PasswordSet ? AuthMethod.Password
                    : ParameterSetName == ApplicationCredentialSet ? AuthMethod.ApplicationCredential
                    : ParameterSetName == TokenSet ? AuthMethod.Token
                    : (AuthMethod?)null,
                Cloud = Cloud,
                CloudsYamlPath = CloudsYamlPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CloudsYamlPath),
                AuthUrl = AuthUrl,
                Prompt = PromptForCredential,
                ProjectName = ProjectName, ProjectId = ProjectId, ProjectDomainName = ProjectDomainName, ProjectDomainId = ProjectDomainId,
                UserDomainName = UserDomainName, UserDomainId = UserDomainId, DomainName = DomainName,
                Region = Region, Interface = Interface, SkipCertificateCheck = SkipCertificateCheck,
                CACertificatePath = CACertificatePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CACertificatePath),
            };
            if (Credential != null)
            {
                var nc = Credential.GetNetworkCredential();
                r.UserName = nc.UserName;
                r.Password = new Secret(nc.Password);
            }
            if (ApplicationCredential != null)
            {
                var app = ApplicationCredential.GetNetworkCredential();
                r.ApplicationCredentialId = app.UserName;
                r.ApplicationCredentialSecret = new Secret(app.Password);
            }
            if (Token != null) r.Token = new Secret(new NetworkCredential(string.Empty, Token).Password);
            return CloudProfileResolver.Resolve(r, Environment.GetEnvironmentVariable, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        }

        /// <summary>
        /// Asks through the host's UI ($Host.UI.PromptForCredential) when the session can prompt. Whether it can is
        /// the host's to say: a hosted runspace without a UI throws HostException, pwsh -NonInteractive throws
        /// PSInvalidOperationException, both before showing anything. A console whose input is redirected (a job,
        /// a pipe) is not asked at all: pwsh would print the prompt and fail or wait.
        /// </summary>
        private PromptedCredential PromptForCredential(string cloud, string? user)
        {
            if (Host?.Name == "ConsoleHost" && Console.IsInputRedirected)
                return PromptedCredential.NotPrompted("it was not prompted for: the console's input is redirected (a job or a pipe)");
            PSCredential typed;
            try
            {
                typed = Host!.UI.PromptForCredential("Connect-OpenStack", // a running cmdlet always has a host
                    $"Cloud '{cloud}' has no password in its configuration. Password{(user == null ? "" : " for " + user)}:", user ?? "", cloud);
            }
            catch (Exception e) when (e is HostException || e is PSInvalidOperationException || e is NotImplementedException)
            {
                return PromptedCredential.NotPrompted(e is PSInvalidOperationException
                    ? "it was not prompted for: PowerShell runs non-interactively (-NonInteractive)"
                    : "it was not prompted for: this PowerShell host has no user interface");
            }
            if (typed == null) return PromptedCredential.NotPrompted("the credential prompt was cancelled");
            var nc = typed.GetNetworkCredential();
            return new PromptedCredential((string.IsNullOrEmpty(nc.UserName) ? user : nc.UserName), new Secret(nc.Password));
        }

        private static string Describe(CloudProfile p)
        {
            switch (p.Method)
            {
                case AuthMethod.ApplicationCredential: return "application credential " + (p.ApplicationCredentialId ?? p.ApplicationCredentialName);
                case AuthMethod.Token: return "an existing token";
                default: return "user " + (p.Username ?? p.UserId) + (p.ProjectName != null ? ", project " + p.ProjectName : "");
            }
        }
    }
}
