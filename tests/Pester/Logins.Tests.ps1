# How an operator logs in (issue #13, items 7 and 9): Connect-OpenStack -Cloud with -Credential, OS_PASSWORD or a
# prompt when clouds.yaml has no password (and never a prompt where none is possible), and node cmdlets that reach a
# node the way ssh would, through ~/.ssh/config, saying how to connect when they cannot.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $cloud = New-FakeCloud
    $secret = [OpenStackOps.Testing.FakeCloud]::Password
    $credential = [pscredential]::new('admin', (ConvertTo-SecureString $secret -AsPlainText -Force))

    # A clouds.yaml for the fake cloud without a password (and with another user, which -Credential replaces),
    # in a directory that is none of the places secure.yaml is read from.
    $configDir = Join-Path $TestDrive 'elsewhere'
    $null = New-Item -ItemType Directory $configDir
    $yaml = Join-Path $configDir 'clouds.yaml'
    @"
clouds:
  fake:
    auth:
      auth_url: $($cloud.AuthUrl)
      username: from-clouds-yaml
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
"@ | Set-Content $yaml
    # A secure.yaml next to it: the openstack CLI does not read it there, and neither does Connect-OpenStack.
    "clouds:`n  fake:`n    auth:`n      password: $secret`n" | Set-Content (Join-Path $configDir 'secure.yaml')

    # The user name Keystone was last asked to authenticate (never the password).
    function Get-LastAuthUser {
        $post = @($cloud.Requests | Where-Object { $_.Item1 -eq 'POST' -and $_.Item2 -like '/identity/v3/auth/tokens*' })[-1]
        ($post.Item3 | ConvertFrom-Json).auth.identity.password.user.name
    }

    # Runs $script with no OS_* password or cloud in the environment, restoring them afterwards.
    function Invoke-WithoutOsEnvironment([scriptblock] $Script) {
        $saved = @{}
        foreach ($name in 'OS_PASSWORD', 'OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_AUTH_URL') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        try { & $Script }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }

    # A host whose credential prompt answers with a given credential and records what it was asked: the
    # interactive console, with the operator's typing replaced.
    $promptHostSource = @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace OsopsTests
{
    public sealed class PromptHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        public PromptUI PromptUI { get; } = new PromptUI();
        public override string Name => "OsopsTestPromptHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => PromptUI;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class PromptUI : PSHostUserInterface
    {
        public PSCredential Answer { get; set; }
        public List<string> Prompts { get; } = new List<string>();
        public StringBuilder Written { get; } = new StringBuilder();
        public override PSHostRawUserInterface RawUI => null;
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) => Written.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Written.Append(value);
        public override void WriteLine(string value) => Written.AppendLine(value);
        public override void WriteErrorLine(string value) => Written.AppendLine(value);
        public override void WriteDebugLine(string message) => Written.AppendLine(message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Written.AppendLine(message);
        public override void WriteWarningLine(string message) => Written.AppendLine(message);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        {
            Prompts.Add(userName + "|" + targetName + "|" + message);
            return Answer;
        }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => PromptForCredential(caption, message, userName, targetName);
    }
}
'@
}

AfterAll {
    $cloud.Dispose()
}


