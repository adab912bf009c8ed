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

        /// <summary>Remote files SFTP can read (path → content); null: downloads are not supported.</summary>
        public Dictionary<string, byte[]> Files { get; set; }
        /// <summary>Called with each upload (path, content); throw from it to make the upload fail. Null: not supported.</summary>
        public Action<string, byte[]> OnUpload { get; set; }

        public async Task DownloadAsync(string remotePath, Stream destination, Action<long> progress, CancellationToken ct)
        {
            if (Files == null) throw new NotSupportedException();
            byte[] content = Files[remotePath];
            await destination.WriteAsync(content, 0, content.Length, ct);
            progress?.Invoke(content.Length);
        }

        public Task<long?> GetFileSizeAsync(string remotePath, CancellationToken ct) => throw new NotSupportedException();

        public Task UploadAsync(Stream source, string remotePath, CancellationToken ct)
        {
            if (OnUpload == null) throw new NotSupportedException();
            var copy = new MemoryStream();
            source.CopyTo(copy);
            OnUpload(remotePath, copy.ToArray());
            return Task.CompletedTask;
        }

        /// <summary>The recorded commands that start with one of the prefixes, in order.</summary>
        public string[] Matching(params string[] prefixes)
            => Commands.Where(c => prefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
    }
}
