using System.Text;

namespace OpenStackOps.Node.Shell
{
    /// <summary>
    /// The one place a remote command line is built. Every argument is quoted for a POSIX shell (sh, bash, dash),
    /// so what an operator typed (a host name, a path, a justification) is always one literal word and never
    /// shell syntax. Words made only of characters no shell treats specially are left bare for readability.
    /// </summary>
    public static class ShellQuote
    {
        /// <summary>One argument as a single shell word: <c>'…'</c> with each <c>'</c> written as <c>'\''</c>.</summary>
        public static string Quote(string argument)
        {
            if (argument == null) throw new ArgumentNullException(nameof(argument));
            if (argument.IndexOf('\0') >= 0)
                throw new ArgumentException("A command argument cannot contain a NUL character.", nameof(argument));
            if (argument.Length > 0 && argument.All(IsSafe)) return argument;
            return "'" + argument.Replace("'", "'\\''") + "'";
        }

        /// <summary>A command line from a program and its arguments, each quoted.</summary>
        public static string Join(IEnumerable<string> words)
        {
            var sb = new StringBuilder();
            foreach (var w in words)
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(Quote(w));
            }
            if (sb.Length == 0) throw new ArgumentException("A command needs at least a program name.", nameof(words));
            return sb.ToString();
        }

        public static string Join(params string[] words) => Join((IEnumerable<string>)words);

        private static bool IsSafe(char c)
            => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '@' || c == '%' || c == '+' || c == ',' || c == '=';
    }
}
