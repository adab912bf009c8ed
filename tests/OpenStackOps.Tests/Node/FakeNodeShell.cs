using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Node.Shell;

namespace OpenStackOps.Tests.Node
{
    /// <summary>
    /// A node that answers commands from rules (first rule whose predicate matches the command line wins) and
    /// records every command line, in order. The default answer is success with no output.
    /// </summary>
    public sealed class FakeNodeShell : INodeShell
    {
        private readonly List<(Func<string, bool> when, Func<string, CommandResult> answer)> _rules = new List<(Func<string, bool>, Func<string, CommandResult>)>();

        public FakeNodeShell(string user = "root") => UserName = user;

        public string NodeName => "c01.example.com";
        public string UserName { get; }
        public List<string> Commands { get; } = new List<string>();

        public FakeNodeShell On(string contains, int exit = 0, string stdout = "", string stderr = "")
        {
            _rules.Insert(0, (line => line.Contains(contains), line => new CommandResult(line, exit, stdout, stderr, TimeSpan.Zero)));
            return this;
        }

        public FakeNodeShell When(Func<string, bool> when, Func<string, CommandResult> answer)
        {
            _rules.Insert(0, (when, answer));
            return this;
        }

        public static CommandResult Result(string line, int exit, string stdout = "", string stderr = "") => new CommandResult(line, exit, stdout, stderr, TimeSpan.Zero);

        public FakeNodeShell OnStartsWith(string prefix, int exit = 0, string stdout = "", string stderr = "")
        {
            _rules.Insert(0, (line => line.StartsWith(prefix, StringComparison.Ordinal), line => new CommandResult(line, exit, stdout, stderr, TimeSpan.Zero)));
            return this;
        }

        public Task<CommandResult> RunAsync(NodeCommand command, CancellationToken ct)
        {
            string line = command.ToCommandLine(UserName != "root");
            Commands.Add(line);
            foreach (var (when, answer) in _rules)
                if (when(line)) return Task.FromResult(answer(line));
            return Task.FromResult(new CommandResult(line, 0, "", "", TimeSpan.Zero));
        }

        public Task DownloadAsync(string remotePath, Stream destination, Action<long> progress, CancellationToken ct) => throw new NotSupportedException();
        public Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct) => throw new NotSupportedException();

        /// <summary>The recorded commands that start with one of the prefixes, in order.</summary>
        public string[] Matching(params string[] prefixes)
            => Commands.Where(c => prefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
    }
}
