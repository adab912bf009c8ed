using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace OpenStackOps.Shell
{
    /// <summary>Just enough of a PowerShell host for Out-Default to draw tables and for streams to reach the console.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly ConsoleUI _ui = new ConsoleUI();

        public int ExitCode { get; private set; }
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId => _id;
        public override string Name => "OpenStackOps.Shell";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    }

    internal sealed class ConsoleUI : PSHostUserInterface
    {
        private readonly ConsoleRawUI _raw = new ConsoleRawUI();
        public override PSHostRawUserInterface RawUI => _raw;
        public override string ReadLine() => Console.ReadLine();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("No interactive input in OpenStackOps.Shell.");
        // Table headers carry $PSStyle colours; a redirected console (a log, a pipe) gets plain text.
        private static readonly System.Text.RegularExpressions.Regex Ansi = new System.Text.RegularExpressions.Regex("\u001b\\[[0-9;]*m");
        private static string Plain(string s) => Console.IsOutputRedirected && s != null ? Ansi.Replace(s, "") : s;
        public override void Write(string value) => Console.Write(Plain(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));
        public override void WriteLine(string value) => Console.WriteLine(Plain(value));
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
            => throw new NotSupportedException("No interactive input in OpenStackOps.Shell.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
            => throw new NotSupportedException("No interactive input in OpenStackOps.Shell.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
            => throw new NotSupportedException("No interactive input in OpenStackOps.Shell.");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            => defaultChoice;
    }

    internal sealed class ConsoleRawUI : PSHostRawUserInterface
    {
        private static int Width => Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth);
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(Width, 9999); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(Width, 50);
        public override Size MaxWindowSize => new Size(Width, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(Width, 50); set { } }
        public override string WindowTitle { get; set; } = "OpenStackOps";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