Describe 'Connect-OpenStack -Cloud with a credential' {
    AfterEach { Disconnect-OpenStack -ErrorAction SilentlyContinue }

    It '-Cloud and -Credential bind together (no AmbiguousParameterSet)' {
        $sets = (Get-Command Connect-OpenStack).Parameters['Credential'].ParameterSets.Keys
        $sets | Should -Contain 'Cloud'
    }

    It 'the credential''s user and password replace the profile''s' {
        Invoke-WithoutOsEnvironment {
            $s = Connect-OpenStack -Cloud fake -CloudsYamlPath $yaml -Credential $credential -PassThru -Verbose 4>&1 |
                Tee-Object -Variable all | Where-Object { $_ -is [OpenStackOps.Sessions.OpenStackSession] }
            $s.Cloud | Should -Be 'fake'
            Get-LastAuthUser | Should -Be 'admin'
            ($all | Out-String) | Should -Match 'user and password from -Credential'
            ($all | Out-String) | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    It 'OS_PASSWORD gives the password clouds.yaml lacks (the profile''s user stays)' {
        Invoke-WithoutOsEnvironment {
            $env:OS_PASSWORD = $secret
            try { $s = Connect-OpenStack -Cloud fake -CloudsYamlPath $yaml -PassThru } finally { $env:OS_PASSWORD = $null }
            $s.Cloud | Should -Be 'fake'
            Get-LastAuthUser | Should -Be 'from-clouds-yaml'
        }
    }

    It 'in this non-interactive pwsh there is no prompt: the error says what to do and which files were read' {
        # The tier runs pwsh -NonInteractive; run by hand in a console, this would rightly prompt.
        if (-not (([Environment]::GetCommandLineArgs() -match '^-noni') -or [Console]::IsInputRedirected)) {
            Set-ItResult -Skipped -Because 'this pwsh is interactive'
            return
        }
        Invoke-WithoutOsEnvironment {
            $e = try { Connect-OpenStack -Cloud fake -CloudsYamlPath $yaml -ErrorAction Stop; $null } catch { $_ }
            $e.FullyQualifiedErrorId | Should -BeLike 'OpenStackConfigurationMissingSetting,*'
            $message = $e.Exception.Message
            $message | Should -Match 'not prompted for'
            $message | Should -Match '-Credential'
            $message | Should -Match 'OS_PASSWORD'
            $message | Should -Match ([regex]::Escape($yaml))
            # The secure.yaml next to it is named as not read, with the way to read it.
            $message | Should -Match "a secure.yaml next to $([regex]::Escape($yaml)) is not read"
            $message | Should -Match 'OS_CLIENT_SECURE_FILE'
            $message | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    It 'OS_CLIENT_SECURE_FILE reads the secure.yaml beside it' {
        Invoke-WithoutOsEnvironment {
            $env:OS_CLIENT_SECURE_FILE = Join-Path $configDir 'secure.yaml'
            try { $s = Connect-OpenStack -Cloud fake -CloudsYamlPath $yaml -PassThru } finally { $env:OS_CLIENT_SECURE_FILE = $null }
            $s.Cloud | Should -Be 'fake'
        }
    }

    It 'a hosted runspace without a UI does not prompt either' {
        Invoke-WithoutOsEnvironment {
            $r = Invoke-InNewRunspace "try { Connect-OpenStack -Cloud fake -CloudsYamlPath '$yaml' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $r.Errors | Should -BeNullOrEmpty
            $r.Output[0] | Should -BeLike 'OpenStackConfigurationMissingSetting,*'
            $r.Output[1] | Should -Match 'not prompted for: this PowerShell host has no user interface'
        }
    }

    It 'an interactive host is asked through $Host.UI.PromptForCredential, with the profile''s user name' {
        if (-not ('OsopsTests.PromptHost' -as [type])) { Add-Type -TypeDefinition $promptHostSource }
        $promptHost = [OsopsTests.PromptHost]::new()
        $promptHost.PromptUI.Answer = [pscredential]::new('from-clouds-yaml', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $rs = [runspacefactory]::CreateRunspace($promptHost)
        $rs.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $rs
        try {
            Invoke-WithoutOsEnvironment {
                $out = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-OpenStack -Cloud fake -CloudsYamlPath '$yaml' -PassThru -Verbose").Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $out[0].Cloud | Should -Be 'fake'
            }
            $promptHost.PromptUI.Prompts.Count | Should -Be 1
            $promptHost.PromptUI.Prompts[0] | Should -BeLike 'from-clouds-yaml|fake|*'
            Get-LastAuthUser | Should -Be 'from-clouds-yaml'
            ($ps.Streams.Verbose | Out-String) | Should -Match 'password typed at the prompt'
            ($ps.Streams.Verbose | Out-String) + $promptHost.PromptUI.Written.ToString() | Should -Not -Match ([regex]::Escape($secret))
        }
        finally { $ps.Dispose(); $rs.Dispose() }
    }
}

Describe 'Node cmdlets without Connect-ComputeNode connect as ssh would' {
    BeforeAll {
        # A home of our own: ~/.ssh/config, keys and known_hosts are read from $HOME.
        $savedHome = $env:HOME
        $fakeHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory (Join-Path $fakeHome '.ssh')
        $sshConfig = Join-Path $fakeHome '.ssh/config'
        $key = Join-Path $fakeHome '.ssh/node_key'
        $haveKeygen = [bool](Get-Command ssh-keygen -ErrorAction SilentlyContinue)
        if ($haveKeygen) { ssh-keygen -q -t ed25519 -N '' -f $key | Out-Null }
        @"
Host c01 c01.example.com
    HostName 127.0.0.1
    Port 9
Host c0?
    User osops
    IdentityFile ~/.ssh/node_key
Host *
    User root
"@ | Set-Content $sshConfig
    }
    BeforeEach { $env:HOME = $fakeHome }
    AfterEach { $env:HOME = $savedHome }

    It 'Test-ComputeNodeHealth c01 takes HostName, Port, User and IdentityFile from ~/.ssh/config' {
        $err = $null
        $verbose = Test-ComputeNodeHealth c01 -NodeOnly -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
        ($verbose | Out-String) | Should -Match 'SSH config: HostName 127.0.0.1'
        ($verbose | Out-String) | Should -Match ([regex]::Escape("IdentityFile $key"))
        $message = $err[0].Exception.Message
        $message | Should -Match 'osops@127\.0\.0\.1:9'
        $message | Should -Match ([regex]::Escape("the Host entry of $sshConfig"))
        $message | Should -Match 'Connect-ComputeNode c01 -User'
        if ($haveKeygen) { $err[0].FullyQualifiedErrorId | Should -BeLike 'NodeTestHealthConnectionFailed*' }
    }

    It 'with no Host entry it says so, and how to connect' {
        $err = $null
        Test-ComputeNodeHealth db7 -NodeOnly -ErrorVariable err -ErrorAction SilentlyContinue
        $message = $err[0].Exception.Message
        $message | Should -Match 'root@db7:22'
        $message | Should -Match 'Connect-ComputeNode db7 -User <login> -KeyFile <private key>'
        $message | Should -Match ([regex]::Escape("add a Host entry for db7 to $sshConfig"))
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-ComputeNode db7'
    }

    It 'Connect-ComputeNode given only a name uses the config; parameters given win over it' {
        $err = $null
        Connect-ComputeNode c01 -Port 10 -ConnectTimeoutSeconds 5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'osops@127\.0\.0\.1:10'
        $err = $null
        Connect-ComputeNode c01 -User other -SshConfigPath none -ConnectTimeoutSeconds 5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'other@c01:22'
    }

    It '-SshConfigPath names another file, as ssh -F' {
        $other = Join-Path $TestDrive 'other_config'
        "Host c05`n  HostName 127.0.0.1`n  Port 11`n  User viaf`n" | Set-Content $other
        $env:HOME = $savedHome
        $err = $null
        Connect-ComputeNode c05 -SshConfigPath $other -ConnectTimeoutSeconds 5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'viaf@127\.0\.0\.1:11'
        $err = $null
        Connect-ComputeNode c05 -SshConfigPath (Join-Path $TestDrive 'absent') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NodeConnectNotFound*'
    }
}

Describe 'A devcloud node from ~/.ssh/config alone' -Tag Devcloud {
    It 'Test-ComputeNodeHealth c01.example.com -NodeOnly with no Connect-ComputeNode first' {
        $devcloudSsh = Join-Path ($env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud') 'ssh/config'
        $fakeHome = Join-Path $TestDrive 'devhome'
        $null = New-Item -ItemType Directory (Join-Path $fakeHome '.ssh')
        Copy-Item $devcloudSsh (Join-Path $fakeHome '.ssh/config')
        $savedHome = $env:HOME
        $env:HOME = $fakeHome
        try {
            # A runspace of its own: no connection of an earlier test can be reused.
            $r = Invoke-InNewRunspace 'Test-ComputeNodeHealth c01.example.com -NodeOnly'
        }
        finally { $env:HOME = $savedHome }
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].ServiceActive | Should -BeTrue
        $r.Output[0].LibvirtRunning | Should -BeTrue
    }

    It 'Connect-ComputeNode c01 -SshConfigPath with the devcloud''s ssh config takes the whole login from it' {
        $devcloudSsh = Join-Path ($env:DEVCLOUD_DIR ?? '/tmp/osops-devcloud') 'ssh/config'
        $r = Invoke-InNewRunspace "Connect-ComputeNode c01 -SshConfigPath '$devcloudSsh' -PassThru; Test-ComputeNodeHealth c01 -NodeOnly"
        $r.Errors | Should -BeNullOrEmpty
        $r.Output[0].Address | Should -Be '127.0.0.1'
        $r.Output[0].Port | Should -Be 2201
        $r.Output[0].UserName | Should -Be 'root'
        $r.Output[1].ServiceActive | Should -BeTrue
    }
}
