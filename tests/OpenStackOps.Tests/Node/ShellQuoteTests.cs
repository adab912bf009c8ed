using System;
using System.Diagnostics;
using OpenStackOps.Node.Shell;
using Xunit;

namespace OpenStackOps.Tests.Node
{
    /// <summary>The one quoting function: every argument is one literal word for a real POSIX shell.</summary>
    public class ShellQuoteTests
    {
        public static readonly TheoryData<string> Nasty = new TheoryData<string>
        {
            "", " ", "plain", "two words", "it's", "'", "''", "\"", "$HOME", "${IFS}", "$(touch /tmp/osops-never)",
            "`id`", "a;b", "a && b", "a|b", "a>b", "<in", "*", "?", "[a-z]", "~", "~root", "#comment", "-n", "--",
            "back\\slash", "new\nline", "tab\there", "ünïcødé ☃", "!history", "%s%n", "a'b'c\"d\"e", "\\'", "'\\''",
            "c01.example.com;reboot", "/var/lib/nova/instances/x/disk; rm -rf /",
        };

        [Theory]
        [MemberData(nameof(Nasty))]
        public void ARealShellSeesExactlyTheOriginalArgument(string argument)
        {
            // printf prints its argument between markers: if quoting were wrong, the shell would split, expand or run it.
            string line = ShellQuote.Join("printf", "[%s]", argument);
            var psi = new ProcessStartInfo("/bin/sh", "") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            p.StandardInput.Write(line);
            p.StandardInput.Close();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal("[" + argument + "]", output);
        }

        [Theory]
        [InlineData("plain", "plain")]
        [InlineData("/var/lib/nova/instances/x/disk", "/var/lib/nova/instances/x/disk")]
        [InlineData("max_part=8", "max_part=8")]
        [InlineData("", "''")]
        [InlineData("a b", "'a b'")]
        [InlineData("it's", "'it'\\''s'")]
        [InlineData("$(x)", "'$(x)'")]
        public void SafeWordsStayBareEverythingElseIsSingleQuoted(string argument, string expected)
            => Assert.Equal(expected, ShellQuote.Quote(argument));

        [Fact]
        public void NulCannotBeQuotedAndIsRefused()
            => Assert.Throws<ArgumentException>(() => ShellQuote.Quote("a\0b"));

        [Fact]
        public void RootCommandsGoThroughSudoForOtherUsersOnly()
        {
            var cmd = NodeCommand.Root("virsh", "suspend", "instance-0000002a");
            Assert.Equal("virsh suspend instance-0000002a", cmd.ToCommandLine(false));
            Assert.Equal("sudo -n -- virsh suspend instance-0000002a", cmd.ToCommandLine(true));
            Assert.Equal("ls", NodeCommand.User("ls").ToCommandLine(true));
        }

        [Fact]
        public void APipeJoinsQuotedCommandsAndOnlyThePipeIsShellSyntax()
        {
            var cmd = NodeCommand.Root("grep", "-F", "--", "Connected to AMQP server", "/var/log/nova/nova-compute.log")
                .Pipe(NodeCommand.User("tail", "-n", "5"));
            Assert.Equal("sudo -n -- grep -F -- 'Connected to AMQP server' /var/log/nova/nova-compute.log | tail -n 5", cmd.ToCommandLine(true));
        }

        [Fact]
        public void AScriptTakesOperatorInputOnlyAsPositionalParameters()
        {
            var cmd = NodeCommand.Script(true, "printf '%s\\n' \"$1\"", "$(touch /tmp/x); 'q'");
            Assert.Equal("sh -c 'printf '\\''%s\\n'\\'' \"$1\"' sh '$(touch /tmp/x); '\\''q'\\'''", cmd.ToCommandLine(false));
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            p.StandardInput.Write(cmd.ToCommandLine(false));
            p.StandardInput.Close();
            Assert.Equal("$(touch /tmp/x); 'q'\n", p.StandardOutput.ReadToEnd());
        }
    }
}
